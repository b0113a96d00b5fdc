namespace GanAi.Journal
{
    /// <summary>What the journal knows of one row: its latest line, and how many sends may have made its video.</summary>
    public sealed class JournalRecord
    {
        internal JournalRecord(JournalEntry latest, int sends, string status)
        {
            Latest = latest;
            Sends = sends;
            Status = status;
        }

        /// <summary>The row was made: the latest line holds its result.</summary>
        public bool IsCreated => Status == RunJournal.Created;

        /// <summary>The row's latest complete line.</summary>
        public JournalEntry Latest { get; }

        /// <summary>
        /// The row's status as the journal counts it: the latest line's, except that a row named by
        /// a torn last line (its final line lost in mid-write) counts as may_exist when it had been
        /// recorded as not made.
        /// </summary>
        public string Status { get; }

        /// <summary>
        /// Sends that may have made its video: the latest line's count (version 2). For a line of
        /// version 1, which wrote one sending line per row per run and not per send: a row that may
        /// exist counts as at the cap (<see cref="RunJournal.UncountedSends"/>), a made one 1 (2 when flagged).
        /// </summary>
        public int Sends { get; }
    }
}
