using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using GanAi.Api;
using GanAi.Concurrency;
using GanAi.Journal;
using GanAi.Resilience;

namespace GanAi.Batching
{
    /// <summary>
    /// One run of New-GanVideoBatch, from the first row read to the last result written. It owns
    /// everything a run decides; its host (the cmdlet) converts pipeline objects to properties,
    /// answers questions and writes what the session hands it, all on one thread.
    /// </summary>
    /// <remarks>
    /// A row's path, method by method:
    /// <list type="number">
    /// <item><see cref="Begin"/>, once: the journal is opened (only read under -WhatIf; a new one is
    /// made after the pre-flight) and the pre-flight reads the project (<see cref="ProjectPreflight"/>:
    /// its tags and credits); both may end the run before a row is read.</item>
    /// <item><see cref="Add"/> (or <see cref="Refuse"/> for an object that could not be read): the row is
    /// checked and built (<see cref="RowBuilder"/>), its id claimed (<see cref="UniqueIdRegistry"/>),
    /// looked up in the journal (<see cref="AnswerFromJournal"/>, by <see cref="JournalResume"/>: its recorded
    /// result, held as OutcomeUnknown, or sent again with its count of sends), then <see cref="Queue"/>:
    /// the tag check (<see cref="TagPreflight"/>) and the credits (<see cref="CreditsGate"/>), and into the pending batch.</item>
    /// <item><see cref="SendPending"/>: a full batch is confirmed (ShouldProcess), waits for a slot
    /// (<see cref="AdaptiveConcurrency"/>: the one bound on requests in flight) and goes to the
    /// <see cref="BatchSender"/>, which sends it in the background under the <see cref="SpendGuard"/>
    /// and journals each row's state.</item>
    /// <item><see cref="Handle"/>: each finished batch comes back on the event channel; its results and
    /// row errors are written, and the concurrency adapts.</item>
    /// <item><see cref="End"/>: the last batch is sent and every batch waited for; a failure that ends
    /// the run (<see cref="RunEnd"/>, by <see cref="ThrowIfRunEnded"/>) first gives each row read and
    /// not ended its own error, then throws one <see cref="RunEndedException"/>.</item>
    /// <item><see cref="Dispose"/>: after an early end (Ctrl+C, Select-Object -First), the batches in
    /// flight are stopped (<see cref="BatchSender.Stop"/>) and the journal closed.</item>
    /// </list>
    /// Each row's delivery is one value (<see cref="VideoRow.Delivery"/>) moved through <see cref="RowDelivery"/>.
    /// </remarks>
    public sealed class VideoBatchSession : IDisposable
    {
        private readonly VideoBatchOptions _options;
        private readonly IVideoBatchHost _host;
        private readonly System.Threading.CancellationToken _cancellation;
        private readonly RowBuilder _builder;
        private readonly UniqueIdRegistry _ids = new UniqueIdRegistry();
        private readonly EventChannel _events = new EventChannel();
        private readonly RunEnd _runEnd = new RunEnd();
        private readonly SpendGuard _guard;
        private readonly CreditsGate _credits;
        private readonly AdaptiveConcurrency _concurrency;
        private readonly ProgressReporter _progress = new ProgressReporter("New-GanVideoBatch");
        private readonly RunOutput _output;
        private List<VideoRow> _pending;
        private RunJournal? _journal;
        private TagPreflight? _preflight;
        private BatchSender? _sender;
        private bool _warnedSpareIdColumn;
        private int _outstanding;
        private long _rowsOutstanding;
        private int _batches;

        public VideoBatchSession(VideoBatchOptions options, IVideoBatchHost host, System.Threading.CancellationToken cancellation)
        {
            _options = options;
            _host = host;
            _output = new RunOutput(host);
            _cancellation = cancellation;
            _builder = new RowBuilder(options.UniqueIdProperty);
            _guard = new SpendGuard(options.Resilience, _runEnd);
            _credits = new CreditsGate(options.ProjectId);
            _concurrency = new AdaptiveConcurrency(VideoBatchOptions.InitialConcurrency, options.ThrottleLimit);
            _pending = new List<VideoRow>(options.BatchSize);
        }

        public long RowsRead { get; private set; }

        public long RowsSent { get; private set; }

        /// <summary>The number the next row read gets (rows are numbered from 1, in input order).</summary>
        public long NextRowNumber => RowsRead + 1;

