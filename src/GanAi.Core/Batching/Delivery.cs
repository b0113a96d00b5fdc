using System;

namespace GanAi.Batching
{
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
}
