namespace GanAi.Status
{
    /// <summary>One video of a wait: where it stands in the input, and in its group.</summary>
    internal sealed class PolledVideo
    {
        public PolledVideo(long order, WaitGroup? group, bool isLeader, bool isProbe = false)
        {
            Order = order;
            Group = group;
            IsLeader = isLeader;
            IsProbe = isProbe;
        }

        /// <summary>Its position in the input: a lower one gets its turn to read first.</summary>
        public long Order { get; }

        public WaitGroup? Group { get; }

        public bool IsLeader { get; }

        /// <summary>A member: it waits for its leader before its first read.</summary>
        public bool IsMember => Group != null && !IsLeader;

        /// <summary>
        /// The group's second video: when the leader is still not final after about a minute, it reads
        /// on its own too, and finding its own video final ends the group's wait, so one video stuck
        /// rendering does not hold back the others (at a cost of one reader more per group, not one per video).
        /// </summary>
        public bool IsProbe { get; }
    }
}
