using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Threading;
using System.Threading.Tasks;

namespace GanAi.Resilience
{
    /// <summary>
    /// Paces every request of one connection after the service says 429: everyone pauses for
    /// Retry-After, then requests start no faster than the rate the service was seen to accept
    /// (successes in the last second), which creeps up again while no 429 arrives. One gate per
    /// connection, so all batches and runs on it slow down together instead of each request
    /// retrying on its own.
    /// </summary>
    /// <remarks>
    /// Polly's strategies work per execution; this shared pacing is the one piece it does not
    /// provide. Each attempt waits here before it is sent (inside the resilience pipeline).
    /// </remarks>
    internal sealed class RateGate
    {
        /// <summary>The longest pause the gate ever makes (the cap on Retry-After): a larger one can never reach Task.Delay.</summary>
        public static readonly TimeSpan MaxPause = TimeSpan.FromSeconds(60);

        private static readonly TimeSpan Window = TimeSpan.FromSeconds(1);
        private static readonly TimeSpan IncreaseEvery = TimeSpan.FromSeconds(1);

        private readonly object _gate = new object();
        private readonly Stopwatch _clock = Stopwatch.StartNew();
        private readonly Queue<TimeSpan> _recentSuccesses = new Queue<TimeSpan>();
        private TimeSpan _pausedUntil;
        private TimeSpan _nextStart;
        private TimeSpan _lastChange;
        private double? _ratePerSecond;

        /// <summary>Waits for this request's turn: after any pause, and one pace interval after the previous start.</summary>
        public Task WaitTurnAsync(CancellationToken cancellationToken)
        {
            TimeSpan wait;
            lock (_gate)
            {
                var now = _clock.Elapsed;
                var start = Max(now, _pausedUntil);
                if (_ratePerSecond is { } rate)
                {
                    start = Max(start, _nextStart);
                    _nextStart = start + TimeSpan.FromTicks((long)(TimeSpan.TicksPerSecond / rate));
                }
                wait = start - now;
            }
            if (wait > MaxPause) wait = MaxPause;
            return wait > TimeSpan.Zero ? Task.Delay(wait, cancellationToken) : Task.CompletedTask;
        }

        /// <summary>A request was accepted: counted for the rate estimate; the pace creeps up while no 429 arrives.</summary>
        public void OnAccepted()
        {
            lock (_gate)
            {
                var now = _clock.Elapsed;
                _recentSuccesses.Enqueue(now);
                Trim(now);
                if (_ratePerSecond is { } rate && now - _lastChange >= IncreaseEvery && now >= _pausedUntil)
                {
                    _ratePerSecond = rate + Math.Max(0.5, rate * 0.02);
                    _lastChange = now;
                }
            }
        }

        /// <summary>
        /// A 429: pause everyone until Retry-After, and pace at what the service accepted in the last
        /// second (a little less, and never faster than before). 429s of requests that were already
        /// in flight when the gate reacted do not lower the pace again. A Retry-After over
        /// <paramref name="cap"/> makes no pause: the run that got it ends (RateLimited), and the next
        /// one on this connection should not wait out the rest of it unasked.
        /// </summary>
        public void OnRateLimited(TimeSpan? retryAfter, TimeSpan cap)
        {
            if (retryAfter > cap) return;
            lock (_gate)
            {
                var now = _clock.Elapsed;
                var resume = now + (retryAfter ?? TimeSpan.FromSeconds(1));
                var alreadyReacted = now < _pausedUntil;
                _pausedUntil = Max(_pausedUntil, resume);
                _nextStart = Max(_nextStart, _pausedUntil);
                if (alreadyReacted) return;

                Trim(now);
                var accepted = Math.Max(1.0, _recentSuccesses.Count / Window.TotalSeconds);
                var target = accepted * 0.95;
                _ratePerSecond = _ratePerSecond is { } current ? Math.Max(0.5, Math.Min(current * 0.9, target)) : target;
                _lastChange = _pausedUntil;
            }
        }

        private void Trim(TimeSpan now)
        {
            while (_recentSuccesses.Count > 0 && now - _recentSuccesses.Peek() > Window) _recentSuccesses.Dequeue();
        }

        private static TimeSpan Max(TimeSpan a, TimeSpan b) => a > b ? a : b;
    }
}
