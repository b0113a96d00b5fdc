using System;
using System.Collections.Concurrent;
using System.Threading;

namespace GanAi.Concurrency
{
    /// <summary>
    /// What background work hands the pipeline thread: outcomes and messages, in the order they were
    /// posted. Background tasks post; only the pipeline thread takes, and it alone writes to
    /// PowerShell. Posting after the command ended (a stopped run) is dropped: nobody can write it.
    /// </summary>
    public sealed class EventChannel : IDisposable
    {
        private readonly BlockingCollection<PipelineEvent> _events = new BlockingCollection<PipelineEvent>();

        public void Post(PipelineEvent item)
        {
            try
            {
                _events.Add(item);
            }
            catch (ObjectDisposedException)
            {
            }
            catch (InvalidOperationException)
            {
            }
        }

        /// <summary>A verbose (or warning) message, written by the pipeline thread.</summary>
        public void Message(string text, bool isWarning = false) => Post(new PipelineMessage(isWarning, text));

        /// <summary>The next event if one is ready.</summary>
        public bool TryTake(out PipelineEvent? item) => _events.TryTake(out item);

        /// <summary>Waits for the next event; throws OperationCanceledException when <paramref name="cancellation"/> is cancelled (Ctrl+C).</summary>
        public PipelineEvent Take(CancellationToken cancellation) => _events.Take(cancellation);

        public void Dispose() => _events.Dispose();
    }
}
