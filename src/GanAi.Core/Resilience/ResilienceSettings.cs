using System;

namespace GanAi.Resilience
{
    /// <summary>How hard one request is tried: bounded attempts, a per-attempt time limit and backoff.</summary>
    public sealed class ResilienceSettings
    {
        /// <summary>Retries after the first attempt (0 = no retry).</summary>
        public int MaxRetries { get; set; } = 5;

        /// <summary>Time limit of one attempt (sending the request and reading the whole answer).</summary>
        public TimeSpan AttemptTimeout { get; set; } = TimeSpan.FromSeconds(100);

        /// <summary>First backoff delay; later ones grow exponentially, with jitter.</summary>
        public TimeSpan BaseDelay { get; set; } = TimeSpan.FromSeconds(1);

        /// <summary>
        /// At-least-once (true, the default): a request that failed after it was sent (timeout, dropped
        /// connection, 5xx) is sent again, and its results are flagged PossibleDuplicate. At-most-once
        /// (false): only failures that provably happened before the service processed anything are
        /// retried (429, 408, refused connections, waits before sending); the others end as OutcomeUnknown.
        /// </summary>
        public bool RetryAfterSend { get; set; } = true;

        /// <summary>No backoff delay of our own exceeds this.</summary>
        public TimeSpan MaxDelay { get; set; } = TimeSpan.FromSeconds(60);

        /// <summary>
        /// The longest Retry-After honoured, by the retry and by the connection's shared pause. A
        /// service that asks for longer gets no retry: the run ends with RateLimited, saying how long it asked.
        /// </summary>
        public TimeSpan MaxRetryAfter { get; set; } = RateGate.MaxPause;
    }
}
