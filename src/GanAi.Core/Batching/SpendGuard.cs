using System;
using System.Globalization;
using GanAi.Resilience;

namespace GanAi.Batching
{
    /// <summary>
    /// What bounds a run's spend whatever the service does (docs/delivery.md, rules 1, 3 and 4):
    /// <list type="bullet">
    /// <item>a cap on each row's sends that may have made a video (<see cref="Cap"/>: 2, or 1
    /// at-most-once), counted across runs of a journal (<see cref="VideoRow.Sends"/>);</item>
    /// <item>the run ends when the service stops working, in completion order: after
    /// <see cref="NoAnswerLimit"/> requests in a row got no answer (ServiceNotAnswering), after
    /// <see cref="UnclearLimit"/> in a row failed unclearly, a 5xx or no answer (ServiceError), or after
    /// <see cref="RateLimitedBatchLimit"/> batches in a row used up their retries on 429 (RateLimited);</item>
    /// <item>the run's circuit breaker (<see cref="Breaker"/>), which ends it when the service cannot be reached.</item>
    /// </list>
    /// Thread-safe: batches settle their attempts on background tasks.
    /// </summary>
    internal sealed class SpendGuard : IDisposable
    {
        public const int NoAnswerLimit = 3;
        public const int UnclearLimit = 10;
        public const int RateLimitedBatchLimit = 5;

        private readonly object _gate = new object();
        private readonly RunEnd _runEnd;
        private readonly TimeSpan _timeLimit;
        private int _noAnswer;
        private int _unclear;
        private int _rateLimitedBatches;

        public SpendGuard(ResilienceSettings settings, RunEnd runEnd)
        {
            Cap = settings.RetryAfterSend ? 2 : 1;
            _timeLimit = settings.AttemptTimeout;
            _runEnd = runEnd;
        }

        /// <summary>The most sends that may have made a row's video, in all runs of a journal: 2 (at-least-once), or 1 (-NoRetryAfterSend).</summary>
        public int Cap { get; }

        public ServiceReachability Breaker { get; } = new ServiceReachability();

        /// <summary>Whether <paramref name="row"/> may be sent once more: under its limit (the run's cap, or one more than a held row had when -RetryUnknown released it).</summary>
        public bool MayResend(VideoRow row) => row.Sends < (row.Delivery.SendLimit > 0 ? row.Delivery.SendLimit : Cap);

        /// <summary>
        /// Whether a journal's record holds the row back on resume: it is recorded as unknown, or its
        /// sends reached the cap. -RetryUnknown releases it for one more send.
        /// </summary>
        public bool Holds(string status, int sends) => status == Journal.RunJournal.Unknown || sends >= Cap;

        /// <summary>An attempt of a billable request ended (rule 4's streaks, in completion order: any other outcome breaks a streak).</summary>
        public void OnAttempt(AttemptVerdict verdict)
        {
            RunEndingFailure? ending = null;
            lock (_gate)
            {
                _noAnswer = verdict.NoAnswer ? _noAnswer + 1 : 0;
                _unclear = verdict.IsUnclearFailure ? _unclear + 1 : 0;
                if (_noAnswer >= NoAnswerLimit) ending = NotAnswering();
                else if (_unclear >= UnclearLimit) ending = KeepsFailing();
            }
            if (ending != null) _runEnd.End(ending, cancelInFlight: true);
        }

        /// <summary>A batch ended: <paramref name="refusedWith429"/> when it used up its retries on 429.</summary>
        public void OnBatchEnded(bool refusedWith429)
        {
            bool ends;
            lock (_gate)
            {
                _rateLimitedBatches = refusedWith429 ? _rateLimitedBatches + 1 : 0;
                ends = _rateLimitedBatches >= RateLimitedBatchLimit;
            }
            if (ends)
            {
                _runEnd.End(new RunEndingFailure(ErrorIds.RateLimited, new InvalidOperationException(string.Format(CultureInfo.InvariantCulture,
                    "The service refused {0} batches in a row with 429 (too many requests) after their retries; nothing more is sent. Run the command again later, or with a smaller -ThrottleLimit (with -JournalPath, it resumes).",
                    RateLimitedBatchLimit))), cancelInFlight: true);
            }
        }

        public void Dispose() => Breaker.Dispose();

        private RunEndingFailure NotAnswering() => new RunEndingFailure(ErrorIds.ServiceNotAnswering, new TimeoutException(string.Format(CultureInfo.InvariantCulture,
            "{0} requests in a row reached the service and got no answer (the time limit of {1:0} s, -TimeoutSec, passed, or the connection dropped), so it may be making videos it never reports; nothing more is sent, and the requests in flight were given up. " +
            "If the service is slow but working, raise -TimeoutSec. Run the command again with -JournalPath to resume: no row is sent more than twice in all (the rows given up in flight are held until -RetryUnknown).",
            NoAnswerLimit, _timeLimit.TotalSeconds)));

        private RunEndingFailure KeepsFailing() => new RunEndingFailure(ErrorIds.ServiceError, new InvalidOperationException(string.Format(CultureInfo.InvariantCulture,
            "The last {0} requests all failed without a clear answer (a 5xx, or no answer), so the service may be making videos it never reports; nothing more is sent, and the requests in flight were given up. " +
            "Run the command again later with -JournalPath to resume: no row is sent more than twice in all, and a row sent again has its result flagged PossibleDuplicate.",
            UnclearLimit)));
    }
}
