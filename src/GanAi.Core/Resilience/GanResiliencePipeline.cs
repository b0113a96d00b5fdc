using System;
using System.Globalization;
using System.Threading;
using System.Threading.Tasks;
using GanAi.Api;
using Polly;
using Polly.Retry;
using Polly.Timeout;

namespace GanAi.Resilience
{
    /// <summary>
    /// The Polly pipelines every request goes through (bulk calls, single API calls, downloads):
    /// bounded retries with exponential backoff and jitter that honour Retry-After, and inside each
    /// attempt a time limit for the request itself (<see cref="AttemptTimeout"/>). They are two
    /// pipelines so that waiting for the connection's pace after a 429 (RateGate) never counts
    /// against the attempt's time limit.
    /// </summary>
    internal sealed class GanResiliencePipeline
    {
        /// <summary>What one execution learned about its failed attempts; read by the caller afterwards.</summary>
        private static readonly ResiliencePropertyKey<AttemptLog> AttemptLogKey = new ResiliencePropertyKey<AttemptLog>("GanAi.AttemptLog");

        private readonly ResiliencePipeline<ApiResponse> _retry;

        public GanResiliencePipeline(ResilienceSettings settings)
        {
            _retry = CreateRetry(settings);
            AttemptTimeout = new ResiliencePipelineBuilder().AddTimeout(new TimeoutStrategyOptions { Timeout = settings.AttemptTimeout }).Build();
        }

        /// <summary>The time limit of one attempt: sending the request and reading the whole answer. Each attempt applies it itself.</summary>
        public ResiliencePipeline AttemptTimeout { get; }

        /// <summary>Runs <paramref name="attempt"/> with retries; <paramref name="log"/> learns of each failed attempt (and decides retries at-most-once).</summary>
        public async Task<ApiResponse> ExecuteAsync(AttemptLog log, Func<CancellationToken, ValueTask<ApiResponse>> attempt, CancellationToken cancellationToken)
        {
            var context = ResilienceContextPool.Shared.Get(cancellationToken);
            context.Properties.Set(AttemptLogKey, log);
            try
            {
                return await _retry.ExecuteAsync(ctx => attempt(ctx.CancellationToken), context).ConfigureAwait(false);
            }
            finally
            {
                ResilienceContextPool.Shared.Return(context);
            }
        }

        private static ResiliencePipeline<ApiResponse> CreateRetry(ResilienceSettings settings)
        {
            var builder = new ResiliencePipelineBuilder<ApiResponse>();
            if (settings.MaxRetries > 0)
            {
                builder.AddRetry(new RetryStrategyOptions<ApiResponse>
                {
                    ShouldHandle = args =>
                    {
                        if (!TransientFailure.IsTransient(args.Outcome)) return new ValueTask<bool>(false);
                        if (settings.RetryAfterSend) return new ValueTask<bool>(true);
                        // At-most-once: only failures that provably happened before the service processed anything.
                        var log = args.Context.Properties.GetValue(AttemptLogKey, null!);
                        return new ValueTask<bool>(log is null || !log.IsAmbiguous(args.Outcome));
                    },
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
            return builder.Build();
        }
    }

    /// <summary>The attempts of one execution: whether any may have been processed, for PossibleDuplicate, OutcomeUnknown and verbose messages.</summary>
    internal sealed class AttemptLog
    {
        private readonly Action<string>? _verbose;
        private readonly string _what;
        private bool _sending;
        private bool _sentOnce;
        private bool _cancelledInFlight; // the run was stopped while this attempt's request was with the service
        private bool _answeredUnread; // the last attempt's answer (2xx or 5xx) was too large to read

        public AttemptLog(string what, Action<string>? verbose)
        {
            _what = what;
            _verbose = verbose;
        }

        /// <summary>An earlier attempt failed after its body may have reached the service.</summary>
        public bool Ambiguous { get; private set; }

        /// <summary>The last attempt failed after its body may have reached the service.</summary>
        public bool LastAttemptAmbiguous { get; private set; }

        public int FailedAttempts { get; private set; }

        /// <summary>
        /// Some attempt may have been processed by the service: one failed ambiguously, one was
        /// cancelled in flight, or the last one was answered 2xx or 5xx with a body too large to read.
        /// </summary>
        public bool MayHaveBeenProcessed => Ambiguous || _cancelledInFlight || _answeredUnread;

        /// <summary>An attempt starts: it has not sent anything yet (it may still wait for its turn).</summary>
        public void BeginAttempt() => _sending = false;

        /// <summary>
        /// Runs once, just before the first attempt hands its request to HttpClient (the journal's
        /// write-ahead lines). When it throws, the request is not sent and the exception ends the
        /// execution (it must not be one the retry strategy takes as transient).
        /// </summary>
        public Action? BeforeFirstSend { get; set; }

        /// <summary>The attempt is handing its request to HttpClient: from here a failure may leave work done.</summary>
        public void MarkSending()
        {
            if (!_sentOnce)
            {
                _sentOnce = true;
                BeforeFirstSend?.Invoke();
            }
            _sending = true;
        }

        /// <summary>The attempt's request, already sent, was cancelled.</summary>
        public void MarkCancelledInFlight() => _cancelledInFlight = true;

        /// <summary>True when this failed attempt may have been processed by the service.</summary>
        public bool IsAmbiguous(Outcome<ApiResponse> outcome) =>
            _sending && TransientFailure.IsTransient(outcome) && TransientFailure.MayHaveBeenProcessed(outcome);

        public void RecordRetry(Outcome<ApiResponse> outcome, int failedAttempt, TimeSpan delay)
        {
            FailedAttempts++;
            if (IsAmbiguous(outcome)) Ambiguous = true;
            _verbose?.Invoke(string.Format(CultureInfo.InvariantCulture,
                "{0}: attempt {1} failed ({2}); trying again in {3:0.0} s.", _what, failedAttempt, TransientFailure.Describe(outcome), delay.TotalSeconds));
        }

        /// <summary>Records the last attempt, after the pipeline returned or threw.</summary>
        public void RecordFinal(Outcome<ApiResponse> outcome)
        {
            LastAttemptAmbiguous = IsAmbiguous(outcome);
            if (LastAttemptAmbiguous) Ambiguous = true;
            if (outcome.Exception is { } failure && TransientFailure.IsUnreadAnswerOfWork(failure)) _answeredUnread = true;
        }
    }
}
