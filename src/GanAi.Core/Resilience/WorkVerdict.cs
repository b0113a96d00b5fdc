namespace GanAi.Resilience
{
    /// <summary>What an attempt's outcome proves about the service's work.</summary>
    public enum WorkVerdict
    {
        /// <summary>A 2xx: the service did the work (its answer says what it made).</summary>
        Done,

        /// <summary>Clear: nothing was made (the request never left, or an answer given before any work).</summary>
        NothingMade,

        /// <summary>Unclear: the service may have made the videos (no answer after the request left, a 5xx, most 4xx).</summary>
        MayHaveMade,
    }
}