        /// <summary>
        /// Opens the journal and runs the pre-flight. <paramref name="connection"/> may be null only
        /// under -WhatIf (a dry run needs no connection; with one it runs the pre-flight too).
        /// </summary>
        /// <exception cref="RunEndedException">The journal cannot be used, or the pre-flight met a wrong project, a refused token, a Retry-After over the cap or a service that cannot be reached.</exception>
        public void Begin(GanConnection? connection)
        {
            if (connection is null && !_options.WhatIf) throw new ArgumentNullException(nameof(connection), "A run that sends needs a connection.");
            // Something already at the journal's path is checked before any request (busy, damaged,
            // another id property: said at once); a new journal is made only once the pre-flight
            // passed, so a run that ends there (a wrong -ProjectId) has read nothing and leaves no file.
            var journalOpened = false;
            if (_options.JournalPath is { } path && (File.Exists(path) || Directory.Exists(path)))
            {
                _journal = JournalResume.Open(_options, IdProperty, _host.WriteMessage);
                journalOpened = true;
            }
            // A dry run reads the project when it can (one quick attempt, not counted by the run's
            // breaker), so it finds missing tags, unknown columns, a short credit and a wrong project.
            if (!_options.SkipPreflight && connection != null)
                _preflight = ProjectPreflight.Run(connection, _options, IdProperty, _options.WhatIf ? null : _guard.Breaker, _host.WriteMessage, _cancellation);
            _credits.Know(_preflight?.Project.AvailableCredits);
            if (_options.JournalPath != null && !journalOpened) _journal = JournalResume.Open(_options, IdProperty, _host.WriteMessage);
            if (_options.WhatIf || connection is null) return;
            _sender = new BatchSender(connection.ClientOf(), _options.ProjectId, _options.Resilience, _guard, _runEnd, _credits, _options.StopGracePeriod, _journal, _events, _cancellation);
            _host.WriteMessage(Verbose(RunMessages.Starting(_options, connection.BaseUri, _concurrency.Limit, _guard.Cap)));
        }

        /// <summary>One row read from the input: checked, claimed, looked up in the journal, queued; outcomes ready by now are written.</summary>
        public void Add(object source, IEnumerable<KeyValuePair<string, object?>> properties)
        {
            var number = ++RowsRead;
            if (!_builder.TryBuild(number, source, properties, out var row, out var failure))
            {
                _output.RowError(failure!, source);
                if (number == 1 && _builder.ColumnsWithoutId is { } columns) throw RunEndedException.NoIdColumn(columns, IdProperty, _options.UniqueIdProperty);
            }
            else if (_ids.Claim(row!) is { } duplicate)
            {
                _output.RowError(duplicate, source);
            }
            else if (!AnswerFromJournal(row!))
            {
                Queue(row!);
            }
            if (_builder.IgnoredUniqueIdColumn && !_warnedSpareIdColumn)
            {
                _warnedSpareIdColumn = true;
                _host.WriteMessage(new PipelineMessage(true, $"Rows have a 'unique_id' property as well as '{IdProperty}'; '{IdProperty}' gives each row's unique_id and the 'unique_id' column is not sent."));
            }
            WriteReadyOutcomes();
            ReportProgress();
        }

        /// <summary>A row the host could not read (not an object, a property that threw): its error, counted as read.</summary>
        public void Refuse(RowFailure failure, object? source)
        {
            RowsRead++;
            _output.RowError(failure, source ?? "(null row)");
            WriteReadyOutcomes();
        }

        /// <summary>Sends the last batch, waits for every batch and writes the run's closing messages.</summary>
        /// <exception cref="RunEndedException">A failure ended the run (each row read and not ended had its error first).</exception>
        public void End()
        {
            if (_pending.Count > 0) SendPending();
            while (_outstanding > 0) Handle(_events.Take(_cancellation));
            ThrowIfRunEnded();
            CheckJournalKept();
            if (_progress.Done() is { } done) _host.WriteProgress(done);

            if (_options.WhatIf)
            {
                _host.ShouldProcess(RunMessages.WouldSend(_options, RowsSent, _batches, _journal is null ? (long?)null : _output.FromJournal), "Create videos");
                return;
            }
            _host.WriteMessage(Verbose(RunMessages.Done(RowsRead, _output.Results - _output.FromJournal, _output.FromJournal, _output.Errors, _progress.Elapsed)));
            if (_credits.Summary() is { } beyond) _host.WriteMessage(new PipelineMessage(true, beyond));
            // A row sent again after an unclear answer may have been made twice: say so once, so nobody has to know to look for the flag.
            if (_output.PossibleDuplicates > 0) _host.WriteMessage(new PipelineMessage(true, RunMessages.PossibleDuplicates(_output.PossibleDuplicates)));
        }

