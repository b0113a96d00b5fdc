using System;
using GanAi.Resilience;

namespace GanAi.Batching
{
    /// <summary>How rows are sent: batch size, requests in flight, and the resilience settings of each request.</summary>
    public sealed class BatchRunnerSettings
    {
        public const int MaxBatchSize = 1000;
        public const int MaxThrottleLimit = 64;

        /// <summary>Batches in flight at the start, and the most the adaptive concurrency grows to when the user sets no -ThrottleLimit.</summary>
        public const int InitialConcurrency = 4;
        public const int DefaultMaxConcurrency = 32;

        public int BatchSize { get; set; } = 100;
        public int ThrottleLimit { get; set; } = 4;
        public ResilienceSettings Resilience { get; set; } = new ResilienceSettings();

        /// <summary>
        /// When a run that keeps a journal stops early (Ctrl+C, <c>Select-Object -First</c>): how long
        /// requests already in flight may take to answer, so their rows are journaled as created rather
        /// than as unknown. Without a journal, requests in flight are cancelled at once.
        /// </summary>
        public TimeSpan StopGracePeriod { get; set; } = TimeSpan.FromSeconds(5);
    }
}
