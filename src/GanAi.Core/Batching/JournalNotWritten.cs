using System;

namespace GanAi.Batching
{
    /// <summary>
    /// The journal could not record a send before it went out. Not an IOException, so the retry
    /// strategy (which retries I/O failures of requests) never sees it as transient.
    /// </summary>
    internal sealed class JournalNotWritten : Exception
    {
        public JournalNotWritten(Exception inner)
            : base("The journal could not record a batch before it was sent: " + inner.Message.TrimEnd('.') + ".", inner)
        {
        }
    }
}
