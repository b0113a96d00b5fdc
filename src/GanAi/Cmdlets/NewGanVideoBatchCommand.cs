using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Globalization;
using System.Linq;
using System.Management.Automation;
using GanAi.Api;
using GanAi.Batching;
using GanAi.Journal;
using GanAi.Resilience;
using GanAi.Rows;

namespace GanAi.Cmdlets
{
    /// <summary>
    /// <para type="synopsis">Creates one personalized video per input row, in batches, through Gan.ai's bulk endpoint.</para>
    /// </summary>
    /// <remarks>
    /// Thin by design: rows are read and checked by <see cref="RowBuilder"/>, sent by
    /// <see cref="VideoBatchRunner"/> on background tasks; this class binds parameters, asks
    /// ShouldProcess and writes to the pipeline, and only from the pipeline thread.
    /// </remarks>
    [Cmdlet(VerbsCommon.New, "GanVideoBatch", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
    [OutputType(typeof(VideoResult))]
    public sealed class NewGanVideoBatchCommand : GanApiCmdlet
    {
        private readonly UniqueIdRegistry _ids = new UniqueIdRegistry();
        private readonly PSRowReader _reader = new PSRowReader();
        private readonly Stopwatch _progressClock = new Stopwatch();
        private RowBuilder _builder = null!;
        private VideoBatchRunner? _runner;
        private List<VideoRow> _pending = new List<VideoRow>();
        private bool _whatIf;
        private bool _warnedSpareIdColumn;
        private RunEndingFailure? _runEnding;
        private RunJournal? _journal;
        private long _fromJournal;
        private long _rowsRead;
        private long _rowsSent;
        private long _results;
        private long _possibleDuplicates;
        private long _errors;
        private int _batches;
        private int _outstanding;
        private bool _progressShown;
        private TagPreflight? _preflight;
        private string? _projectMissing;
        private long _rowsQueued;
        private bool _creditsChecked;
        private bool _creditsDeclined;
        private AdaptiveConcurrency _concurrency = null!;

        /// <summary>The rows: objects whose properties are the tags of one video each.</summary>
        [Parameter(Mandatory = true, ValueFromPipeline = true)]
        [AllowNull]
        public PSObject InputObject { get; set; } = null!;

        /// <summary>The project (template video) to render the rows with.</summary>
        [Parameter(Mandatory = true, Position = 0)]
        [ValidateNotNullOrEmpty]
        [ArgumentCompleter(typeof(Completion.ProjectIdCompleter))]
        public string ProjectId { get; set; } = string.Empty;

        /// <summary>The property that holds each row's id (sent as unique_id). Default: unique_id.</summary>
        [Parameter]
        [ValidateNotNullOrEmpty]
        public string UniqueIdProperty { get; set; } = RowBuilder.UniqueIdName;

        /// <summary>Rows per request to the bulk endpoint.</summary>
        [Parameter]
        [ValidateRange(1, BatchRunnerSettings.MaxBatchSize)]
        public int BatchSize { get; set; } = 100;

        /// <summary>
        /// The most requests in flight at once. Without it, the number adapts: it starts at 4, grows
        /// (up to 32) while the service's latency is the bottleneck, and halves on a 429.
        /// </summary>
        [Parameter]
        [ValidateRange(1, BatchRunnerSettings.MaxThrottleLimit)]
        public int ThrottleLimit { get; set; } = BatchRunnerSettings.DefaultMaxConcurrency;

        /// <summary>Retries of a request after a transient failure (408, 429, 5xx, dropped connection, timeout).</summary>
        [Parameter]
        [ValidateRange(0, 20)]
        public int MaxRetries { get; set; } = 5;

        /// <summary>Time limit of one attempt of one request, in seconds.</summary>
        [Parameter]
        [ValidateRange(1, 3600)]
        public int TimeoutSec { get; set; } = 100;

        /// <summary>
        /// At-most-once: never send a batch again once its request may have reached the service; such
        /// rows end as OutcomeUnknown instead of possibly being rendered twice.
        /// </summary>
        [Parameter]
        public SwitchParameter NoRetryAfterSend { get; set; }

        /// <summary>
        /// A JSON-lines file that records every result as it arrives. Run the same command again with
        /// the same journal and rows already recorded are not sent; their recorded results are written.
        /// </summary>
        [Parameter]
        [ValidateNotNullOrEmpty]
        public string? JournalPath { get; set; }

        /// <summary>
        /// With -JournalPath: send again the rows an earlier run recorded as OutcomeUnknown. Their results
        /// have PossibleDuplicate set: the earlier request may have made a video.
        /// </summary>
        [Parameter]
        public SwitchParameter RetryUnknown { get; set; }

        /// <summary>
        /// Sends rows without the pre-flight check (reading the project's tags and credits first). Rows
        /// that lack a tag then fail at the service instead of before sending.
        /// </summary>
        [Parameter]
        public SwitchParameter SkipPreflight { get; set; }

        protected override void BeginProcessing()
        {
            _whatIf = IsWhatIf();
            _builder = new RowBuilder(UniqueIdProperty);
            _concurrency = new AdaptiveConcurrency(BatchRunnerSettings.InitialConcurrency, ThrottleLimit);
            _progressClock.Start();
            if (_whatIf)
            {
                // -WhatIf checks the rows and counts them, and sends nothing. It reads the journal
                // (without taking it), so it counts only the rows a real run would send; with a
                // connection at hand it runs the pre-flight (a read of the project), so a dry run finds
                // missing tags, unknown columns, a short credit and a wrong project. It needs no connection.
                if (JournalPath != null) OpenJournal(forReading: true);
                if (!SkipPreflight && ConnectionAtHand() is { } known) RunPreflight(known, DryRunResilience());
                return;
            }

            var connection = ResolveConnection();
            if (JournalPath != null) OpenJournal(forReading: false);
            var settings = new BatchRunnerSettings
            {
                BatchSize = BatchSize,
                ThrottleLimit = ThrottleLimit,
                Resilience = ResilienceFromParameters(),
            };
            if (!SkipPreflight) RunPreflight(connection, settings.Resilience);
            _runner = new VideoBatchRunner(connection, ProjectId, settings, CancellationToken, _journal);
            WriteVerbose($"Sending rows to project '{ProjectId}' at {connection.BaseUri} in batches of {BatchSize}, {_concurrency.Limit} request(s) at once to start with, up to {ThrottleLimit}.");
        }

        protected override void ProcessRecord()
        {
            var number = ++_rowsRead;
            if (InputObject is null)
            {
                WriteRowError(RowBuilder.Fail(ErrorIds.InputNotAnObject, FailureCategory.InvalidType, number, "is null; pipe objects whose properties are the tags."), null, null);
                return;
            }

            if (!_reader.TryBuild(_builder, number, InputObject, out var row, out var failure))
            {
                WriteRowError(failure!, null, InputObject);
            }
            else if (_ids.Claim(row!) is { } duplicate)
            {
                WriteRowError(duplicate, row, InputObject);
            }
            else if (!TryAnswerFromJournal(row!))
            {
                QueueRow(row!);
            }
            if (_preflight != null)
            {
                foreach (var message in _preflight.TakeMessages()) WriteMessage(message);
            }

            if (_builder.IgnoredUniqueIdColumn && !_warnedSpareIdColumn)
            {
                _warnedSpareIdColumn = true;
                WriteWarning($"Rows have a 'unique_id' property as well as '{UniqueIdProperty}'; '{UniqueIdProperty}' gives each row's unique_id and the 'unique_id' column is not sent.");
            }
            WriteReadyOutcomes();
            ReportProgress(final: false);
        }

        protected override void EndProcessing()
        {
            if (_pending.Count > 0) SendPending();
            while (_outstanding > 0) Handle(Block(_runner!.Take));
            ThrowIfRunEnded();
            ReportProgress(final: true);

            if (_whatIf)
            {
                var journaled = _journal is null ? string.Empty : string.Format(CultureInfo.InvariantCulture, " ({0} other row(s) are recorded as created in the journal and would not be sent)", _fromJournal);
                ShouldProcess(string.Format(CultureInfo.InvariantCulture, "{0} row(s) in {1} batch(es) of up to {2} to project '{3}'{4}", _rowsSent, _batches, BatchSize, ProjectId, journaled),
                    "Create videos");
            }
            else
            {
                WriteVerbose(string.Format(CultureInfo.InvariantCulture, "Done: {0} row(s) read, {1} result(s) ({2} from the journal), {3} error(s).", _rowsRead, _results, _fromJournal, _errors));
                // At-least-once sends a batch again after an attempt that may have been processed: say
                // so once, so nobody has to know to look for the flag.
                if (_possibleDuplicates > 0)
                {
                    WriteWarning(string.Format(CultureInfo.InvariantCulture,
                        "{0} video(s) may have been made twice: a request with their rows failed after the service may have processed it, and was sent again. Their results have PossibleDuplicate set; check them with Where-Object PossibleDuplicate.",
                        _possibleDuplicates));
                }
            }
        }

        protected override void Dispose(bool disposing)
        {
            if (disposing)
            {
                // After EndProcessing nothing is in flight. After an early end (Ctrl+C, Select-Object
                // -First, an error downstream) the runner stops sending and, with a journal, records
                // the batches in flight before the journal closes.
                _runner?.Stop(TellHostWhileStopping);
                _runner?.Dispose();
                _journal?.Dispose();
            }
            base.Dispose(disposing);
        }

        private ResilienceSettings ResilienceFromParameters() => new ResilienceSettings
        {
            MaxRetries = MaxRetries,
            AttemptTimeout = TimeSpan.FromSeconds(TimeoutSec),
            RetryAfterSend = !NoRetryAfterSend,
        };

        /// <summary>
        /// -WhatIf's pre-flight: one attempt within at most 15 s, so a dry run against a service it
        /// cannot reach stays quick (it then checks the rows on their own) instead of waiting out retries.
        /// </summary>
        private ResilienceSettings DryRunResilience() => new ResilienceSettings
        {
            MaxRetries = 0,
            AttemptTimeout = TimeSpan.FromSeconds(Math.Min(TimeoutSec, 15)),
        };

        /// <summary>
        /// While a journaled run stops (Ctrl+C, an early end), its streams are closed, so this says on
        /// the host why the prompt is not back yet, unless warnings are silenced (-WarningAction, or
        /// $WarningPreference). Never throws: a host without a UI simply shows nothing.
        /// </summary>
        private void TellHostWhileStopping(int batches, TimeSpan wait)
        {
            try
            {
                var preference = MyInvocation.BoundParameters.TryGetValue("WarningAction", out var bound) ? bound : SessionState.PSVariable.GetValue("WarningPreference");
                if (preference is ActionPreference p && (p == ActionPreference.SilentlyContinue || p == ActionPreference.Ignore)) return;
                Host?.UI?.WriteWarningLine(string.Format(CultureInfo.InvariantCulture,
                    "Stopping: waiting up to {0:0.#} s for the answers of {1} batch(es) in flight, so the journal records their rows.", wait.TotalSeconds, batches));
            }
            catch (Exception ex) when (ex is NotImplementedException || ex is NotSupportedException || ex is InvalidOperationException || ex is System.IO.IOException)
            {
            }
        }

        /// <summary>
        /// A row an earlier run recorded: its recorded result, or OutcomeUnknown when its outcome was
        /// never learned. With -RetryUnknown such a row is sent again (false), and its result is flagged
        /// PossibleDuplicate: the earlier request may have made a video. A row recorded as may_exist, or
        /// left as sending by a killed run, is sent again and flagged the same way, unless this run is
        /// at-most-once (-NoRetryAfterSend). A row recorded as not_created is sent as if never recorded.
        /// </summary>
        private bool TryAnswerFromJournal(VideoRow row)
        {
            if (_journal is null) return false;
            JournalEntry? recorded;
            try
            {
                recorded = _journal.Find(ProjectId, row.UniqueId);
            }
            catch (System.IO.IOException ex)
            {
                // A row the journal may hold must not be sent again on a guess: the run ends here, as it
                // does when the journal cannot be written.
                _runEnding ??= new RunEndingFailure(ErrorIds.JournalUnavailable, ex);
                ThrowIfRunEnded(new[] { row });
                return true;
            }
            if (recorded is null || recorded.Status == RunJournal.NotCreated) return false;
            if (recorded.IsCreated)
            {
                _fromJournal++;
                WriteResult(recorded.ToResult(row));
                return true;
            }
            // may_exist (an at-least-once run failed after a request that may have been processed) and
            // sending (a run was killed with the request in flight): a resume goes on at least once
            // (sent again, flagged), unless this run is at-most-once.
            if (RetryUnknown || ((recorded.Status == RunJournal.MayExist || recorded.Status == RunJournal.Sending) && !NoRetryAfterSend))
            {
                row.Apply(RowEvent.ResumedMayExist);
                return false;
            }
            WriteRowError(RowBuilder.Fail(row, ErrorIds.OutcomeUnknown, FailureCategory.InvalidResult,
                " is recorded in the journal as sent with an unknown outcome; it was not sent again. Check it, then use -RetryUnknown to send it again."), row, row.Source);
            return true;
        }

        /// <summary>A checked, new row: through the pre-flight and the credits check into the next batch.</summary>
        private void QueueRow(VideoRow row)
        {
            if (_projectMissing != null)
            {
                WriteRowError(RowBuilder.Fail(row, ErrorIds.ProjectNotFound, FailureCategory.ObjectNotFound, " was not sent: " + _projectMissing), row, row.Source);
                return;
            }
            if (_preflight != null)
            {
                if (!_preflight.TryApply(row, out row, out var refusal))
                {
                    WriteRowError(refusal!, row, row.Source);
                    return;
                }
            }
            if (!CreditsAllowAnotherRow())
            {
                WriteRowError(RowBuilder.Fail(row, ErrorIds.CreditsNotConfirmed, FailureCategory.OperationStopped,
                    " was not sent: it is beyond the project's available credits, and sending on was not confirmed."), row, row.Source);
                return;
            }
            _pending.Add(row);
            if (_pending.Count >= BatchSize) SendPending();
        }

        /// <summary>
        /// Reads the project (its tags and credits) before anything is sent. A project that does not
        /// exist fails every row without sending; a list that cannot be read only skips the check.
        /// </summary>
        private void RunPreflight(GanConnection connection, ResilienceSettings resilience)
        {
            var caller = new Api.ApiCaller(connection.ClientOf(), resilience);
            GanProject? project;
            try
            {
                project = Run(ct => Projects.ProjectCatalog.FindAsync(caller, ProjectId, ct));
            }
            catch (Exception ex) when (Api.ApiFailure.From(ex) is { } failure)
            {
                if (failure.IsTokenRefused) ThrowApiFailure(failure, ErrorIds.TokenRefused, ProjectId);
                WriteWarning($"Pre-flight skipped: the project list could not be read ({failure.Message}). " +
                    (_whatIf ? "-WhatIf checked the rows on their own." : "Rows are sent without checking their tags."));
                return;
            }
            if (project is null)
            {
                _projectMissing = $"no project '{ProjectId}' among the caller's projects. Check -ProjectId (Get-GanProject lists yours).";
                WriteWarning($"Project '{ProjectId}' was not found; no row is sent.");
                return;
            }
            _preflight = new TagPreflight(project, UniqueIdProperty);
            WriteVerbose(string.Format(CultureInfo.InvariantCulture, "Pre-flight: project '{0}' ({1}) has tags {2}; {3} credit(s) available.",
                project.ProjectId, project.Title, project.Tags.Length == 0 ? "(none)" : string.Join(", ", project.Tags.Select(t => "'" + t + "'")),
                project.AvailableCredits?.ToString(CultureInfo.InvariantCulture) ?? "unknown"));
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
            var text = string.Format(CultureInfo.InvariantCulture,
                "Row {0} is beyond the {1} credit(s) available in project '{2}'; rows beyond the credits will fail with InsufficientCredits.", _rowsRead, credits, ProjectId);
            WriteWarning(text);
            if (MyInvocation.BoundParameters.TryGetValue("Confirm", out var confirm) && LanguagePrimitives.IsTrue(confirm) &&
                !ShouldContinue(text + " Send them anyway?", "Not enough credits"))
            {
                _creditsDeclined = true;
                return false;
            }
            return true;
        }

        private void OpenJournal(bool forReading)
        {
            var path = GetUnresolvedProviderPathFromPSPath(JournalPath);
            try
            {
                _journal = forReading ? RunJournal.OpenForReading(path) : RunJournal.Open(path);
            }
            catch (Exception ex) when (ex is System.IO.IOException || ex is UnauthorizedAccessException)
            {
                var category = ex is JournalFormatException ? ErrorCategory.InvalidData : ex is UnauthorizedAccessException ? ErrorCategory.PermissionDenied : ErrorCategory.ResourceBusy;
                ThrowTerminatingError(new ErrorRecord(ex, ErrorIds.JournalUnavailable, category, path));
            }
            if (_journal is null)
            {
                WriteVerbose($"Journal {path}: no such file yet; -WhatIf creates none.");
                return;
            }
            WriteVerbose(string.Format(CultureInfo.InvariantCulture, "Journal {0}: {1} row(s) recorded by earlier runs{2}.", path, _journal!.Count,
                _journal.SkippedLines > 0 ? string.Format(CultureInfo.InvariantCulture, "; {0} unreadable line(s) skipped (a torn last line is normal after a crash)", _journal.SkippedLines) : string.Empty));
        }

        /// <summary>Sends the pending rows as one batch, once ShouldProcess agrees and a request slot is free.</summary>
        private void SendPending()
        {
            var batch = _pending;
            _pending = new List<VideoRow>(BatchSize);
            _batches++;
            _rowsSent += batch.Count;
            if (_whatIf) return;

            var target = string.Format(CultureInfo.InvariantCulture, "{0} row(s) (rows {1}-{2}) to project '{3}'", batch.Count, batch[0].Number, batch[batch.Count - 1].Number, ProjectId);
            if (!ShouldProcess(target, "Create videos"))
            {
                _rowsSent -= batch.Count;
                foreach (var row in batch)
                {
                    WriteRowError(RowBuilder.Fail(row, ErrorIds.BatchNotConfirmed, FailureCategory.OperationStopped, " was not sent: its batch was not confirmed."), row, row.Source);
                }
                return;
            }

            while (_outstanding >= _concurrency.Limit)
            {
                _concurrency.OnSaturated();
                Handle(Block(_runner!.Take));
            }
            ThrowIfRunEnded(batch);
            _runner!.Submit(batch);
            _outstanding++;
        }

        private void WriteReadyOutcomes()
        {
            if (_runner is null) return;
            while (_runner.TryTake(out var item)) Handle(item!);
            ThrowIfRunEnded();
        }

        private void Handle(RunnerEvent item)
        {
            switch (item)
            {
                case RunnerMessage message:
                    WriteMessage(message);
                    break;
                case BatchOutcome outcome:
                    _outstanding--;
                    var before = _concurrency.Limit;
                    _concurrency.OnCompleted(outcome.RateLimited, outcome.Rows.Count);
                    if (_concurrency.Limit != before) WriteVerbose($"Requests at once: {before} -> {_concurrency.Limit}{(outcome.RateLimited ? " (the service answered 429)" : string.Empty)}.");
                    foreach (var result in outcome.Results) WriteResult(result);
                    foreach (var failure in outcome.Failures) WriteRowError(failure.Value, failure.Key, failure.Key.Source);
                    if (outcome.RunEnding is { } ending)
                    {
                        _runEnding ??= ending;
                        foreach (var row in outcome.RowsWithoutOutcome()) WriteRowError(ending.FailRow(row), row, row.Source);
                    }
                    ReportProgress(final: false);
                    break;
            }
        }

        /// <summary>
        /// A refused token (401/403) or a journal that cannot record a batch before it is sent: after
        /// the batches in flight have finished (their results are still written), each row read and
        /// not made gets its own error (those of ended batches as they are handled, then
        /// <paramref name="unsent"/> and the rows waiting for a batch), so -ErrorVariable holds every
        /// row to send again; then one terminating error ends the run.
        /// </summary>
        private void ThrowIfRunEnded(IReadOnlyList<VideoRow>? unsent = null)
        {
            if (_runEnding is null) return;
            while (_outstanding > 0) Handle(Block(_runner!.Take));
            var ending = _runEnding;
            var waiting = _pending;
            _pending = new List<VideoRow>();
            foreach (var row in (unsent ?? Array.Empty<VideoRow>()).Concat(waiting)) WriteRowError(ending.FailRow(row), row, row.Source);
            ThrowTerminatingError(ending.ErrorId == ErrorIds.TokenRefused
                ? new ErrorRecord(
                    new UnauthorizedAccessException($"The service refused the token ({ending.Exception.Message}). Run Connect-GanAi with a valid token and run the command again.", ending.Exception),
                    ErrorIds.TokenRefused, ErrorCategory.AuthenticationError, ProjectId)
                : new ErrorRecord(
                    new System.IO.IOException($"The run stopped: {ending.Exception.Message} Nothing more is sent. Fix the journal (or free the disk), then run the command again: it resumes from the journal.", ending.Exception),
                    ErrorIds.JournalUnavailable, ErrorCategory.WriteError, _journal?.Path));
        }

        /// <summary>The typed result; its tags show as properties through <see cref="Results.VideoResultAdapter"/>.</summary>
        private void WriteResult(VideoResult result)
        {
            _results++;
            if (result.PossibleDuplicate) _possibleDuplicates++;
            WriteObject(result);
        }

        private void WriteRowError(RowFailure failure, VideoRow? row, object? target)
        {
            _errors++;
            WriteError(RowError(failure, row, target ?? (object)"(null row)"));
        }

        private void ReportProgress(bool final)
        {
            if (final)
            {
                if (_progressShown) WriteProgress(new ProgressRecord(1, "New-GanVideoBatch", "Done") { RecordType = ProgressRecordType.Completed });
                return;
            }
            // Long runs only, and at most twice a second.
            if (_whatIf || _progressClock.ElapsedMilliseconds < 500) return;
            _progressClock.Restart();
            _progressShown = true;
            WriteProgress(new ProgressRecord(1, "New-GanVideoBatch",
                string.Format(CultureInfo.InvariantCulture, "Project '{0}': {1} row(s) sent, {2} video(s) created, {3} error(s)", ProjectId, _rowsSent, _results, _errors)));
        }
    }
}
