using System;
using System.Globalization;
using System.Threading.Tasks;
using GanAi.Api;
using Polly;

namespace GanAi.Resilience
{
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
