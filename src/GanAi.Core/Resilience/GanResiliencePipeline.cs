using System;
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
    /// one order: retries with exponential backoff and jitter that honour Retry-After (up to
    /// <see cref="ResilienceSettings.MaxRetryAfter"/>), each decided by the execution's
    /// <see cref="AttemptLog"/>; inside them, for a run that has one, the run's circuit breaker
    /// (<see cref="ServiceReachability"/>); inside that, one attempt. An attempt of an API call
    /// (<see cref="SendAsync"/>) waits for the connection's pace (after a 429), runs the log's
    /// write-ahead just before its request is handed over, then sends exactly one request within the
    /// attempt's time limit (<see cref="TimeLimit"/>; the pace is not part of it), and is settled
    /// (<see cref="AttemptLog.Settle"/>) before the retry strategy sees it. Callers get one outcome,
    /// a result or an exception, never both paths.
    /// </summary>
    internal sealed class GanResiliencePipeline
    {
        /// <summary>The execution's log, for the retry strategy's callbacks.</summary>
        private static readonly ResiliencePropertyKey<AttemptLog> AttemptLogKey = new ResiliencePropertyKey<AttemptLog>("GanAi.AttemptLog");

        /// <summary>Retries Polly may make at most, above -MaxRetries: the log bounds them (resends after an unclear answer are capped per row).</summary>
        private const int ResendHeadroom = 10;

        private readonly ResiliencePipeline<ApiResponse> _pipeline;
        private readonly ServiceReachability? _reachability;
        private readonly ResilienceSettings _settings;

        public GanResiliencePipeline(ResilienceSettings settings, ServiceReachability? reachability = null)
        {
            _settings = settings;
            _reachability = reachability;
            _pipeline = Create(settings, reachability);
            TimeLimit = new ResiliencePipelineBuilder().AddTimeout(new TimeoutStrategyOptions { Timeout = settings.AttemptTimeout }).Build();
        }

        /// <summary>The time limit of one attempt: sending the request and reading the whole answer. Each attempt applies it itself.</summary>
        public ResiliencePipeline TimeLimit { get; }

        /// <summary>The longest Retry-After honoured; an answer that asks for longer is not retried.</summary>
        public TimeSpan MaxRetryAfter => _settings.MaxRetryAfter;

        /// <summary>
        /// Runs <paramref name="attempt"/> with retries and returns its last outcome; <paramref name="log"/>
        /// settles each attempt and decides each retry. Never throws for a failure of the request, nor
        /// for a cancellation: both are in the outcome.
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
                        Outcome<ApiResponse> one;
                        try
                        {
                            one = Outcome.FromResult(await run(ctx.CancellationToken).ConfigureAwait(false));
                        }
                        catch (Exception ex)
                        {
                            one = Outcome.FromException<ApiResponse>(ex);
                        }
                        Settle(log, one);
                        return one;
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
        /// One API request with retries. Each attempt: the connection's pace, then
        /// <see cref="AttemptLog.MarkSending"/> (the write-ahead of a billable request), then the
        /// request within its time limit, its body made by <paramref name="body"/> for this attempt (a
        /// resend may carry fewer rows).
        /// </summary>
        /// <remarks>
        /// Two tokens: <c>waits</c> cancels the execution until a request is handed to HttpClient, and
        /// every wait between attempts; <c>requests</c> cancels a request once sent. A stopping run that
        /// keeps a journal cancels only <c>waits</c> at first, so requests in flight can still answer
        /// and be recorded.
        /// </remarks>
        public Task<Outcome<ApiResponse>> SendAsync(GanApiClient client, HttpMethod method, string path, Func<ArraySegment<byte>?> body, AttemptLog log,
            CancellationToken waits, CancellationToken requests) =>
            ExecuteOutcomeAsync(log, async token =>
            {
                log.BeginAttempt();
                await client.RateGate.WaitTurnAsync(token).ConfigureAwait(false);
                if (log.BeforeEachAttempt is { } before) await before().ConfigureAwait(false);
                token.ThrowIfCancellationRequested();
                var content = body();
                log.MarkSending(hasBody: content.HasValue);
                ApiResponse answer;
                try
                {
                    answer = await TimeLimit.ExecuteAsync(
                        async attemptToken => await client.SendAsync(method, path, content, attemptToken, log.MarkBodyLeaving).ConfigureAwait(false), requests).ConfigureAwait(false);
                }
                catch (OperationCanceledException) when (requests.IsCancellationRequested)
                {
                    log.MarkCancelledInFlight();
                    throw;
                }
                if (answer.Status == 429) client.RateGate.OnRateLimited(answer.RetryAfter, MaxRetryAfter);
                else if (answer.IsSuccess) client.RateGate.OnAccepted();
                return answer;
            }, waits);

        /// <summary>An attempt ended: the log classifies it; the breaker hears whether the service answered or could not be reached.</summary>
        private void Settle(AttemptLog log, Outcome<ApiResponse> outcome)
        {
            var verdict = log.Settle(outcome);
            if (_reachability is null || verdict is not { } settled) return;
            if (outcome.Result != null || outcome.Exception is GanApiException) _reachability.OnAnswer();
            else if (settled.NeverLeft || (outcome.Exception is { } failure && TransientFailure.IsConnectFailure(failure)))
                _reachability.OnConnectFailure(TransientFailure.Describe(outcome));
        }

        private static ResiliencePipeline<ApiResponse> Create(ResilienceSettings settings, ServiceReachability? reachability)
        {
            var builder = new ResiliencePipelineBuilder<ApiResponse>();
            builder.AddRetry(new RetryStrategyOptions<ApiResponse>
            {
                ShouldHandle = args => new ValueTask<bool>(args.Context.Properties.GetValue(AttemptLogKey, null!)?.ShouldRetry(args.Outcome, settings) ?? false),
                MaxRetryAttempts = settings.MaxRetries + ResendHeadroom,
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = true,
                Delay = settings.BaseDelay,
                MaxDelay = settings.MaxDelay,
                DelayGenerator = args =>
                {
                    // A billable resend after an unclear 5xx waits long enough for a gateway's short blip to
                    // pass, whatever Retry-After says (a "0" must not shorten it: docs/delivery.md, rule 1);
                    // otherwise Retry-After (at most MaxRetryAfter, see ShouldRetry) wins over our own backoff.
                    var retryAfter = args.Outcome.Result?.RetryAfter;
                    var log = args.Context.Properties.GetValue(AttemptLogKey, null!);
                    if (log is { IsBillable: true, Last: { IsUnclearFailure: true, NoAnswer: false } })
                        return new ValueTask<TimeSpan?>(retryAfter > settings.ResendDelay ? retryAfter : settings.ResendDelay);
                    return new ValueTask<TimeSpan?>(retryAfter);
                },
                OnRetry = args =>
                {
                    if (args.Context.Properties.TryGetValue(AttemptLogKey, out var log))
                        log.RecordRetry(args.Outcome, args.AttemptNumber + 1, args.RetryDelay);
                    return default;
                },
            });
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

}
