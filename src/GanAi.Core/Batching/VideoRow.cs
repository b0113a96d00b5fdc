using System.Collections.Generic;

namespace GanAi.Batching
{
    /// <summary>One input row, checked and ready to send: its id, its tags as text and the object it came from.</summary>
    public sealed class VideoRow
    {
        internal VideoRow(long number, object source, string uniqueId, IReadOnlyList<KeyValuePair<string, string>> tags)
        {
            Number = number;
            Source = source;
            UniqueId = uniqueId;
            Tags = tags;
        }

        /// <summary>1-based position in the input.</summary>
        public long Number { get; }

        /// <summary>The input object, so every error record can carry the row as its TargetObject.</summary>
        public object Source { get; }

        public string UniqueId { get; }

        /// <summary>Tag names and values as sent, without <c>unique_id</c>.</summary>
        public IReadOnlyList<KeyValuePair<string, string>> Tags { get; }

        /// <summary>
        /// An earlier run sent this row and never learned whether the service made its video (its
        /// journal says unknown or may_exist), and it is sent again: its result is flagged PossibleDuplicate.
        /// </summary>
        internal bool SentBefore { get; set; }

        /// <summary>
        /// In this run, a request with this row may have been processed without its result being
        /// learned (an ambiguous attempt, or a 200 answer that does not mention it or cannot be read).
        /// A later result for it is flagged PossibleDuplicate; a stop fails it as OutcomeUnknown; when
        /// it ends in an error, the journal records it as may_exist.
        /// </summary>
        internal bool MayExist { get; set; }

        /// <summary>In this run, the journal recorded this row as sending (before its first request went out).</summary>
        internal bool SendingRecorded { get; set; }
    }
}
