using System;
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
        public Delivery Delivery { get; private set; }

        /// <summary>Where the row stands (<see cref="Delivery.State"/>).</summary>
        public RowState State => Delivery.State;

        /// <summary>Sends that may have made its video, in this run and earlier ones of its journal (<see cref="Delivery.Sends"/>).</summary>
        public int Sends => Delivery.Sends;

        /// <summary>Moves the row's delivery as <paramref name="happened"/> says (<see cref="RowDelivery.Next(Delivery, RowEvent)"/>).</summary>
        internal void Apply(RowEvent happened) => Delivery = RowDelivery.Next(Delivery, happened);

        /// <summary>On reading, before it is queued: a journal says earlier runs may have made it (<see cref="Delivery.Resumed"/>).</summary>
        internal void Resume(int sends, int sendLimit)
        {
            if (State != RowState.Unsent) throw new InvalidOperationException("Only a row not yet sent is resumed.");
            Delivery = Delivery.Resumed(sends, sendLimit);
        }

        /// <summary>The same row, delivery included, with its tags renamed (the pre-flight's spelling of the project's tags).</summary>
        internal VideoRow WithTags(IReadOnlyList<KeyValuePair<string, string>> tags) =>
            new VideoRow(Number, Source, UniqueId, tags) { Delivery = Delivery };
    }
}
