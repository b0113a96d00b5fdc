namespace GanAi.Batching
{
    /// <summary>What can happen to a row; <see cref="RowDelivery.Next(RowState, RowEvent)"/> gives the state each event leads to.</summary>
    public enum RowEvent
    {
        /// <summary>Its first request in this run is about to go out (after the journal's write-ahead line).</summary>
        Sending,

        /// <summary>An attempt with it failed after the service may have processed it (a 5xx, a dropped connection or a timeout after sending, a cancelled request, a 200 that did not name it).</summary>
        MaybeProcessed,

        /// <summary>The service answered with its result.</summary>
        Answered,

        /// <summary>The service answered with two different videos for its unique_id.</summary>
        AnsweredTwice,

        /// <summary>It ends in an error; nothing more is tried for it in this run.</summary>
        Failed,

        /// <summary>It ends without its outcome being learned: the run stopped with it in flight, or it reached its cap of sends after an unclear answer.</summary>
        Abandoned,

        /// <summary>The send just made provably made nothing (it never left, or the answer proves no work: docs/delivery.md, rule 2): it does not count.</summary>
        RefusedBeforeWork,
    }
}
