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

        /// <summary>No backoff delay (nor honoured Retry-After) exceeds this.</summary>
        public TimeSpan MaxDelay { get; set; } = TimeSpan.FromSeconds(60);
    }
}