        /// <summary>
        /// After an early end (Ctrl+C, Select-Object -First, an error downstream) the sender stops and,
        /// with a journal, records the batches in flight before the journal closes. After
        /// <see cref="End"/> nothing is in flight.
        /// </summary>
        public void Dispose()
        {
            _sender?.Stop((batches, wait) => _host.TellWhileStopping(RunMessages.WaitingWhileStopping(batches, wait)));
            // With a journal, what the stop left there and what the next run does with it: the rows it
            // holds never had an error written.
            if (_outstanding > 0 && _journal != null && _sender != null) _host.TellWhileStopping(RunMessages.StoppedJournaled(_sender.RowsLeftUnknown, _journal.Path));
            // The streams are closed by now; without a journal nothing else records these rows.
            if (_outstanding > 0 && _journal is null) _host.TellWhileStopping(RunMessages.StoppedInFlight(_rowsOutstanding, _outstanding));
            if (_output.Unwritten > 0 && _journal is null) _host.TellWhileStopping(RunMessages.StoppedUnwritten(_output.Unwritten, _output.UnwrittenMade));
            _sender?.Dispose();
            _ids.Dispose();
            _journal?.Dispose();
            _guard.Dispose();
            _runEnd.Dispose();
            _events.Dispose();
        }

        /// <summary>
        /// Every result is written by now, so a command downstream that opens its file on its first
        /// object (Tee-Object) has opened it: a journal it writes into no longer records the run, and
        /// the run must not end as if it could be resumed. Every row has its outcome; the run ends with
        /// one JournalUnavailable.
        /// </summary>
        private void CheckJournalKept()
        {
            if (_journal is null || _options.WhatIf) return;
            try
            {
                _journal.EnsureUnchanged();
            }
            catch (IOException ex)
            {
                _runEnd.End(new RunEndingFailure(ErrorIds.JournalUnavailable, ex, ex.Message.TrimEnd('.') + "; the results were written, but the journal no longer records them."));
                ThrowIfRunEnded();
            }
        }

        /// <summary>
        /// A row an earlier run recorded (<see cref="JournalResume"/>): its recorded result (true), held
        /// as OutcomeUnknown (true), or sent again with the sends it had (false; its result will be
        /// flagged). A row recorded as not made, or not at all, is sent as new (false).
        /// </summary>
        private bool AnswerFromJournal(VideoRow row)
        {
            if (_journal is null) return false;
            JournalRecord? recorded;
            try
            {
                recorded = _journal.Find(_options.ProjectId, row.UniqueId);
            }
            catch (IOException ex)
            {
                // A row the journal may hold must not be sent again on a guess: the run ends here.
                _runEnd.End(new RunEndingFailure(ErrorIds.JournalUnavailable, ex));
                ThrowIfRunEnded(new[] { row });
                return true;
            }
            switch (JournalResume.Decide(recorded, _guard, _options.RetryUnknown))
            {
                case ResumeAction.WriteResult:
                    _output.Result(JournalLines.ToResult(recorded!, row));
                    return true;
                case ResumeAction.Hold:
                    _output.RowError(RowErrors.Held(row, recorded!), row);
                    return true;
                case ResumeAction.SendAgain:
                    JournalResume.Prepare(row, recorded!, _guard);
                    return false;
                default:
                    return false;
            }
        }

        /// <summary>A checked, new row: through the tag check and the credits into the next batch.</summary>
        private void Queue(VideoRow row)
        {
            if (_preflight != null)
            {
                var passed = _preflight.TryApply(row, out row, out var refusal);
                foreach (var message in _preflight.TakeMessages()) _host.WriteMessage(message);
                if (!passed)
                {
                    _output.RowError(refusal!, row);
                    // As with a missing id column: when row 1 lacks a tag, so does every row of the file.
                    if (row.Number == 1 && _preflight.MissingTags is { } missing) throw RunEndedException.NoTagColumn(missing, row, _preflight.Project);
                    return;
                }
            }
            if (!_credits.Admit(text => _host.WriteMessage(new PipelineMessage(true, text)), _host.ConfirmBeyondCredits))
            {
                _output.RowError(RowBuilder.Fail(row, ErrorIds.CreditsNotConfirmed, " was not sent: it is beyond the project's available credits, and sending on was not confirmed."), row);
                return;
            }
            _pending.Add(row);
            if (_pending.Count >= _options.BatchSize) SendPending();
        }

