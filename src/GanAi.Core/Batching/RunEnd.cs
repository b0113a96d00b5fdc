using System;
using System.Threading;

namespace GanAi.Batching
{
    /// <summary>
    /// The one holder of a run's end: the first <see cref="RunEndingFailure"/> (later ones are
    /// dropped), and the tokens that stop the work it ends. Every end stops what has not been sent
    /// yet (<see cref="NoMoreSends"/>: waits for a turn, backoffs, pending retries); an end because
    /// the service stopped working also cancels the requests in flight (<see cref="InFlight"/>),
    /// so the run ends in seconds, not after each attempt's time limit.
    /// </summary>
    internal sealed class RunEnd : IDisposable
    {
        private readonly CancellationTokenSource _noMoreSends = new CancellationTokenSource();
        private readonly CancellationTokenSource _inFlight = new CancellationTokenSource();
        private RunEndingFailure? _failure;

        /// <summary>The failure that ended the run, once one did.</summary>
        public RunEndingFailure? Failure => Volatile.Read(ref _failure);

        public CancellationToken NoMoreSends => _noMoreSends.Token;

        public CancellationToken InFlight => _inFlight.Token;

        /// <summary>Ends the run with <paramref name="failure"/> unless it ended already; returns the failure that ended it.</summary>
        public RunEndingFailure End(RunEndingFailure failure, bool cancelInFlight = false)
        {
            Interlocked.CompareExchange(ref _failure, failure, null);
            try
            {
                _noMoreSends.Cancel();
                if (cancelInFlight) _inFlight.Cancel();
            }
            catch (ObjectDisposedException)
            {
                // The run is over already.
            }
            return Failure!;
        }

        public void Dispose()
        {
            _noMoreSends.Dispose();
            _inFlight.Dispose();
        }
    }
}
