using System;

namespace GanAi.Resilience
{
    /// <summary>How hard one request is tried: bounded attempts, a per-attempt time limit and backoff.</summary>
    public sealed class ResilienceSettings
    {
        /// <summary>Retries after a failure that made nothing (0 = none); a single API call's every retry.</summary>
        public int MaxRetries { get; set; } = 5;

        /// <summary>Time limit of one attempt (sending the request and reading the whole answer).</summary>
        public TimeSpan AttemptTimeout { get; set; } = TimeSpan.FromSeconds(100);

        /// <summary>First backoff delay; later ones grow exponentially, with jitter.</summary>
        public TimeSpan BaseDelay { get; set; } = TimeSpan.FromSeconds(1);

        /// <summary>
        /// At-least-once (true, the default): a request that failed without a clear answer after it was
        /// sent (no answer, a 5xx) is sent once more, and its results are flagged PossibleDuplicate.
        /// At-most-once (false): only failures that prove nothing was made are retried (429, 408, a
        /// connection never made); the others end as OutcomeUnknown. docs/delivery.md has the rules.
        /// </summary>
        public bool RetryAfterSend { get; set; } = true;

        /// <summary>The least wait before a billable request is sent again after an unclear 5xx, so a gateway's short blip passes.</summary>
        public TimeSpan ResendDelay { get; set; } = TimeSpan.FromSeconds(10);

        /// <summary>No backoff delay of our own exceeds this.</summary>
        public TimeSpan MaxDelay { get; set; } = TimeSpan.FromSeconds(60);

        /// <summary>
        /// The longest Retry-After honoured, by the retry and by the connection's shared pause. A
        /// service that asks for longer gets no retry: the run ends with RateLimited, saying how long it asked.
        /// </summary>
        public TimeSpan MaxRetryAfter { get; set; } = RateGate.MaxPause;
    }
}
