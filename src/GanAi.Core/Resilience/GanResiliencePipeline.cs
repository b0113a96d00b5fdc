using System;
using System.Globalization;
using System.Net.Http;
using System.Threading;
using System.Threading.Tasks;
using GanAi.Api;
using Polly;
using Polly.CircuitBreaker;
using Polly.Retry;
using Polly.Timeout;

namespace GanAi.Resilience
{
    /// <summary>
    /// The Polly pipeline every request goes through (bulk calls, single API calls, downloads), in
    /// one order: bounded retries with exponential backoff and jitter that honour Retry-After (up to
    /// <see cref="ResilienceSettings.MaxRetryAfter"/>); inside them, for a run that has one, the run's
    /// circuit breaker (<see cref="ServiceReachability"/>); inside that, one attempt. An attempt of an
    /// API call (<see cref="SendAsync"/>) waits for the connection's pace (after a 429), writes the
    /// journal's write-ahead lines before its first request goes out, then sends exactly one request
    /// within the attempt's time limit (<see cref="AttemptTimeout"/>; the pace is not part of it).
    /// Callers get one outcome, a result or an exception, never both paths.
    /// </summary>
    internal sealed class GanResiliencePipeline
    {
        /// <summary>What one execution learned about its failed attempts; read by the caller afterwards.</summary>
        private static readonly ResiliencePropertyKey<AttemptLog> AttemptLogKey = new ResiliencePropertyKey<AttemptLog>("GanAi.AttemptLog");

        private readonly ResiliencePipeline<ApiResponse> _pipeline;
        private readonly ServiceReachability? _reachability;

        public GanResiliencePipeline(ResilienceSettings settings, ServiceReachability? reachability = null)
        {
            MaxRetryAfter = settings.MaxRetryAfter;
            _reachability = reachability;
            _pipeline = Create(settings, reachability);
            AttemptTimeout = new ResiliencePipelineBuilder().AddTimeout(new TimeoutStrategyOptions { Timeout = settings.AttemptTimeout }).Build();
        }

        /// <summary>The time limit of one attempt: sending the request and reading the whole answer. Each attempt applies it itself.</summary>
        public ResiliencePipeline AttemptTimeout { get; }

        /// <summary>The longest Retry-After honoured; an answer that asks for longer is not retried.</summary>
        public TimeSpan MaxRetryAfter { get; }

        /// <summary>The run's breaker, if any: its state tells a wait it ended apart from a stop.</summary>
        public ServiceReachability? Reachability => _reachability;

        /// <summary>
        /// Runs <paramref name="attempt"/> with retries and returns its last outcome; <paramref name="log"/>
        /// learns of each failed attempt (and decides retries at-most-once). Never throws for a failure of
        /// the request, nor for a cancellation: both are in the outcome.
        /// </summary>
        public async Task<Outcome<ApiResponse>> ExecuteOutcomeAsync(AttemptLog log, Func<CancellationToken, ValueTask<ApiResponse>> attempt, CancellationToken cancellationToken)
        {
            using var waits = _reachability is null ? null : CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, _reachability.Opened);
            var context = ResilienceContextPool.Shared.Get(waits?.Token ?? cancellationToken);
            context.Properties.Set(AttemptLogKey, log);
            try
            {
                var outcome = await _pipeline.ExecuteOutcomeAsync(
                    async (ctx, run) =>
                    {
                        try
                        {
                            return Outcome.FromResult(await run(ctx.CancellationToken).ConfigureAwait(false));
                        }
                        catch (Exception ex)
                        {
                            return Outcome.FromException<ApiResponse>(ex);
                        }
                    },
                    context,
                    attempt).ConfigureAwait(false);
                // The breaker opened: a wait it ended, or an attempt Polly's breaker rejected, is one
                // failure that says why (not a cancellation, unless the caller's own token was cancelled).
                if (_reachability is { IsOpen: true } open && !cancellationToken.IsCancellationRequested &&
                    (outcome.Exception is OperationCanceledException || outcome.Exception is BrokenCircuitException))
                    return Outcome.FromException<ApiResponse>(new BrokenCircuitException(open.Reason, outcome.Exception));
                return outcome;
            }
            finally
            {
                ResilienceContextPool.Shared.Return(context);
            }
        }

