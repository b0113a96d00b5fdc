using GanAi.Resilience;

namespace GanAi.Batching
{
    /// <summary>How rows are sent: batch size, requests in flight, and the resilience settings of each request.</summary>
    public sealed class BatchRunnerSettings
    {
        public const int MaxBatchSize = 1000;
        public const int MaxThrottleLimit = 64;

        public int BatchSize { get; set; } = 100;
        public int ThrottleLimit { get; set; } = 4;
        public ResilienceSettings Resilience { get; set; } = new ResilienceSettings();
    }
}
