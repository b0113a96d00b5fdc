namespace GanAi.Concurrency
{
    /// <summary>One progress line for the host to show (a cmdlet turns it into a ProgressRecord).</summary>
    public sealed class ProgressReport
    {
        internal ProgressReport(string activity, string status, int percentComplete, bool completed)
        {
            Activity = activity;
            Status = status;
            PercentComplete = percentComplete;
            Completed = completed;
        }

        public string Activity { get; }

        public string Status { get; }

        /// <summary>0 to 100, or -1 when the total is not known.</summary>
        public int PercentComplete { get; }

        /// <summary>The bar is done and should go away.</summary>
        public bool Completed { get; }
    }
}
