using System.Collections.Generic;
using System.Globalization;
using System;
using GanAi.Concurrency;

namespace GanAi.Batching
{
    /// <summary>
    /// One submitted batch, finished: every row of it is in exactly one of <see cref="Results"/> and
    /// <see cref="Failures"/>, unless a failure ended the run (<see cref="RunEnding"/>).
    /// </summary>
    public sealed class BatchOutcome : PipelineEvent
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

        /// <summary>The failure that ended the run while this batch was out (its rows without an outcome get its error).</summary>
        public RunEndingFailure? RunEnding { get; internal set; }

        /// <summary>Any attempt of this batch was answered 429 (the adaptive concurrency halves).</summary>
        public bool RateLimited { get; internal set; }

        /// <summary>Its last attempt was answered 429: it used up its retries on the rate limit (the spend guard counts such batches).</summary>
        public bool RefusedWith429 { get; internal set; }

        /// <summary>Requests this batch took, retries and splits included.</summary>
        public int Requests { get; internal set; }

        /// <summary>The parts (413 halves, a 422's rest) sent so far: each its own request id.</summary>
        internal int Parts { get; set; }

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
        /// The row's result arrived (<paramref name="twice"/>: the answer named two videos for it): its
        /// PossibleDuplicate and SendCount follow from its delivery.
        /// </summary>
        internal void Answered(VideoRow row, Api.BulkVideoItemDto item, string projectId, string? requestId, bool twice = false)
        {
            row.Apply(twice ? RowEvent.AnsweredTwice : RowEvent.Answered);
            Results.Add(new VideoResult(row.UniqueId, item.ProjectId ?? projectId, item.InferenceId, item.VideoUrl, item.AudioUrl, item.ThumbnailUrl, item.SmartUrl,
                item.Permalink, RowDelivery.IsPossibleDuplicate(row.State), row.Number, row.Tags, sendCount: Math.Max(1, row.Sends), requestId: requestId));
        }

        /// <summary>
        /// What a 200 said of <paramref name="rows"/>: a result for each row it made, an error (the video
        /// may exist) for each it did not, or for all when it could not be read. Returns the warnings to
        /// give, once per batch: rows named twice (two credits spent), rows whose answer made no sense,
        /// items for no row of the request.
        /// </summary>
        internal List<string> Apply(BulkAnswerReading reading, IReadOnlyList<VideoRow> rows, string projectId, string? requestId = null)
        {
            var warnings = new List<string>();
            if (reading.Malformed is { } malformed)
            {
                foreach (var row in rows)
                {
                    row.Apply(RowEvent.MaybeProcessed); // a 200 that cannot be read: the service did process the request
                    Fail(row, RowErrors.Malformed(row, malformed));
                }
                return warnings;
            }
            List<string>? twice = null;
            var inconsistent = 0;
            foreach (var answer in reading.Answers)
            {
                switch (answer.Kind)
                {
                    case AnswerKind.Made:
                        Answered(answer.Row, answer.Item!, projectId, requestId);
                        break;
                    case AnswerKind.MadeTwice:
                        (twice ??= new List<string>()).Add("'" + answer.Row.UniqueId + "' (" + answer.DescribeIds() + ")");
                        Answered(answer.Row, answer.Item!, projectId, requestId, twice: true);
                        break;
                    default:
                        if (answer.Kind == AnswerKind.SharedVideo || answer.Kind == AnswerKind.ForeignProject) inconsistent++;
                        answer.Row.Apply(RowEvent.MaybeProcessed);
                        Fail(answer.Row, RowErrors.Unusable(answer));
                        break;
                }
            }
            if (twice != null)
            {
                warnings.Add(string.Format(CultureInfo.InvariantCulture,
                    "the service's answer named {0} unique_id(s) twice, with two videos each; their results have the first video and PossibleDuplicate set. The videos (inference ids): {1}.",
                    twice.Count, string.Join("; ", twice)));
            }
            if (inconsistent > 0)
            {
                warnings.Add(string.Format(CultureInfo.InvariantCulture,
                    "the service's answer gave {0} row(s) a video also named for another row, or another project's; they got InconsistentAnswer errors, not results.", inconsistent));
            }
            if (reading.Strangers > 0)
                warnings.Add(string.Format(CultureInfo.InvariantCulture, "the service's answer holds {0} item(s) whose unique_id was not in the batch; they were ignored.", reading.Strangers));
            return warnings;
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

        /// <summary>The row reached its cap of sends after an unclear answer: it ends as unknown, with <paramref name="failure"/>.</summary>
        internal void Abandon(VideoRow row, RowFailure failure)
        {
            row.Apply(RowEvent.Abandoned);
            Failures.Add(new KeyValuePair<VideoRow, RowFailure>(row, failure));
        }

        /// <summary>
        /// The batch was stopped (Ctrl+C): each row not ended is abandoned; those a request may have
        /// made get <paramref name="failure"/> (OutcomeUnknown), the others end without a record.
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

        /// <summary>
        /// The run ended with <paramref name="failure"/>: each row not ended ends now; the session
        /// writes their errors (<see cref="RunEndingFailure.FailRow"/>).
        /// </summary>
        internal void EndRest(RunEndingFailure failure)
        {
            RunEnding ??= failure;
            foreach (var row in Rows)
            {
                if (!RowDelivery.IsEnded(row.State)) row.Apply(RowEvent.Failed);
            }
        }
    }
}
