namespace GanAi.Resilience
{
    /// <summary>One attempt, classified: what it proves (<see cref="Work"/>), whether it is worth another attempt, and what kind of failure it was.</summary>
    public readonly struct AttemptVerdict
    {
        internal AttemptVerdict(WorkVerdict work, bool retryable, bool noAnswer = false, bool neverLeft = false, int status = 0)
        {
            Work = work;
            Retryable = retryable;
            NoAnswer = noAnswer;
            NeverLeft = neverLeft;
            Status = status;
        }

        public WorkVerdict Work { get; }

        /// <summary>Another attempt could end otherwise (a refusal that passes, a failure of the network).</summary>
        public bool Retryable { get; }

        /// <summary>The request left and no HTTP answer came back (the time limit, a dropped connection).</summary>
        public bool NoAnswer { get; }

        /// <summary>The request's body never left this machine (no connection was made, or none became free in time).</summary>
        public bool NeverLeft { get; }

        /// <summary>The answer's status, or 0 when none came.</summary>
        public int Status { get; }

        public bool IsRateLimited => Status == 429;

        /// <summary>An unclear 5xx or no answer at all: what counts toward ending a run whose service stopped working (docs/delivery.md, rule 4).</summary>
        public bool IsUnclearFailure => Work == WorkVerdict.MayHaveMade && (NoAnswer || Status >= 500);
    }
}