        /// <summary>Sends the pending rows as one batch, once ShouldProcess agrees and a request slot is free.</summary>
        private void SendPending()
        {
            var batch = _pending;
            _pending = new List<VideoRow>(_options.BatchSize);
            _batches++;
            RowsSent += batch.Count;
            if (_options.WhatIf) return;

            var target = string.Format(CultureInfo.InvariantCulture, "{0} row(s) (rows {1}-{2}) to project '{3}'", batch.Count, batch[0].Number, batch[batch.Count - 1].Number, _options.ProjectId);
            if (!_host.ShouldProcess(target, "Create videos"))
            {
                RowsSent -= batch.Count;
                foreach (var row in batch)
                {
                    row.Apply(RowEvent.Failed);
                    _output.RowError(RowBuilder.Fail(row, ErrorIds.BatchNotConfirmed, " was not sent: its batch was not confirmed."), row);
                }
                return;
            }

            while (_outstanding >= _concurrency.Limit)
            {
                _concurrency.OnSaturated();
                Handle(_events.Take(_cancellation));
            }
            ThrowIfRunEnded(batch);
            _sender!.Submit(batch);
            _outstanding++;
            _rowsOutstanding += batch.Count;
        }

        private void WriteReadyOutcomes()
        {
            if (_sender is null) return;
            while (_events.TryTake(out var item)) Handle(item!);
            ThrowIfRunEnded();
        }

        private void Handle(PipelineEvent item)
        {
            if (item is PipelineMessage message)
            {
                _host.WriteMessage(message);
                return;
            }
            var outcome = (BatchOutcome)item;
            _outstanding--;
            _rowsOutstanding -= outcome.Rows.Count;
            var before = _concurrency.Limit;
            _concurrency.OnCompleted(outcome.RateLimited, outcome.Rows.Count);
            if (_concurrency.Limit != before) _host.WriteMessage(Verbose($"Requests at once: {before} -> {_concurrency.Limit}{(outcome.RateLimited ? " (the service answered 429)" : string.Empty)}."));
            _output.Batch(outcome);
            ReportProgress();
        }

        /// <summary>
        /// The run-ending rule. Once a failure ended the run (<see cref="RunEnd"/>): the batches in
        /// flight finish (their results are still written), each row read and not ended gets its own
        /// error (those of ended batches as they are handled, then <paramref name="unsent"/> and the
        /// rows waiting for a batch), so -ErrorVariable holds every row to send again; then one
        /// <see cref="RunEndedException"/>.
        /// </summary>
        private void ThrowIfRunEnded(IReadOnlyList<VideoRow>? unsent = null)
        {
            if (_runEnd.Failure is null) return;
            while (_outstanding > 0) Handle(_events.Take(_cancellation));
            var ending = _runEnd.Failure;
            var waiting = _pending;
            _pending = new List<VideoRow>();
            foreach (var row in (unsent ?? Array.Empty<VideoRow>()).Concat(waiting))
            {
                row.Apply(RowEvent.Failed);
                _output.RowError(ending.FailRow(row), row);
            }
            throw RunEndedException.From(ending, ending.ErrorId == ErrorIds.JournalUnavailable ? _journal?.Path ?? _options.JournalPath : _options.ProjectId);
        }

        /// <summary>
        /// Rows read, videos made, results from the journal (counted apart: they cost nothing), errors,
        /// rows per second and the time so far; for runs longer than half a second, never under -WhatIf.
        /// </summary>
        private void ReportProgress()
        {
            if (_options.WhatIf || !_progress.IsDue) return;
            if (_progress.Next(RunMessages.Progress(RowsRead, _output.Results - _output.FromJournal, _output.FromJournal, _output.Errors, _progress.Elapsed)) is { } report)
                _host.WriteProgress(report);
        }

        private string IdProperty => string.IsNullOrEmpty(_options.UniqueIdProperty) ? VideoBatchOptions.DefaultUniqueIdProperty : _options.UniqueIdProperty!;

        private static PipelineMessage Verbose(string text) => new PipelineMessage(false, text);
    }
}
