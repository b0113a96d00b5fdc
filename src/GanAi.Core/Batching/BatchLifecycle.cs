using System;
using System.Threading;
using System.Threading.Tasks;

namespace GanAi.Batching
{
    /// <summary>
    /// The batches of one run as background tasks: how many are running, the tokens their requests
    /// observe, and stopping them. Two steps of stopping (Ctrl+C, an early end downstream): no new
    /// request (at once), then no request in flight (at once without a journal; after a grace period
    /// with one, so the journal records their answers). The run's end (<see cref="RunEnd"/>) stops new
    /// requests too, and requests in flight when the service stopped working.
    /// </summary>
    internal sealed class BatchLifecycle : IDisposable
    {
        /// <summary>How long a stop waits before it says what it waits for (most stops are over by then).</summary>
        private static readonly TimeSpan QuietStopWait = TimeSpan.FromMilliseconds(250);

        private readonly object _idle = new object();
        private readonly bool _journaled;
        private readonly TimeSpan _gracePeriod;
        private readonly CancellationTokenSource _stopSending;
        private readonly CancellationTokenSource _stopRequests;
        private readonly CancellationTokenSource _waits;
        private readonly CancellationTokenSource _requests;
        private int _running;

        /// <param name="journaled">A journal records the batches in flight: a stop gives them <paramref name="gracePeriod"/> to answer.</param>
        /// <param name="gracePeriod">How long requests in flight may take to answer once a journaled run stops.</param>
        /// <param name="runEnd">The run's end, whose tokens stop new requests and, when the service stopped working, those in flight.</param>
        /// <param name="cancellation">The run's Ctrl+C: it starts both steps at once when nothing is journaled.</param>
        public BatchLifecycle(bool journaled, TimeSpan gracePeriod, RunEnd runEnd, CancellationToken cancellation)
        {
            _journaled = journaled;
            _gracePeriod = gracePeriod;
            _stopSending = CancellationTokenSource.CreateLinkedTokenSource(cancellation);
            _stopRequests = journaled ? new CancellationTokenSource() : CancellationTokenSource.CreateLinkedTokenSource(cancellation);
            _waits = CancellationTokenSource.CreateLinkedTokenSource(_stopSending.Token, runEnd.NoMoreSends);
            _requests = CancellationTokenSource.CreateLinkedTokenSource(_stopRequests.Token, runEnd.InFlight);
        }

        /// <summary>Cancels what has not been sent yet: waits for a turn, backoffs, resends.</summary>
        public CancellationToken Waits => _waits.Token;

        /// <summary>Cancels requests already sent.</summary>
        public CancellationToken Requests => _requests.Token;

        /// <summary>The run was stopped: nobody will write the outcome of a batch any more.</summary>
        public bool IsStopping => _stopSending.IsCancellationRequested;

        public CancellationToken Stopping => _stopSending.Token;

        /// <summary>Runs one batch in the background; <see cref="Stop"/> waits for it.</summary>
        public void Start(Func<Task> batch)
        {
            Interlocked.Increment(ref _running);
            Task.Run(async () =>
            {
                try
                {
                    await batch().ConfigureAwait(false);
                }
                finally
                {
                    if (Interlocked.Decrement(ref _running) == 0)
                    {
                        lock (_idle) Monitor.PulseAll(_idle);
                    }
                }
            });
        }

        /// <summary>
        /// Ends the run early: no new request is sent, not even a retry or the other half of a split
        /// batch. Without a journal, requests in flight are cancelled at once; with one, they get the
        /// grace period to answer, and those still in flight after it are cancelled. Returns once every
        /// batch has ended, or after a bounded wait.
        /// </summary>
        /// <param name="stillWaiting">
        /// Called (with the batches still running and the rest of the grace period) when the batches in
        /// flight have not answered within a quarter of a second, so a user who pressed Ctrl+C learns
        /// why the prompt is not back yet.
        /// </param>
        public void Stop(Action<int, TimeSpan>? stillWaiting)
        {
            _stopSending.Cancel();
            if (!_journaled || !WaitForGracePeriod(stillWaiting)) _stopRequests.Cancel();
            WaitForBatches(TimeSpan.FromSeconds(5)); // cancelled work ends at once; the bound only guards against a stuck disk
        }

        /// <summary>Releases the tokens, unless a batch outlived Stop's bound (a stuck disk): it may still read them. True when released.</summary>
        public bool TryDispose()
        {
            if (Volatile.Read(ref _running) > 0) return false;
            _waits.Dispose();
            _requests.Dispose();
            _stopSending.Dispose();
            _stopRequests.Dispose();
            return true;
        }

        public void Dispose() => TryDispose();

        /// <summary>True once the batches in flight have ended within the grace period.</summary>
        private bool WaitForGracePeriod(Action<int, TimeSpan>? stillWaiting)
        {
            var quiet = QuietStopWait < _gracePeriod ? QuietStopWait : _gracePeriod;
            if (WaitForBatches(quiet)) return true;
            if (quiet == _gracePeriod) return false;
            stillWaiting?.Invoke(Volatile.Read(ref _running), _gracePeriod - quiet);
            return WaitForBatches(_gracePeriod - quiet);
        }

        /// <summary>True once no batch is running; false when <paramref name="timeout"/> passed first.</summary>
        private bool WaitForBatches(TimeSpan timeout)
        {
            var clock = System.Diagnostics.Stopwatch.StartNew();
            lock (_idle)
            {
                while (Volatile.Read(ref _running) > 0)
                {
                    var left = timeout - clock.Elapsed;
                    if (left <= TimeSpan.Zero) return false;
                    Monitor.Wait(_idle, left);
                }
            }
            return true;
        }
    }
}
