using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using GanAi.Api;
using GanAi.Concurrency;
using GanAi.Journal;
using GanAi.Projects;
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
    /// <item><see cref="Begin"/>, once: the journal is opened (only read under -WhatIf) and the
    /// pre-flight reads the project (its tags and credits); both may end the run before a row is read.</item>
    /// <item><see cref="Add"/> (or <see cref="Refuse"/> for an object that could not be read): the row is
    /// checked and built (<see cref="RowBuilder"/>), its id claimed (<see cref="UniqueIdRegistry"/>),
    /// looked up in the journal (<see cref="AnswerFromJournal"/>: its recorded result, held as
    /// OutcomeUnknown, or sent again as possibly made), then <see cref="Queue"/>: the pre-flight
    /// (<see cref="TagPreflight"/>) and the credits check, and into the pending batch.</item>
    /// <item><see cref="SendPending"/>: a full batch is confirmed (ShouldProcess), waits for a slot
    /// (<see cref="AdaptiveConcurrency"/>: the one bound on requests in flight) and goes to the
    /// <see cref="BatchSender"/>, which sends it in the background and journals each row's state.</item>
    /// <item><see cref="Handle"/>: each finished batch comes back on the event channel; its results and
    /// row errors are written, and the concurrency adapts.</item>
    /// <item><see cref="End"/>: the last batch is sent and every batch waited for; a failure that ends
    /// the run (<see cref="ThrowIfRunEnded"/>) first gives each row read and not ended its own error,
    /// then throws one <see cref="RunEndedException"/>.</item>
    /// <item><see cref="Dispose"/>: after an early end (Ctrl+C, Select-Object -First), the batches in
    /// flight are stopped (<see cref="BatchSender.Stop"/>) and the journal closed.</item>
    /// </list>
    /// Each row's delivery is one value (<see cref="VideoRow.State"/>) moved through
    /// <see cref="RowDelivery"/>.
    /// </remarks>
    public sealed class VideoBatchSession : IDisposable
    {
        private readonly VideoBatchOptions _options;
        private readonly IVideoBatchHost _host;
        private readonly System.Threading.CancellationToken _cancellation;
        private readonly RowBuilder _builder;
        private readonly UniqueIdRegistry _ids = new UniqueIdRegistry();
        private readonly EventChannel _events = new EventChannel();
        private readonly ServiceReachability _reachability = new ServiceReachability();
        private readonly AdaptiveConcurrency _concurrency;
        private readonly ProgressReporter _progress = new ProgressReporter("New-GanVideoBatch");
        private List<VideoRow> _pending;
        private RunJournal? _journal;
        private TagPreflight? _preflight;
        private BatchSender? _sender;
        private RunEndingFailure? _runEnding;
        private bool _warnedSpareIdColumn;
        private bool _creditsChecked;
        private bool _creditsDeclined;
        private int _outstanding;
        private long _rowsOutstanding;
        private long _unwritten;     // rows of answered batches whose result or error was not written: the pipeline ended first
        private long _unwrittenMade; // of those, the ones with a video
        private int _batches;
        private long _rowsQueued;

        public VideoBatchSession(VideoBatchOptions options, IVideoBatchHost host, System.Threading.CancellationToken cancellation)
        {
            _options = options;
            _host = host;
            _cancellation = cancellation;
            _builder = new RowBuilder(options.UniqueIdProperty);
            _concurrency = new AdaptiveConcurrency(VideoBatchOptions.InitialConcurrency, options.ThrottleLimit);
            _pending = new List<VideoRow>(options.BatchSize);
        }

        public long RowsRead { get; private set; }

        public long RowsSent { get; private set; }

        public long Results { get; private set; }

        public long FromJournal { get; private set; }

        public long Errors { get; private set; }

        public long PossibleDuplicates { get; private set; }

        /// <summary>The number the next row read gets (rows are numbered from 1, in input order).</summary>
        public long NextRowNumber => RowsRead + 1;

        /// <summary>
        /// Opens the journal and runs the pre-flight. <paramref name="connection"/> may be null only
        /// under -WhatIf (a dry run needs no connection; with one it runs the pre-flight too).
        /// </summary>
        /// <exception cref="RunEndedException">The journal cannot be used, or the pre-flight met a refused token, a Retry-After over the cap or a service that cannot be reached.</exception>
        public void Begin(GanConnection? connection)
        {
            if (_options.JournalPath != null) OpenJournal();
            if (_options.WhatIf)
            {
                // A dry run reads the project when it can (one quick attempt), so it finds missing
                // tags, unknown columns, a short credit and a wrong project; it sends nothing.
                if (!_options.SkipPreflight && connection != null) RunPreflight(connection, DryRunResilience());
                return;
            }
            if (connection is null) throw new ArgumentNullException(nameof(connection), "A run that sends needs a connection.");
            if (!_options.SkipPreflight) RunPreflight(connection, _options.Resilience);
            _sender = new BatchSender(connection.ClientOf(), _options.ProjectId, _options.Resilience, _reachability, _options.StopGracePeriod, _journal, _events, _cancellation);
            _host.WriteMessage(Verbose(string.Format(CultureInfo.InvariantCulture,
                "Sending rows to project '{0}' at {1} in batches of {2}, {3} request(s) at once to start with, up to {4}.",
                _options.ProjectId, connection.BaseUri, _options.BatchSize, _concurrency.Limit, _options.ThrottleLimit)));
        }

        /// <summary>One row read from the input: checked, claimed, looked up in the journal, queued; outcomes ready by now are written.</summary>
        public void Add(object source, IEnumerable<KeyValuePair<string, object?>> properties)
        {
            var number = ++RowsRead;
            if (!_builder.TryBuild(number, source, properties, out var row, out var failure))
            {
                WriteRowError(failure!, source);
                if (number == 1 && _builder.ColumnsWithoutId is { } columns) throw NoIdColumn(columns);
            }
            else if (_ids.Claim(row!) is { } duplicate)
            {
                WriteRowError(duplicate, source);
            }
            else if (!AnswerFromJournal(row!))
            {
                Queue(row!);
            }
            if (_builder.IgnoredUniqueIdColumn && !_warnedSpareIdColumn)
            {
                _warnedSpareIdColumn = true;
                _host.WriteMessage(new RunnerMessage(true, $"Rows have a 'unique_id' property as well as '{IdProperty}'; '{IdProperty}' gives each row's unique_id and the 'unique_id' column is not sent."));
            }
            WriteReadyOutcomes();
            ReportProgress();
        }

        /// <summary>A row the host could not read (not an object, a property that threw): its error, counted as read.</summary>
        public void Refuse(RowFailure failure, object? source)
        {
            RowsRead++;
            WriteRowError(failure, source ?? "(null row)");
            WriteReadyOutcomes();
        }

        /// <summary>Sends the last batch, waits for every batch and writes the run's closing messages.</summary>
        /// <exception cref="RunEndedException">A failure ended the run (each row read and not ended had its error first).</exception>
        public void End()
        {
            if (_pending.Count > 0) SendPending();
            while (_outstanding > 0) Handle(_events.Take(_cancellation));
            ThrowIfRunEnded();
            if (_progress.Done() is { } done) _host.WriteProgress(done);

            if (_options.WhatIf)
            {
                var journaled = _journal is null ? string.Empty : string.Format(CultureInfo.InvariantCulture, " ({0} other row(s) are recorded as created in the journal and would not be sent)", FromJournal);
                _host.ShouldProcess(string.Format(CultureInfo.InvariantCulture, "{0} row(s) in {1} batch(es) of up to {2} to project '{3}'{4}",
                    RowsSent, _batches, _options.BatchSize, _options.ProjectId, journaled), "Create videos");
                return;
            }
            _host.WriteMessage(Verbose(string.Format(CultureInfo.InvariantCulture, "Done: {0} row(s) read, {1} video(s) created, {2} result(s) from the journal, {3} error(s), in {4:0.0} s.",
                RowsRead, Results - FromJournal, FromJournal, Errors, _progress.Elapsed.TotalSeconds)));
            if (_creditsChecked && _preflight?.Project.AvailableCredits is { } available && _rowsQueued > available)
            {
                _host.WriteMessage(new RunnerMessage(true, string.Format(CultureInfo.InvariantCulture,
                    "{0} of the {1} row(s) sent were beyond the {2} credit(s) project '{3}' had when the run began.", _rowsQueued - available, _rowsQueued, available, _options.ProjectId)));
            }
            // At-least-once sends a batch again after an attempt that may have been processed: say
            // so once, so nobody has to know to look for the flag.
            if (PossibleDuplicates > 0)
            {
                _host.WriteMessage(new RunnerMessage(true, string.Format(CultureInfo.InvariantCulture,
                    "{0} video(s) may have been made twice: a request with their rows failed after the service may have processed it, and was sent again. Their results have PossibleDuplicate set; check them with Where-Object PossibleDuplicate.",
                    PossibleDuplicates)));
            }
        }

        /// <summary>
        /// After an early end (Ctrl+C, Select-Object -First, an error downstream) the sender stops and,
        /// with a journal, records the batches in flight before the journal closes. After
        /// <see cref="End"/> nothing is in flight.
        /// </summary>
        public void Dispose()
        {
            _sender?.Stop((batches, wait) => _host.TellWhileStopping(string.Format(CultureInfo.InvariantCulture,
                "Stopping: waiting up to {0:0.#} s for the answers of {1} batch(es) in flight, so the journal records their rows.", wait.TotalSeconds, batches)));
            if (_outstanding > 0 && _journal is null)
            {
                // The streams are closed by now; without a journal nothing else records these rows.
                _host.TellWhileStopping(string.Format(CultureInfo.InvariantCulture,
                    "Stopped with {0} row(s) in {1} batch(es) sent and not answered: the service may or may not have made their videos, and without -JournalPath this run cannot tell which. " +
                    "Check them in the service; run with -JournalPath, and a stopped run records such rows and its resume flags them.", _rowsOutstanding, _outstanding));
            }
            if (_unwritten > 0 && _journal is null)
            {
                _host.TellWhileStopping(string.Format(CultureInfo.InvariantCulture,
                    "Stopped with {0} row(s) answered and not written ({1} with a result, {2} with an error): the pipeline ended before they were written, and without -JournalPath this run keeps no record of them. " +
                    "Check them in the service; with -JournalPath, a resumed run writes their results again.", _unwritten, _unwrittenMade, _unwritten - _unwrittenMade));
            }
            _sender?.Dispose();
            _journal?.Dispose();
            _reachability.Dispose();
            _events.Dispose();
        }

        private void OpenJournal()
        {
            var path = _options.JournalPath!;
            try
            {
                _journal = _options.WhatIf ? RunJournal.OpenForReading(path, IdProperty) : RunJournal.Open(path, IdProperty);
            }
            catch (Exception ex) when (ex is IOException || ex is UnauthorizedAccessException)
            {
                var category = ex is JournalFormatException ? FailureCategory.InvalidData : ex is JournalBusyException ? FailureCategory.ResourceBusy
                    : ex is UnauthorizedAccessException ? FailureCategory.PermissionDenied : FailureCategory.ResourceUnavailable;
                throw new RunEndedException(ErrorIds.JournalUnavailable, category, ex, path);
            }
            if (_journal is null)
            {
                _host.WriteMessage(Verbose($"Journal {path}: no such file yet; -WhatIf creates none."));
                return;
            }
            _host.WriteMessage(Verbose(string.Format(CultureInfo.InvariantCulture, "Journal {0}: {1} row(s) recorded by earlier runs{2}.", path, _journal.Count,
                _journal.SkippedLines > 0 ? string.Format(CultureInfo.InvariantCulture, "; {0} unreadable line(s) skipped (a torn last line is normal after a crash)", _journal.SkippedLines) : string.Empty)));
        }

        /// <summary>
        /// Reads the project (its tags and credits) before anything is sent; counts toward the run's
        /// breaker. A project that does not exist ends the run before a row is read (naming close
        /// matches), as do a refused token, a Retry-After over the cap and a service that cannot be
        /// reached; any other failure to read the list only skips the check.
        /// </summary>
        private void RunPreflight(GanConnection connection, ResilienceSettings resilience)
        {
            var caller = new ApiCaller(connection.ClientOf(), resilience, reachability: _options.WhatIf ? null : _reachability);
            IReadOnlyList<GanProject> projects;
            try
            {
                projects = ProjectCatalog.ListAsync(caller, _cancellation).GetAwaiter().GetResult();
            }
            catch (Exception ex) when (ApiFailure.From(ex, reachability: _reachability) is { } failure)
            {
                if (failure.EndsRun) throw Ended(RunEndingFailure.From(failure));
                _host.WriteMessage(new RunnerMessage(true, $"Pre-flight skipped: the project list could not be read ({failure.Message.TrimEnd('.')}). " +
                    (_options.WhatIf ? "-WhatIf checked the rows on their own." : "Rows are sent without checking their tags.")));
                return;
            }
            var project = projects.FirstOrDefault(p => string.Equals(p.ProjectId, _options.ProjectId, StringComparison.Ordinal));
            if (project is null)
            {
                // Every row would fail alike: say it once, before a row is read.
                var close = ProjectCatalog.CloseTo(projects, _options.ProjectId);
                var meant = close.Count == 0 ? string.Empty
                    : " Did you mean " + string.Join(", ", close.Select(p => $"'{p.ProjectId}'" + (string.IsNullOrEmpty(p.Title) ? string.Empty : $" ({p.Title})"))) + "?";
                throw new RunEndedException(ErrorIds.ProjectNotFound, FailureCategory.ObjectNotFound, new InvalidOperationException(string.Format(CultureInfo.InvariantCulture,
                    "No project '{0}' among your {1} project(s); nothing was read or sent.{2} Get-GanProject lists them.", _options.ProjectId, projects.Count, meant)), _options.ProjectId);
            }
            _preflight = new TagPreflight(project, IdProperty);
            _host.WriteMessage(Verbose(string.Format(CultureInfo.InvariantCulture, "Pre-flight: project '{0}' ({1}) has tags {2}; {3} credit(s) available.",
                project.ProjectId, project.Title, project.Tags.Count == 0 ? "(none)" : string.Join(", ", project.Tags.Select(t => "'" + t + "'")),
                project.AvailableCredits?.ToString(CultureInfo.InvariantCulture) ?? "unknown")));
        }

        /// <summary>-WhatIf's pre-flight: one attempt within at most 15 s, so a dry run against a service it cannot reach stays quick.</summary>
        private ResilienceSettings DryRunResilience() => new ResilienceSettings
        {
            MaxRetries = 0,
            AttemptTimeout = _options.Resilience.AttemptTimeout < TimeSpan.FromSeconds(15) ? _options.Resilience.AttemptTimeout : TimeSpan.FromSeconds(15),
        };

        /// <summary>
        /// A row an earlier run recorded: its recorded result (true), or OutcomeUnknown when its outcome
        /// was never learned (true). A row recorded as may_exist or sending (a killed run), or as unknown
        /// with -RetryUnknown, is sent again as possibly made (false; its result will be flagged), unless
        /// this run is at-most-once. A row recorded as not_created is sent as if never recorded (false).
        /// </summary>
        private bool AnswerFromJournal(VideoRow row)
        {
            if (_journal is null) return false;
            JournalEntry? recorded;
            try
            {
                recorded = _journal.Find(_options.ProjectId, row.UniqueId);
            }
            catch (IOException ex)
            {
                // A row the journal may hold must not be sent again on a guess: the run ends here.
                _runEnding ??= new RunEndingFailure(ErrorIds.JournalUnavailable, ex);
                ThrowIfRunEnded(new[] { row });
                return true;
            }
            if (recorded is null || recorded.Status == RunJournal.NotCreated) return false;
            if (recorded.IsCreated)
            {
                FromJournal++;
                WriteResult(recorded.ToResult(row));
                return true;
            }
            row.Apply(RowEvent.ResumedMayExist);
            var resendable = recorded.Status == RunJournal.MayExist || recorded.Status == RunJournal.Sending;
            if (_options.RetryUnknown || (resendable && _options.Resilience.RetryAfterSend)) return false;
            WriteRowError(RowBuilder.Fail(row, ErrorIds.OutcomeUnknown, FailureCategory.InvalidResult,
                " is recorded in the journal as sent with an unknown outcome; it was not sent again. Check it, then use -RetryUnknown to send it again."), row);
            return true;
        }

        /// <summary>A checked, new row: through the pre-flight and the credits check into the next batch.</summary>
        private void Queue(VideoRow row)
        {
            if (_preflight != null)
            {
                var passed = _preflight.TryApply(row, out row, out var refusal);
                foreach (var message in _preflight.TakeMessages()) _host.WriteMessage(message);
                if (!passed)
                {
                    WriteRowError(refusal!, row);
                    return;
                }
            }
            if (!CreditsAllowAnotherRow())
            {
                WriteRowError(RowBuilder.Fail(row, ErrorIds.CreditsNotConfirmed, FailureCategory.OperationStopped,
                    " was not sent: it is beyond the project's available credits, and sending on was not confirmed."), row);
                return;
            }
            _pending.Add(row);
            if (_pending.Count >= _options.BatchSize) SendPending();
        }

        /// <summary>
        /// Once the rows to send exceed the project's available credits: a warning, and with -Confirm a
        /// question; rows beyond the credits are not sent when the answer is No.
        /// </summary>
        private bool CreditsAllowAnotherRow()
        {
            _rowsQueued++;
            if (_creditsDeclined) return false;
            if (_creditsChecked || _preflight?.Project.AvailableCredits is not { } credits || _rowsQueued <= credits) return true;
            _creditsChecked = true;
            // Which rows get the credits depends on which batch reaches the service first: say how
            // many rows are beyond them (at the end), not which.
            var text = string.Format(CultureInfo.InvariantCulture,
                "The rows to send exceed the {0} credit(s) available in project '{1}'; the rows beyond them will fail with InsufficientCredits.", credits, _options.ProjectId);
            _host.WriteMessage(new RunnerMessage(true, text));
            if (_host.ConfirmBeyondCredits(text + " Send them anyway?")) return true;
            _creditsDeclined = true;
            return false;
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
                    WriteRowError(RowBuilder.Fail(row, ErrorIds.BatchNotConfirmed, FailureCategory.OperationStopped, " was not sent: its batch was not confirmed."), row);
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

        private void Handle(RunnerEvent item)
        {
            switch (item)
            {
                case RunnerMessage message:
                    _host.WriteMessage(message);
                    break;
                case BatchOutcome outcome:
                    _outstanding--;
                    _rowsOutstanding -= outcome.Rows.Count;
                    var before = _concurrency.Limit;
                    _concurrency.OnCompleted(outcome.RateLimited, outcome.Rows.Count);
                    if (_concurrency.Limit != before) _host.WriteMessage(Verbose($"Requests at once: {before} -> {_concurrency.Limit}{(outcome.RateLimited ? " (the service answered 429)" : string.Empty)}."));
                    var results = 0;
                    var others = 0;
                    try
                    {
                        // Counted before the write: the one a downstream stop throws on was handed over.
                        foreach (var result in outcome.Results) { results++; WriteResult(result); }
                        foreach (var failure in outcome.Failures) { others++; WriteRowError(failure.Value, failure.Key); }
                        if (outcome.RunEnding is { } ending)
                        {
                            _runEnding ??= ending;
                            foreach (var row in outcome.RowsWithoutOutcome()) { others++; WriteRowError(ending.FailRow(row), row); }
                        }
                    }
                    catch
                    {
                        // The pipeline ended while the batch was written (Select-Object -First, -ErrorAction
                        // Stop): its other rows ended too, but nobody saw how. Dispose says so.
                        _unwritten += outcome.Rows.Count - results - others;
                        _unwrittenMade += outcome.Results.Count - results;
                        throw;
                    }
                    ReportProgress();
                    break;
            }
        }

        /// <summary>
        /// The run-ending rule. Once a failure ended the run (a refused token, the journal, a
        /// Retry-After over the cap, the service unreachable): the batches in flight finish (their
        /// results are still written), each row read and not ended gets its own error (those of ended
        /// batches as they are handled, then <paramref name="unsent"/> and the rows waiting for a batch),
        /// so -ErrorVariable holds every row to send again; then one <see cref="RunEndedException"/>.
        /// </summary>
        private void ThrowIfRunEnded(IReadOnlyList<VideoRow>? unsent = null)
        {
            if (_runEnding is null) return;
            while (_outstanding > 0) Handle(_events.Take(_cancellation));
            var ending = _runEnding;
            var waiting = _pending;
            _pending = new List<VideoRow>();
            foreach (var row in (unsent ?? Array.Empty<VideoRow>()).Concat(waiting))
            {
                row.Apply(RowEvent.Failed);
                WriteRowError(ending.FailRow(row), row);
            }
            throw Ended(ending);
        }

        /// <summary>
        /// The first row has no id property at all: every row would fail alike (a mistyped
        /// -UniqueIdProperty, a file without the column), so the run ends with one message.
        /// </summary>
        private RunEndedException NoIdColumn(IReadOnlyList<string> columns)
        {
            var names = columns.Count == 0 ? "none" : string.Join(", ", columns.Select(c => "'" + c + "'"));
            var close = columns.FirstOrDefault(c => ProjectCatalog.EditDistance(c.ToUpperInvariant(), IdProperty.ToUpperInvariant(), 3) <= 2);
            var fix = close != null
                ? $"Did you mean -UniqueIdProperty '{close}'?"
                : string.IsNullOrEmpty(_options.UniqueIdProperty) || string.Equals(_options.UniqueIdProperty, RowBuilder.UniqueIdName, StringComparison.OrdinalIgnoreCase)
                    ? "Add a unique_id column, or name the column that holds each row's id with -UniqueIdProperty."
                    : "Name a column that row 1 has with -UniqueIdProperty, or add a '" + IdProperty + "' column.";
            return new RunEndedException(ErrorIds.MissingUniqueId, FailureCategory.InvalidData, GanModelFactory.RunEnding(ErrorIds.MissingUniqueId,
                $"Row 1 has no '{IdProperty}' property, so no row can be sent; its properties are {names}. {fix} Nothing was sent.", null), IdProperty);
        }

        private RunEndedException Ended(RunEndingFailure ending)
        {
            var reported = GanModelFactory.RunEnding(ending.ErrorId, ending.Message, ending.Exception);
            return new RunEndedException(ending.ErrorId, ending.Category, reported,
                ending.ErrorId == ErrorIds.JournalUnavailable ? _journal?.Path ?? _options.JournalPath : _options.ProjectId);
        }

        private void WriteResult(VideoResult result)
        {
            Results++;
            if (result.PossibleDuplicate) PossibleDuplicates++;
            _host.WriteResult(result);
        }

        private void WriteRowError(RowFailure failure, VideoRow row) => WriteRowError(failure, row.Source);

        private void WriteRowError(RowFailure failure, object target)
        {
            Errors++;
            _host.WriteRowError(failure, target);
        }

        /// <summary>
        /// Rows sent, videos created, results from the journal (counted apart: they cost nothing),
        /// errors, rows per second and the time so far; for runs longer than half a second, never under -WhatIf.
        /// </summary>
        private void ReportProgress()
        {
            if (_options.WhatIf || !_progress.IsDue) return;
            var seconds = _progress.Elapsed.TotalSeconds;
            var status = string.Format(CultureInfo.InvariantCulture, "Project '{0}': {1} row(s) sent, {2} video(s) created, {3} from the journal, {4} error(s); {5:0} rows/s, {6:hh\\:mm\\:ss} elapsed",
                _options.ProjectId, RowsSent, Results - FromJournal, FromJournal, Errors, seconds > 0 ? RowsRead / seconds : 0, _progress.Elapsed);
            if (_progress.Next(status) is { } report) _host.WriteProgress(report);
        }

        private string IdProperty => string.IsNullOrEmpty(_options.UniqueIdProperty) ? RowBuilder.UniqueIdName : _options.UniqueIdProperty!;

        private static RunnerMessage Verbose(string text) => new RunnerMessage(false, text);
    }
}
