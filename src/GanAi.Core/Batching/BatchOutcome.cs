using System;
using System.Collections.Generic;

namespace GanAi.Batching
{
    /// <summary>What the background work hands back to the pipeline thread: a message or a finished batch.</summary>
    public abstract class RunnerEvent
    {
    }

    /// <summary>A verbose or warning message from background work, written by the pipeline thread.</summary>
    public sealed class RunnerMessage : RunnerEvent
    {
        public RunnerMessage(bool isWarning, string text)
        {
            IsWarning = isWarning;
            Text = text;
        }

        public bool IsWarning { get; }
        public string Text { get; }
    }

    /// <summary>
    /// A failure that ends the whole run: the service refused the token (401/403), the journal failed
    /// (it could not record a batch before it was sent, say on a full disk, or a recorded line could
    /// no longer be read), or the service asked to wait longer than is waited (RateLimited). No batch
    /// is sent after it; each row read and not ended gets <see cref="FailRow"/>, then the run ends
    /// with one terminating error of the same ErrorId.
    /// </summary>
    public sealed class RunEndingFailure
    {
        internal RunEndingFailure(string errorId, Exception exception, string? explanation = null)
        {
            ErrorId = errorId;
            Exception = exception;
            Explanation = explanation ?? exception.Message;
        }

        public string ErrorId { get; }

        public Exception Exception { get; }

        /// <summary>What happened, in a sentence for the errors.</summary>
        public string Explanation { get; }

        /// <summary>A failure of a request that ends the run (<see cref="Api.ApiFailure.EndsRun"/>).</summary>
        internal static RunEndingFailure From(Api.ApiFailure failure) =>
            new RunEndingFailure(failure.ErrorId, failure.Exception, failure.Message);

        /// <summary>The service at <paramref name="baseUri"/> could not be reached (the run's breaker opened).</summary>
        internal static RunEndingFailure Unreachable(Uri baseUri, string reason, Exception? cause) => new RunEndingFailure(ErrorIds.ServiceUnreachable,
            new System.Net.Http.HttpRequestException($"The service at {baseUri} could not be reached: {reason}. Nothing more is sent; run the command again once it answers (with -JournalPath, the run resumes).", cause));

        /// <summary>The category of its error records.</summary>
        public FailureCategory Category => Failures.CategoryOf(ErrorId);

        /// <summary>The message of the terminating error: what happened, and what to do.</summary>
        public string Message => ErrorId switch
        {
            ErrorIds.TokenRefused => Explanation.TrimEnd('.') + ". Run Connect-GanAi with a valid token and run the command again.",
            ErrorIds.JournalUnavailable => $"The run stopped: {Explanation} Nothing more is sent. Fix the journal (or free the disk), then run the command again: it resumes from the journal.",
            ErrorIds.InsufficientCredits => "The " + Explanation,
            _ => Explanation,
        };

        /// <summary>The error of a row the run read and did not make because of this failure.</summary>
        public RowFailure FailRow(VideoRow row)
        {
            var earlier = RowDelivery.MayExist(row.State) ? " (an earlier attempt may have made the video)" : string.Empty;
            return ErrorId switch
            {
                ErrorIds.TokenRefused => RowBuilder.Fail(row, ErrorId, Category,
                    " was not rendered: the service refused the token" + earlier + ". Run Connect-GanAi with a valid token, then send the row again."),
                ErrorIds.RateLimited => RowBuilder.Fail(row, ErrorId, Category, " was not rendered" + earlier + ": " + Explanation),
                ErrorIds.ServiceUnreachable => RowBuilder.Fail(row, ErrorId, Category, " was not rendered" + earlier + ": " + Explanation),
                ErrorIds.ProjectNotFound => RowBuilder.Fail(row, ErrorId, Category, " was not sent: " + Explanation),
                ErrorIds.InsufficientCredits => RowBuilder.Fail(row, ErrorId, Category, " was not rendered" + earlier + ": " + Explanation),
                _ => RowBuilder.Fail(row, ErrorId, Category,
                    " was not sent" + earlier + ": the run stopped because the journal failed (" + Explanation + ")."),
            };
        }
    }

