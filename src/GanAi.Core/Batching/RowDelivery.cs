using System;

namespace GanAi.Batching
{
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
