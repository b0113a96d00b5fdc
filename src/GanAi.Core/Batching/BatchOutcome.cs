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
    /// One submitted batch, finished: every row of it is in exactly one of <see cref="Results"/> and
    /// <see cref="Failures"/>, unless the token was refused (<see cref="TokenRefused"/>), which ends the run.
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

        /// <summary>Set when the service refused the token (401/403): nothing else can go on.</summary>
        public Exception? TokenRefused { get; internal set; }

        /// <summary>Any attempt of this batch was answered 429 (the adaptive concurrency halves).</summary>
        public bool RateLimited { get; internal set; }

        /// <summary>Requests this batch took, retries and splits included.</summary>
        public int Requests { get; internal set; }

        /// <summary>The rows with neither a result nor a failure yet (none once a batch has ended, unless it was stopped or the token refused).</summary>
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

        internal void Fail(VideoRow row, RowFailure failure) => Failures.Add(new KeyValuePair<VideoRow, RowFailure>(row, failure));

        internal void FailAll(IEnumerable<VideoRow> rows, Func<VideoRow, RowFailure> failure)
        {
            foreach (var row in rows) Fail(row, failure(row));
        }
    }
}