    /// <summary>
    /// One submitted batch, finished: every row of it is in exactly one of <see cref="Results"/> and
    /// <see cref="Failures"/>, unless a failure ended the run (<see cref="RunEnding"/>).
    /// </summary>
    public sealed class BatchOutcome : RunnerEvent
    {
        internal BatchOutcome(int number, IReadOnlyList<VideoRow> rows)
        {
            Number = number;
            Rows = rows;
        }

        public int Number { get; }
        public IReadOnlyList<VideoRow> Rows { get; }
        public List<VideoResult> Results { get; } = new List<VideoResult>();
        public List<KeyValuePair<VideoRow, RowFailure>> Failures { get; } = new List<KeyValuePair<VideoRow, RowFailure>>();

        /// <summary>Set when the token was refused or the journal could not be written: nothing else can go on.</summary>
        public RunEndingFailure? RunEnding { get; internal set; }

        /// <summary>Any attempt of this batch was answered 429 (the adaptive concurrency halves).</summary>
        public bool RateLimited { get; internal set; }

        /// <summary>Requests this batch took, retries and splits included.</summary>
        public int Requests { get; internal set; }

        /// <summary>The rows with neither a result nor a failure (none once a batch has ended, unless a failure ended the run or it was stopped).</summary>
        internal List<VideoRow> RowsWithoutOutcome()
        {
            var without = new List<VideoRow>();
            if (Results.Count + Failures.Count == Rows.Count) return without;
            var done = new HashSet<string>(StringComparer.Ordinal);
            foreach (var result in Results) done.Add(result.UniqueId);
            foreach (var failure in Failures) done.Add(failure.Key.UniqueId);
            foreach (var row in Rows)
            {
                if (!done.Contains(row.UniqueId)) without.Add(row);
            }
            return without;
        }

        /// <summary>
        /// The row's result arrived (<paramref name="twice"/>: the answer named two videos for it).
        /// Returns its PossibleDuplicate, which follows from its state; the caller adds the result.
        /// </summary>
        internal bool Answered(VideoRow row, bool twice = false)
        {
            row.Apply(twice ? RowEvent.AnsweredTwice : RowEvent.Answered);
            return RowDelivery.IsPossibleDuplicate(row.State);
        }

        /// <summary>The row ends in <paramref name="failure"/>.</summary>
        internal void Fail(VideoRow row, RowFailure failure)
        {
            row.Apply(RowEvent.Failed);
            Failures.Add(new KeyValuePair<VideoRow, RowFailure>(row, failure));
        }

        internal void FailAll(IEnumerable<VideoRow> rows, Func<VideoRow, RowFailure> failure)
        {
            foreach (var row in rows) Fail(row, failure(row));
        }

        /// <summary>At-most-once gave up on the row after an ambiguous attempt: it ends as unknown, with <paramref name="failure"/>.</summary>
        internal void Abandon(VideoRow row, RowFailure failure)
        {
            row.Apply(RowEvent.Abandoned);
            Failures.Add(new KeyValuePair<VideoRow, RowFailure>(row, failure));
        }

        /// <summary>
        /// The batch was stopped, or at-most-once gave up: each row not ended is abandoned; those a
        /// request may have made get <paramref name="failure"/> (OutcomeUnknown), the others end
        /// without a record.
        /// </summary>
        internal void AbandonRest(Func<VideoRow, RowFailure> failure)
        {
            foreach (var row in Rows)
            {
                if (RowDelivery.IsEnded(row.State)) continue;
                row.Apply(RowEvent.Abandoned);
                if (row.State == RowState.Unknown) Failures.Add(new KeyValuePair<VideoRow, RowFailure>(row, failure(row)));
            }
        }

        /// <summary>The run ended: each row not ended ends now; the session writes their errors (<see cref="RunEndingFailure.FailRow"/>).</summary>
        internal void EndRest()
        {
            foreach (var row in Rows)
            {
                if (!RowDelivery.IsEnded(row.State)) row.Apply(RowEvent.Failed);
            }
        }
    }
}
