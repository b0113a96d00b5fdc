using System;
using System.Globalization;
using System.Threading.Tasks;
using GanAi.Api;
using Polly;
using Polly.Retry;
using Polly.Timeout;

namespace GanAi.Resilience
{
    /// <summary>
    /// The one Polly pipeline every request goes through: bounded retries with exponential backoff
    /// and jitter that honour Retry-After, around a per-attempt timeout.
    /// </summary>
    internal static class GanResiliencePipeline
    {
        /// <summary>What one execution learned about its failed attempts; read by the caller afterwards.</summary>
        public static readonly ResiliencePropertyKey<AttemptLog> AttemptLogKey = new ResiliencePropertyKey<AttemptLog>("GanAi.AttemptLog");

        public static ResiliencePipeline<ApiResponse> Create(ResilienceSettings settings)
        {
            var builder = new ResiliencePipelineBuilder<ApiResponse>();
            if (settings.MaxRetries > 0)
            {
                builder.AddRetry(new RetryStrategyOptions<ApiResponse>
                {
                    ShouldHandle = args => new ValueTask<bool>(TransientFailure.IsTransient(args.Outcome)),
                    MaxRetryAttempts = settings.MaxRetries,
                    BackoffType = DelayBackoffType.Exponential,
                    UseJitter = true,
                    Delay = settings.BaseDelay,
                    MaxDelay = settings.MaxDelay,
                    DelayGenerator = args =>
                    {
                        // Retry-After (seconds or an HTTP date) wins over our own backoff, capped.
                        if (args.Outcome.Result?.RetryAfter is { } retryAfter)
                            return new ValueTask<TimeSpan?>(retryAfter > settings.MaxDelay ? settings.MaxDelay : retryAfter);
                        return new ValueTask<TimeSpan?>((TimeSpan?)null);
                    },
                    OnRetry = args =>
                    {
                        if (args.Context.Properties.TryGetValue(AttemptLogKey, out var log))
                            log.RecordRetry(args.Outcome, args.AttemptNumber + 1, args.RetryDelay);
                        return default;
                    },
                });
            }
            builder.AddTimeout(new TimeoutStrategyOptions { Timeout = settings.AttemptTimeout });
            return builder.Build();
        }
    }

    /// <summary>The failed attempts of one execution, for the PossibleDuplicate flag and verbose messages.</summary>
    internal sealed class AttemptLog
    {
        private readonly Action<string>? _verbose;
        private readonly string _what;

        public AttemptLog(string what, Action<string>? verbose)
        {
            _what = what;
            _verbose = verbose;
        }

        /// <summary>An earlier attempt failed after its body may have reached the service.</summary>
        public bool Ambiguous { get; private set; }

        public int FailedAttempts { get; private set; }

        public void RecordRetry(Outcome<ApiResponse> outcome, int failedAttempt, TimeSpan delay)
        {
            FailedAttempts++;
            if (TransientFailure.MayHaveBeenProcessed(outcome)) Ambiguous = true;
            _verbose?.Invoke(string.Format(CultureInfo.InvariantCulture,
                "{0}: attempt {1} failed ({2}); trying again in {3:0.0} s.", _what, failedAttempt, TransientFailure.Describe(outcome), delay.TotalSeconds));
        }

        /// <summary>Records the last attempt too, when it failed and no retry followed.</summary>
        public void RecordFinal(Outcome<ApiResponse> outcome)
        {
            if (TransientFailure.IsTransient(outcome) && TransientFailure.MayHaveBeenProcessed(outcome)) Ambiguous = true;
        }
    }
}
