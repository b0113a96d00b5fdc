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
        /// Sends that may have made its video: the latest line's count (version 2), or for a line of
        /// version 1 the row's sending lines (each run wrote one per request, its retries included),
        /// at least 1 when the latest says it may exist.
        /// </summary>
        public int Sends { get; }
    }
}
