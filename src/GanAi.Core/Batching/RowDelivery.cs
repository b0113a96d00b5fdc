using System;

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

    /// <summary>
    /// A row's delivery: where it stands (<see cref="State"/>) and how many sends may have made its
    /// video (<see cref="Sends"/>), moved together by <see cref="RowDelivery.Next(Delivery, RowEvent)"/>.
    /// </summary>
    public readonly struct Delivery
    {
        public Delivery(RowState state, int sends, int sendLimit = 0)
        {
            State = state;
            Sends = sends;
            SendLimit = sendLimit;
        }

        public RowState State { get; }

        /// <summary>
        /// Sends that may have made the row's video, in this run and in earlier runs of its journal; a
        /// send in flight counts until its answer proves it made nothing. Above 1, a result is a possible duplicate.
        /// </summary>
        public int Sends { get; }

        /// <summary>The most sends this row may reach in this run; 0 means the run's cap (a held row released by -RetryUnknown gets one more than it had).</summary>
        public int SendLimit { get; }

        /// <summary>A row read from a journal that says earlier runs' requests may have made it, <paramref name="sends"/> times.</summary>
        public static Delivery Resumed(int sends, int sendLimit) => new Delivery(RowState.UnsentMayExist, Math.Max(1, sends), sendLimit);
    }

    /// <summary>
    /// The transitions of <see cref="RowState"/> and what each state means. Every pair of state and
    /// event has an entry: an ended row stays as it is, and an event that implies an earlier one
    /// (an answer for a row never marked as sent) is taken with it, erring toward "may exist".
    /// </summary>
    public static class RowDelivery
    {
        /// <summary>The state <paramref name="state"/> moves to on <paramref name="happened"/>.</summary>
        public static RowState Next(RowState state, RowEvent happened)
        {
            if (IsEnded(state)) return state;
            var mayExist = state == RowState.UnsentMayExist || state == RowState.SentMayExist;
            var sent = state == RowState.Sent || state == RowState.SentMayExist;
            switch (happened)
            {
                case RowEvent.Sending:
                    return mayExist ? RowState.SentMayExist : RowState.Sent;
                case RowEvent.MaybeProcessed:
                    return RowState.SentMayExist;
                case RowEvent.Answered:
                    return mayExist ? RowState.CreatedPossibleDuplicate : RowState.Created;
                case RowEvent.AnsweredTwice:
                    return RowState.CreatedPossibleDuplicate;
                case RowEvent.Failed:
                    return sent
                        ? (mayExist ? RowState.MayExist : RowState.NotCreated)
                        : (mayExist ? RowState.NotSentMayExist : RowState.NotSent);
                case RowEvent.Abandoned:
                    return sent
                        ? (mayExist ? RowState.Unknown : RowState.NotCreated)
                        : (mayExist ? RowState.NotSentMayExist : RowState.NotSent);
                case RowEvent.RefusedBeforeWork:
                    return state;
                default:
                    throw new ArgumentOutOfRangeException(nameof(happened), happened, "Unknown row event.");
            }
        }

        /// <summary>
        /// The delivery <paramref name="delivery"/> moves to on <paramref name="happened"/>: the state by
        /// the table, and the count of sends: one more on Sending, one less when that send proved to make nothing.
        /// </summary>
        public static Delivery Next(Delivery delivery, RowEvent happened)
        {
            if (IsEnded(delivery.State)) return delivery;
            var sends = happened switch
            {
                RowEvent.Sending => delivery.Sends + 1,
                RowEvent.RefusedBeforeWork => Math.Max(0, delivery.Sends - 1),
                _ => delivery.Sends,
            };
            return new Delivery(Next(delivery.State, happened), sends, delivery.SendLimit);
        }

        /// <summary>Whether nothing more happens to the row in this run (it has its result or its error).</summary>
        public static bool IsEnded(RowState state) => state >= RowState.Created;

        /// <summary>
        /// The journal's status for a row in this state, or null when this run writes no line for it
        /// (not sent in this run: an earlier line, if any, stays the latest). The one mapping from
        /// states to journal lines.
        /// </summary>
        public static string? JournalStatus(RowState state) => state switch
        {
            RowState.Sent => Journal.RunJournal.Sending,
            RowState.SentMayExist => Journal.RunJournal.Sending,
            RowState.Created => Journal.RunJournal.Created,
            RowState.CreatedPossibleDuplicate => Journal.RunJournal.Created,
            RowState.NotCreated => Journal.RunJournal.NotCreated,
            RowState.MayExist => Journal.RunJournal.MayExist,
            RowState.Unknown => Journal.RunJournal.Unknown,
            _ => null,
        };

        /// <summary>The result of a row in this state has PossibleDuplicate set.</summary>
        public static bool IsPossibleDuplicate(RowState state) => state == RowState.CreatedPossibleDuplicate;

        /// <summary>A request with the row may have made its video (in this run or an earlier one): errors say so.</summary>
        public static bool MayExist(RowState state) =>
            state == RowState.UnsentMayExist || state == RowState.SentMayExist || state == RowState.NotSentMayExist ||
            state == RowState.MayExist || state == RowState.Unknown || state == RowState.CreatedPossibleDuplicate;
    }
}
