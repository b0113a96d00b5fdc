using System;
using System.Diagnostics;
using System.Globalization;
using System.Threading;
using Polly.CircuitBreaker;

namespace GanAi.Resilience
{
    /// <summary>
    /// The circuit breaker of one run: it opens when no HTTP answer of any status has arrived for
    /// <see cref="Silence"/> (since the run began, or since the last answer) and the last
    /// <see cref="ConnectFailures"/> or more attempts failed to connect (refused, name not found,
    /// connect timeout). Connections dropped after connecting and error answers do not count: an
    /// answer of any status means the service is there. Once open it stays open: Polly's breaker
    /// (isolated through <see cref="Control"/>) rejects every later attempt of the run, and
    /// <see cref="Opened"/> ends every wait (backoff, pacing) at once, so a run against a service
    /// that is down ends in seconds instead of waiting out every batch's retries.
    /// </summary>
    public sealed class ServiceReachability : IDisposable
    {
        public static readonly TimeSpan Silence = TimeSpan.FromSeconds(10);
        public const int ConnectFailures = 3;

        private readonly object _gate = new object();
        private readonly Func<TimeSpan> _clock;
        private readonly CancellationTokenSource _opened = new CancellationTokenSource();
        private readonly Timer _check;
        private TimeSpan _lastAnswer;
        private int _failuresSinceAnswer;
        private string? _lastFailure;

        public ServiceReachability(Func<TimeSpan>? clock = null)
        {
            if (clock is null)
            {
                var watch = Stopwatch.StartNew();
                clock = () => watch.Elapsed;
            }
            _clock = clock;
            _lastAnswer = _clock();
            _check = new Timer(_ => Check(), null, Timeout.Infinite, Timeout.Infinite);
        }

        /// <summary>Polly's breaker of this run is isolated through this once the service is found unreachable.</summary>
        public CircuitBreakerManualControl Control { get; } = new CircuitBreakerManualControl();

        /// <summary>Cancelled when the breaker opens: waits that observe it end at once.</summary>
        public CancellationToken Opened => _opened.Token;

        public bool IsOpen => _opened.IsCancellationRequested;

        /// <summary>Why it opened, for the run's error: how long without an answer and the last failure.</summary>
        public string Reason
        {
            get
            {
                lock (_gate)
                {
                    return string.Format(CultureInfo.InvariantCulture, "no answer for {0:0} s, and the last {1} attempts could not connect ({2})",
                        (_clock() - _lastAnswer).TotalSeconds, _failuresSinceAnswer, _lastFailure ?? "no detail");
                }
            }
        }

        /// <summary>An HTTP answer arrived (any status): the service is there.</summary>
        public void OnAnswer()
        {
            lock (_gate)
            {
                _lastAnswer = _clock();
                _failuresSinceAnswer = 0;
            }
        }

        /// <summary>An attempt could not connect.</summary>
        public void OnConnectFailure(string what)
        {
            TimeSpan due;
            lock (_gate)
            {
                _failuresSinceAnswer++;
                _lastFailure = what;
                if (_failuresSinceAnswer < ConnectFailures) return;
                due = _lastAnswer + Silence - _clock();
            }
            if (due <= TimeSpan.Zero) Open();
            else ArmCheck(due);
        }

        /// <summary>Opens the breaker now if the rule holds (the timer's call, and the tests' with their own clock).</summary>
        public void Check()
        {
            lock (_gate)
            {
                if (_failuresSinceAnswer < ConnectFailures || _clock() - _lastAnswer < Silence) return;
            }
            Open();
        }

        public void Dispose()
        {
            _check.Dispose();
            _opened.Dispose();
        }

        private void ArmCheck(TimeSpan due)
        {
            try
            {
                // A few milliseconds late rather than early: the rule is checked again when it fires.
                _check.Change(due + TimeSpan.FromMilliseconds(20), Timeout.InfiniteTimeSpan);
            }
            catch (ObjectDisposedException)
            {
            }
        }

        private void Open()
        {
            lock (_gate)
            {
                if (_opened.IsCancellationRequested) return;
            }
            try
            {
                Control.IsolateAsync().GetAwaiter().GetResult();
                _opened.Cancel();
            }
            catch (ObjectDisposedException)
            {
                // The run already ended.
            }
        }
    }
}
