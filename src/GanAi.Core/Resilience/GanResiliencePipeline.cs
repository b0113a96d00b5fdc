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

    /// <summary>
    /// The attempts of one execution: each one settled (<see cref="Settle"/>: what it proves,
    /// <see cref="OutcomeClassifier"/>), each retry decided (<see cref="ShouldRetry"/>), and what the
    /// caller reads afterwards (the last verdict, whether any attempt may have made the work).
    /// </summary>
    internal sealed class AttemptLog
    {
        private readonly Action<string>? _verbose;
        private readonly string _what;
        private bool _handedOver;
        private volatile bool _bodyLeft;
        private int _retries; // every retry of a single API call; the retries after clear refusals of a billable one

        public AttemptLog(string what, Action<string>? verbose)
        {
            _what = what;
            _verbose = verbose;
        }

        /// <summary>Runs just before each attempt's request is handed to HttpClient (the journal's write-ahead); when it throws, that request is not sent and the execution ends.</summary>
        public Action? BeforeEachSend { get; set; }

        /// <summary>Awaited before each attempt, after the connection's pace (Wait-GanVideo's ceiling on status reads, which counts every attempt); a cancellation ends the execution unsent.</summary>
        public Func<Task>? BeforeEachAttempt { get; set; }

        /// <summary>Runs when an attempt whose request was handed over ends, with what it proves (the rows' count of sends, the run's guard).</summary>
        public Action<AttemptVerdict>? AfterEachSend { get; set; }

        /// <summary>
        /// Decides a resend after an unclear failure (billable requests: the spend guard's cap per row).
        /// Null: single API calls, sent again up to MaxRetries times unless at-most-once.
        /// </summary>
        public Func<Outcome<ApiResponse>, bool>? MayResend { get; set; }

        /// <summary>A request that may make videos (its resends are the spend guard's to allow).</summary>
        public bool IsBillable => MayResend != null;

        /// <summary>The last attempt that was settled, if any (none when no attempt reached its request).</summary>
        public AttemptVerdict? Last { get; private set; }

        /// <summary>Some attempt may have made the work (an unclear failure, a request cancelled after it left).</summary>
        public bool AnyUnclear { get; private set; }

        public int FailedAttempts { get; private set; }

        /// <summary>An attempt was answered 429 (the adaptive concurrency halves).</summary>
        public bool RateLimited { get; private set; }

        /// <summary>The run was stopped while the last attempt's request was with HttpClient.</summary>
        public bool CancelledInFlight { get; private set; }

        /// <summary>An attempt starts: nothing of it has gone out yet (it may still wait for its turn).</summary>
        public void BeginAttempt()
        {
            _handedOver = false;
            _bodyLeft = false;
        }

        /// <summary>The attempt hands its request to HttpClient. A request without a body counts as gone from here.</summary>
        public void MarkSending(bool hasBody)
        {
            BeforeEachSend?.Invoke();
            _handedOver = true;
            if (!hasBody) _bodyLeft = true;
        }

        /// <summary>The request's body started to go out on a connection (called by HttpClient's thread).</summary>
        public void MarkBodyLeaving() => _bodyLeft = true;

        public void MarkCancelledInFlight() => CancelledInFlight = true;

        /// <summary>Classifies the attempt that just ended; null when it never handed its request over (it sent nothing).</summary>
        public AttemptVerdict? Settle(Outcome<ApiResponse> outcome)
        {
            if (!_handedOver)
            {
                Last = null;
                return null;
            }
            var verdict = OutcomeClassifier.Classify(outcome, _bodyLeft);
            Last = verdict;
            if (verdict.Work == WorkVerdict.MayHaveMade) AnyUnclear = true;
            if (verdict.IsRateLimited) RateLimited = true;
            AfterEachSend?.Invoke(verdict);
            return verdict;
        }

        /// <summary>
        /// Whether to try again after the attempt just settled: never after a failure that would not
        /// change, nor after a Retry-After over the cap (the run ends with RateLimited); after a clear
        /// failure up to MaxRetries times; after an unclear one as <see cref="MayResend"/> says.
        /// </summary>
        public bool ShouldRetry(Outcome<ApiResponse> outcome, ResilienceSettings settings)
        {
            if (Last is not { Retryable: true } verdict) return false;
            if (outcome.Result?.RetryAfter > settings.MaxRetryAfter) return false;
            if (MayResend is null)
                return (verdict.Work == WorkVerdict.NothingMade || settings.RetryAfterSend) && _retries++ < settings.MaxRetries;
            if (verdict.Work == WorkVerdict.NothingMade) return _retries++ < settings.MaxRetries;
            return MayResend(outcome);
        }

        public void RecordRetry(Outcome<ApiResponse> outcome, int failedAttempt, TimeSpan delay)
        {
            FailedAttempts++;
            _verbose?.Invoke(string.Format(CultureInfo.InvariantCulture,
                "{0}: attempt {1} failed ({2}); trying again in {3:0.0} s.", _what, failedAttempt, TransientFailure.Describe(outcome), delay.TotalSeconds));
        }
    }
}
