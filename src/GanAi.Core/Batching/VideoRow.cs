using System.Collections.Generic;

namespace GanAi.Batching
{
    /// <summary>One input row, checked and ready to send: its id, its tags as text, the object it came from, and where it stands.</summary>
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
        /// Where the row stands (sent, may exist, ended ...): the one record of its delivery, moved
        /// only through <see cref="Apply"/> by the run that owns the row (the pipeline thread before
        /// and after its batch, the batch's task while it is in flight).
        /// </summary>
        public RowState State { get; private set; }

        /// <summary>Moves the row to the state <paramref name="happened"/> leads to (<see cref="RowDelivery.Next"/>).</summary>
        internal void Apply(RowEvent happened) => State = RowDelivery.Next(State, happened);

        /// <summary>The same row, state included, with its tags renamed (the pre-flight's spelling of the project's tags).</summary>
        internal VideoRow WithTags(IReadOnlyList<KeyValuePair<string, string>> tags) =>
            new VideoRow(Number, Source, UniqueId, tags) { State = State };
    }
}
