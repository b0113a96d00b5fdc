using System;
using System.Threading;
using System.Threading.Tasks;

namespace GanAi.Concurrency
{
    /// <summary>
    /// Work per input item (a status read, a wait, a download) off the pipeline thread, with at most
    /// <c>throttleLimit</c> requests at once. Each item ends as one <see cref="ItemOutcome"/> that the
    /// pipeline thread takes from the queue, which is the only place it writes from; messages for the
    /// verbose and warning streams come through the same queue.
    /// </summary>
    public sealed class WorkQueue : IDisposable
    {
        private readonly EventChannel _events = new EventChannel();
        private readonly SemaphoreSlim _slots;
        private readonly CancellationToken _cancellation;
        private int _pending;
        private volatile ItemError? _ending;
        private readonly CancellationTokenSource _ended = new CancellationTokenSource();

        public WorkQueue(int throttleLimit, CancellationToken cancellation)
        {
            if (throttleLimit < 1) throw new ArgumentOutOfRangeException(nameof(throttleLimit));
            _slots = new SemaphoreSlim(throttleLimit, throttleLimit);
            _cancellation = cancellation;
        }

        /// <summary>Items submitted whose outcome has not been taken yet.</summary>
        public int Pending => Volatile.Read(ref _pending);

        public CancellationToken Cancellation => _cancellation;

        /// <summary>Cancelled once an item's error ended the command (<see cref="EndsCommand"/>): work that waits for its turn stops waiting.</summary>
        public CancellationToken Ended => _ended.Token;

        /// <summary>Throws the error that ended the command, for an item that has not sent anything yet.</summary>
        public void ThrowIfEnded()
        {
            if (_ending is { } ending) throw new CommandEndedException(ending);
        }

        /// <summary>Errors after which nothing more of the command is sent (<see cref="ErrorIds.EndsAnyCommand"/>).</summary>
        public static bool EndsCommand(ItemError error) => ErrorIds.EndsAnyCommand(error.ErrorId);

        /// <summary>
        /// Starts <paramref name="work"/> for <paramref name="input"/>. The work returns its output;
        /// an exception becomes the item's error through <paramref name="describeError"/> (or, for an
        /// exception it does not know, an UnexpectedError that still carries the input).
        /// </summary>
        public void Submit(object input, Func<WorkQueue, Task<object?>> work, Func<Exception, ItemError?> describeError)
        {
            Interlocked.Increment(ref _pending);
            Task.Run(async () =>
            {
                ItemOutcome outcome;
                try
                {
                    outcome = ItemOutcome.Succeeded(input, await work(this).ConfigureAwait(false));
                }
                catch (OperationCanceledException) when (_cancellation.IsCancellationRequested)
                {
                    return; // stopping: nobody will write this item's outcome
                }
                catch (CommandEndedException ended)
                {
                    outcome = ItemOutcome.Failed(input, ended.Ending);
                }
                catch (Exception ex)
                {
                    var error = describeError(ex) ?? new ItemError(ErrorIds.UnexpectedError, new VideoException(ErrorIds.UnexpectedError, "An unexpected error: " + ex.Message, null, null, null, ex));
                    if (EndsCommand(error))
                    {
                        _ending ??= error;
                        try
                        {
                            _ended.Cancel();
                        }
                        catch (ObjectDisposedException)
                        {
                            // The command is over.
                        }
                    }
                    outcome = ItemOutcome.Failed(input, error);
                }
                _events.Post(outcome);
            });
        }

        /// <summary>Runs one request in a free slot: at most throttleLimit at once, across all items.</summary>
        public async Task<T> ThrottledAsync<T>(Func<CancellationToken, Task<T>> request)
        {
            // A refused token, a Retry-After over the cap or an unreachable service: later items send nothing.
            ThrowIfEnded();
            await _slots.WaitAsync(_cancellation).ConfigureAwait(false);
            try
            {
                return await request(_cancellation).ConfigureAwait(false);
            }
            finally
            {
                _slots.Release();
            }
        }

        /// <summary>A verbose (or warning) message, written by the pipeline thread.</summary>
        public void Message(string text, bool isWarning = false) => _events.Message(text, isWarning);

        public bool TryTake(out PipelineEvent? item)
        {
            if (!_events.TryTake(out item)) return false;
            if (item is ItemOutcome) Interlocked.Decrement(ref _pending);
            return true;
        }

        /// <summary>Waits for the next event; throws OperationCanceledException when the command is stopped.</summary>
        public PipelineEvent Take()
        {
            var item = _events.Take(_cancellation);
            if (item is ItemOutcome) Interlocked.Decrement(ref _pending);
            return item;
        }

        public void Dispose()
        {
            _events.Dispose();
            _slots.Dispose();
            _ended.Dispose();
        }

    }

}
