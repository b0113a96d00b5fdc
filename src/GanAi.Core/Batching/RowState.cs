namespace GanAi.Batching
{
    /// <summary>
    /// Where one row stands on its way to a video. A row holds exactly one of these, changed only by
    /// <see cref="RowDelivery.Next(RowState, RowEvent)"/>; what it means for the journal and for PossibleDuplicate is read
    /// off the state by the functions below, nowhere else. docs/delivery.md has the whole table.
    /// </summary>
    public enum RowState
    {
        /// <summary>Read and checked; no request with it has gone out (in this run, nor in an earlier one the journal knows of).</summary>
        Unsent,

        /// <summary>Not sent in this run yet, but an earlier run's request may have made its video (the journal says may_exist or sending, or unknown with -RetryUnknown).</summary>
        UnsentMayExist,

        /// <summary>Its first request went out in this run (journaled as sending first); nothing says the service processed it.</summary>
        Sent,

        /// <summary>Sent in this run, and a request with it may have been processed (an attempt failed after sending, or an earlier run's did).</summary>
        SentMayExist,

        /// <summary>Ended: its result arrived, and it was made once as far as anything tells.</summary>
        Created,

        /// <summary>Ended: its result arrived, and it may have been made twice (an earlier request may have made it, or the answer named two videos).</summary>
        CreatedPossibleDuplicate,

        /// <summary>Ended with an error before any request with it went out in this run, and no run made it.</summary>
        NotSent,

        /// <summary>Ended with an error before any request with it went out in this run, but an earlier run's request may have made it.</summary>
        NotSentMayExist,

        /// <summary>Ended with an error after it was sent; surely not made (the service refused it, or never received it).</summary>
        NotCreated,

        /// <summary>Ended with an error, and a request with it may have been processed: the video may exist.</summary>
        MayExist,

        /// <summary>Ended without its outcome being learned: the run stopped with it in flight, or -NoRetryAfterSend gave up on it.</summary>
        Unknown,
    }
}
