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
        /// An earlier run sent this row and never learned its outcome (its journal says unknown), and it
        /// is sent again (-RetryUnknown): its result is flagged PossibleDuplicate.
        /// </summary>
        internal bool SentBefore { get; set; }
    }
}
