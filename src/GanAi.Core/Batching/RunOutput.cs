namespace GanAi.Batching
{
    /// <summary>
    /// What a run writes to its host, counted: results (those from the journal apart), row errors,
    /// possible duplicates, and, when the pipeline ends while a batch is being written, the rows that
    /// went unwritten (a stop without a journal says how many).
    /// </summary>
    internal sealed class RunOutput
    {
        private readonly IVideoBatchHost _host;

        public RunOutput(IVideoBatchHost host) => _host = host;

        public long Results { get; private set; }

        /// <summary>Results written from the journal: an earlier run made them, nothing was spent now.</summary>
        public long FromJournal { get; private set; }

        public long Errors { get; private set; }

        public long PossibleDuplicates { get; private set; }

        /// <summary>Rows of answered batches whose result or error was not written: the pipeline ended first.</summary>
        public long Unwritten { get; private set; }

        /// <summary>Of <see cref="Unwritten"/>, the ones with a video.</summary>
        public long UnwrittenMade { get; private set; }

        public void Result(VideoResult result)
        {
            Results++;
            if (result.FromJournal) FromJournal++;
            if (result.PossibleDuplicate) PossibleDuplicates++;
            _host.WriteResult(result);
        }

        public void RowError(RowFailure failure, VideoRow row) => RowError(failure, row.Source);

        public void RowError(RowFailure failure, object target)
        {
            Errors++;
            _host.WriteRowError(failure, target);
        }

        /// <summary>A finished batch: its results, its rows' errors, and the run-ending error of each row it left without an outcome.</summary>
        public void Batch(BatchOutcome outcome)
        {
            var results = 0;
            var others = 0;
            try
            {
                // Counted before the write: the one a downstream stop throws on was handed over.
                foreach (var result in outcome.Results) { results++; Result(result); }
                foreach (var failure in outcome.Failures) { others++; RowError(failure.Value, failure.Key); }
                if (outcome.RunEnding is { } ending)
                {
                    foreach (var row in outcome.RowsWithoutOutcome()) { others++; RowError(ending.FailRow(row), row); }
                }
            }
            catch
            {
                // The pipeline ended while the batch was written (Select-Object -First, -ErrorAction
                // Stop): its other rows ended too, but nobody saw how.
                Unwritten += outcome.Rows.Count - results - others;
                UnwrittenMade += outcome.Results.Count - results;
                throw;
            }
        }
    }
}