        /// <summary><see cref="ExecuteOutcomeAsync"/> for callers that want the answer or the exception (downloads).</summary>
        public async Task<ApiResponse> ExecuteAsync(AttemptLog log, Func<CancellationToken, ValueTask<ApiResponse>> attempt, CancellationToken cancellationToken)
        {
            var outcome = await ExecuteOutcomeAsync(log, attempt, cancellationToken).ConfigureAwait(false);
            outcome.ThrowIfException();
            return outcome.Result!;
        }

        /// <summary>
        /// One API request with retries. Each attempt: the connection's pace, then (once, before the
        /// first request goes out) <see cref="AttemptLog.BeforeFirstSend"/>, then the request within its
        /// time limit; its answer (or its failure to connect) is told to the pace and the breaker.
        /// </summary>
        /// <remarks>
        /// Two tokens: <c>waits</c> cancels the execution until a request is handed to HttpClient, and
        /// every wait between attempts; <c>requests</c> cancels a request once sent. A stopping run that
        /// keeps a journal cancels only <c>waits</c> at first, so requests in flight can still answer
        /// and be recorded.
        /// </remarks>
        public Task<Outcome<ApiResponse>> SendAsync(GanApiClient client, HttpMethod method, string path, ArraySegment<byte>? body, AttemptLog log,
            CancellationToken waits, CancellationToken requests) =>
            ExecuteOutcomeAsync(log, async token =>
            {
                log.BeginAttempt();
                await client.RateGate.WaitTurnAsync(token).ConfigureAwait(false);
                token.ThrowIfCancellationRequested();
                log.MarkSending();
                ApiResponse answer;
                try
                {
                    answer = await AttemptTimeout.ExecuteAsync(
                        async attemptToken => await client.SendAsync(method, path, body, attemptToken).ConfigureAwait(false), requests).ConfigureAwait(false);
                }
                catch (OperationCanceledException) when (requests.IsCancellationRequested)
                {
                    log.MarkCancelledInFlight();
                    throw;
                }
                catch (Exception ex) when (TransientFailure.IsConnectFailure(ex))
                {
                    _reachability?.OnConnectFailure(TransientFailure.Describe(Outcome.FromException<ApiResponse>(ex)));
                    throw;
                }
                _reachability?.OnAnswer();
                if (answer.Status == 429)
                {
                    log.MarkRateLimited();
                    client.RateGate.OnRateLimited(answer.RetryAfter, MaxRetryAfter);
                }
                else if (answer.IsSuccess) client.RateGate.OnAccepted();
                return answer;
            }, waits);

        private static ResiliencePipeline<ApiResponse> Create(ResilienceSettings settings, ServiceReachability? reachability)
        {
            var builder = new ResiliencePipelineBuilder<ApiResponse>();
            if (settings.MaxRetries > 0)
            {
                builder.AddRetry(new RetryStrategyOptions<ApiResponse>
                {
                    ShouldHandle = args =>
                    {
                        if (!TransientFailure.IsTransient(args.Outcome)) return new ValueTask<bool>(false);
                        if (args.Outcome.Result?.RetryAfter > settings.MaxRetryAfter) return new ValueTask<bool>(false); // the caller ends the run (RateLimited)
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
                        // Retry-After (seconds or an HTTP date; at most MaxRetryAfter, see ShouldHandle) wins over our own backoff.
                        if (args.Outcome.Result?.RetryAfter is { } retryAfter) return new ValueTask<TimeSpan?>(retryAfter);
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
            if (reachability != null)
            {
                // Opened only by the run's own rule (ServiceReachability), never by Polly's failure ratio.
                builder.AddCircuitBreaker(new CircuitBreakerStrategyOptions<ApiResponse>
                {
                    ManualControl = reachability.Control,
                    ShouldHandle = _ => new ValueTask<bool>(false),
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

        /// <summary>An attempt was answered 429 (the adaptive concurrency halves).</summary>
        public bool RateLimited { get; private set; }

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

        /// <summary>The attempt was answered 429.</summary>
        public void MarkRateLimited() => RateLimited = true;

        /// <summary>The attempt's request, already sent, was cancelled.</summary>
        public void MarkCancelledInFlight() => _cancelledInFlight = true;

        /// <summary>True when this failed attempt may have been processed by the service.</summary>
        public bool IsAmbiguous(Outcome<ApiResponse> outcome) => _sending && TransientFailure.MayHaveBeenProcessed(outcome);

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
