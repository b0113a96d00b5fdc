using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Net.Http;
using System.Threading;
using System.Threading.Tasks;
using GanAi.Api;
using GanAi.Concurrency;
using GanAi.Journal;
using GanAi.Resilience;
using Polly;
using Polly.CircuitBreaker;

namespace GanAi.Batching
{
    /// <summary>
    /// Sends batches of rows to POST /create_video/bulk on background tasks and posts each finished
    /// batch (<see cref="BatchOutcome"/>) to the run's <see cref="EventChannel"/>. It never calls into
    /// PowerShell; the session bounds the batches in flight.
    /// </summary>
    /// <remarks>
    /// Per request, one resilient execution (<see cref="GanResiliencePipeline.SendAsync"/>) whose every
    /// send is written ahead to the journal and counted on its rows, each resend allowed by the
    /// <see cref="SpendGuard"/>; then one outcome, read in one place (<see cref="SendAsync"/>): a stop,
    /// the run's end (<see cref="RunEnd"/>), results read by the <see cref="BulkAnswerReader"/>, a
    /// 413 split in halves, a 422 that fails the rows it names, or one error per row
    /// (<see cref="RowErrors"/>). The journal records each row's state as its batch ends.
    /// </remarks>
    internal sealed class BatchSender : IDisposable
    {
        private readonly GanApiClient _client;
        private readonly string _projectId;
        private readonly string _path;
        private readonly GanResiliencePipeline _pipeline;
        private readonly SpendGuard _guard;
        private readonly RunEnd _runEnd;
        private readonly CreditsGate _credits;
        private readonly BulkAnswerReader _answers;
        private readonly RunJournal? _journal;
        private readonly EventChannel _events;
        private readonly BatchLifecycle _batches;
        private int _batchNumber;
        private long _leftUnknown;

        // This run's id in each result's RequestId: 6 random base-32 characters, so the ids of two runs differ.
        private readonly string _runId = RequestIds.NewRunId();

        public BatchSender(GanApiClient client, string projectId, ResilienceSettings resilience, SpendGuard guard, RunEnd runEnd, CreditsGate credits,
            TimeSpan stopGracePeriod, RunJournal? journal, EventChannel events, CancellationToken cancellation)
        {
            _client = client;
            _projectId = projectId;
            _path = ApiPaths.BulkCreate(projectId);
            _guard = guard;
            _runEnd = runEnd;
            _credits = credits;
            _answers = new BulkAnswerReader(projectId);
            _pipeline = new GanResiliencePipeline(resilience, guard.Breaker);
            _journal = journal;
            _events = events;
            _batches = new BatchLifecycle(journal != null, stopGracePeriod, runEnd, cancellation);
        }

        /// <summary>Starts sending a batch in the background; its outcome arrives on the event channel.</summary>
        public void Submit(IReadOnlyList<VideoRow> rows)
        {
            var number = ++_batchNumber;
            _batches.Start(() => RunAsync(number, rows));
        }

        /// <summary>
        /// Ends the run early (Ctrl+C, <c>Select-Object -First</c>, an error downstream): see
        /// <see cref="BatchLifecycle.Stop"/>. With a journal, the batches in flight that answer within
        /// the grace period are journaled as created; the others as unknown (the service may have
        /// processed them). Rows never sent are not journaled: a resumed run sends them.
        /// </summary>
        public void Stop(Action<int, TimeSpan>? stillWaiting = null) => _batches.Stop(stillWaiting);

        /// <summary>
        /// Rows of stopped batches now journaled as unknown: a resumed run holds them. Their errors were
        /// never written (nobody handles a stopped batch), so the stop's warning counts them.
        /// </summary>
        public long RowsLeftUnknown => Interlocked.Read(ref _leftUnknown);

        /// <summary>Once no batch runs: a batch still running (past Stop's bound) keeps what it uses, for the finalizers to free.</summary>
        public void Dispose()
        {
            if (_batches.TryDispose()) _answers.Dispose();
        }

        /// <summary>
        /// One batch, start to end: its outcome is recorded and handed to the pipeline thread whatever
        /// happens (a defect gives its rows UnexpectedError rather than leave the run waiting for it),
        /// except after a stop, when nobody can write it any more and only the journal learns of it.
        /// </summary>
        private async Task RunAsync(int number, IReadOnlyList<VideoRow> rows)
        {
            var outcome = new BatchOutcome(number, rows);
            var stopped = false;
            try
            {
                Exception? unexpected = null;
                try
                {
                    await SendAsync(outcome, rows, depth: 0).ConfigureAwait(false);
                }
                catch (OperationCanceledException) when (_batches.IsStopping)
                {
                    // Stopped: the journal still learns the rows that were answered and those whose
                    // request may have been processed.
                    stopped = true;
                    outcome.AbandonRest(RowErrors.StoppedInFlight);
                }
                catch (Exception ex)
                {
                    unexpected = ex;
                }
                if (!stopped)
                {
                    if (_runEnd.Failure is { } ended && outcome.RowsWithoutOutcome().Count > 0) outcome.EndRest(ended);
                    foreach (var row in outcome.Rows)
                    {
                        if (!RowDelivery.IsEnded(row.State)) outcome.Fail(row, RowErrors.Unexpected(row, unexpected)); // the conservation rule, enforced
                    }
                    _guard.OnBatchEnded(outcome.RefusedWith429);
                }
            }
            finally
            {
                var recorded = Record(outcome, stopped); // as soon as the batch is done: a killed run loses only what was in flight
                if (!stopped) _events.Post(outcome);
                else if (recorded && _journal != null) Interlocked.Add(ref _leftUnknown, outcome.Rows.Count(row => row.State == RowState.Unknown));
            }
        }

        /// <summary>One request with <paramref name="rows"/> (a batch, or a part of one), and what its outcome means for them.</summary>
        private async Task SendAsync(BatchOutcome outcome, IReadOnlyList<VideoRow> rows, int depth)
        {
            if (rows.Count == 0 || _runEnd.Failure != null) return; // nothing is sent after the run's end
            var what = string.Format(CultureInfo.InvariantCulture, "Batch {0} ({1} rows{2})", outcome.Number, rows.Count, depth > 0 ? ", part" : string.Empty);
            // A retry is the same request; a part the service asked for (413, 422) is a request of its own.
            var requestId = RequestIds.Of(_runId, outcome.Number, depth == 0 ? 0 : ++outcome.Parts);
            var live = new LiveRows(rows);
            var log = new AttemptLog(what, text => _events.Message(text))
            {
                BeforeEachSend = () => WriteAhead(live.Rows),
                AfterEachSend = verdict => Settle(live.Rows, verdict),
                MayResend = last => live.KeepResendable(_guard, outcome, last),
            };
            var final = await _pipeline.SendAsync(_client, HttpMethod.Post, _path, live.Body, log, _batches.Waits, _batches.Requests).ConfigureAwait(false);
            outcome.Requests += log.FailedAttempts + 1;
            if (log.RateLimited) outcome.RateLimited = true;
            if (final.Result?.Status == 429) outcome.RefusedWith429 = true;

            var cut = final.Exception is OperationCanceledException || (TransientFailure.IsTransient(final) && _batches.Waits.IsCancellationRequested);
            if (cut && _batches.IsStopping) throw new OperationCanceledException(_batches.Stopping); // stopped; Polly gave back what it would have retried
            if (cut && _runEnd.Failure is { } ended)
            {
                // The run ended: a request in flight that was given up leaves its rows unknown; rows waiting for a resend end as they stand.
                if (log.CancelledInFlight) foreach (var row in live.Rows) row.Apply(RowEvent.Abandoned);
                outcome.RunEnding ??= ended;
                return;
            }
            if (RunEndingFrom(final, what) is { } ending)
            {
                outcome.RunEnding ??= _runEnd.End(ending);
                return;
            }
            var rest = live.Rows;
            if (rest.Count == 0) return; // every row reached its cap of sends (OutcomeUnknown)
            var attempts = log.FailedAttempts + 1;
            if (final.Exception is { } exception)
            {
                var failure = ApiFailure.From(exception) ?? throw new InvalidOperationException("Sending the batch failed unexpectedly: " + exception.Message, exception);
                outcome.FailAll(rest, row => RowErrors.Transport(row, failure, attempts));
                return;
            }
            var response = final.Result!;
            if (response.IsSuccess)
            {
                ApplyAnswer(outcome, rest, response, requestId);
                return;
            }
            var error = ErrorBodyReader.ToException(response, what);
            switch (response.Status)
            {
                case 404:
                    // The project does not exist (-SkipPreflight): every later row would fail alike.
                    var notFound = ErrorBodyReader.ToException(response, $"Project '{_projectId}'");
                    outcome.RunEnding ??= _runEnd.End(new RunEndingFailure(ErrorIds.ProjectNotFound, notFound,
                        notFound.Message.TrimEnd('.') + "; nothing more is sent. Check -ProjectId (Get-GanProject lists yours)."));
                    return;
                case 402:
                    // Nothing more is sent, not even the part the credits allow: the service may have made part of this batch.
                    outcome.RunEnding ??= _runEnd.End(_credits.OutOfCredits(ErrorBodyReader.ToException(response, $"Project '{_projectId}'")));
                    return;
                case 413 when rest.Count > 1:
                    _events.Message($"{what}: the service answered 413 (too large); sending it in two halves.");
                    await SendHalvesAsync(outcome, rest, depth).ConfigureAwait(false);
                    return;
                case 413:
                    outcome.Fail(rest[0], RowErrors.TooLarge(rest[0]));
                    return;
                case 422:
                    await HandleValidationErrorAsync(outcome, rest, error, depth).ConfigureAwait(false);
                    return;
                default:
                    var status = ApiFailure.From(error)!;
                    outcome.FailAll(rest, row => RowErrors.ServiceAnswered(row, error, status, attempts));
                    return;
            }
        }

        /// <summary>
        /// The failures after which nothing more of the run is sent: the journal could not record a
        /// send first, the service is unreachable (the breaker opened), the token was refused, or the
        /// service asked to wait longer than is waited. Null for every other outcome.
        /// </summary>
        private RunEndingFailure? RunEndingFrom(Outcome<ApiResponse> final, string what)
        {
            if (final.Exception is JournalNotWritten journal) return new RunEndingFailure(ErrorIds.JournalUnavailable, journal);
            if (final.Exception is BrokenCircuitException broken) return RunEndingFailure.Unreachable(_client.BaseUri, broken.Message.TrimEnd('.'), broken);
            // An error answer, read or not (one too large or undecodable keeps its status): a 401 ends the run either way.
            var error = final.Result is { IsSuccess: false } response ? ErrorBodyReader.ToException(response, what) : final.Exception as GanApiException;
            if (error != null && ApiFailure.From(error, maxRetryAfter: _pipeline.MaxRetryAfter) is { EndsRun: true } failure)
                return RunEndingFailure.From(failure);
            return null;
        }

        /// <summary>
        /// Just before each request with these rows goes out: the journal's write-ahead (each row as
        /// sending, counting this send), then the send is counted on the rows. When the journal cannot
        /// record them (a full disk, say), the request is not sent and the run ends
        /// (<see cref="JournalNotWritten"/>): a request the journal does not know of would be sent
        /// again, unflagged, by a resumed run.
        /// </summary>
        private void WriteAhead(IReadOnlyList<VideoRow> rows)
        {
            try
            {
                _journal?.AppendAhead(JournalLines.Sending(_projectId, rows));
            }
            catch (Exception ex) when (ex is IOException || ex is ObjectDisposedException || ex is UnauthorizedAccessException)
            {
                throw new JournalNotWritten(ex);
            }
            foreach (var row in rows) row.Apply(RowEvent.Sending);
        }

        /// <summary>A send ended: whether it counts on its rows (it may have made their videos) or not (it provably made nothing); the guard hears of it.</summary>
        private void Settle(IReadOnlyList<VideoRow> rows, AttemptVerdict verdict)
        {
            var happened = verdict.Work == WorkVerdict.NothingMade ? RowEvent.RefusedBeforeWork
                : verdict.Work == WorkVerdict.MayHaveMade ? RowEvent.MaybeProcessed : (RowEvent?)null;
            if (happened is { } e) foreach (var row in rows) row.Apply(e);
            _guard.OnAttempt(verdict);
        }

        /// <summary>A 200: each row's result, or its error when the answer does not make sense for it (<see cref="BatchOutcome.Apply"/>).</summary>
        private void ApplyAnswer(BatchOutcome outcome, IReadOnlyList<VideoRow> rows, ApiResponse response, string requestId)
        {
            foreach (var warning in outcome.Apply(_answers.Read(rows, response.Body), rows, _projectId, requestId))
                _events.Message("Batch " + outcome.Number.ToString(CultureInfo.InvariantCulture) + ": " + warning, isWarning: true);
        }

        /// <summary>Sends the first half, then the second (a 413, or a 422 that names no row).</summary>
        private async Task SendHalvesAsync(BatchOutcome outcome, IReadOnlyList<VideoRow> rows, int depth)
        {
            var half = rows.Count / 2;
            await SendAsync(outcome, rows.Take(half).ToList(), depth + 1).ConfigureAwait(false);
            await SendAsync(outcome, rows.Skip(half).ToList(), depth + 1).ConfigureAwait(false);
        }

        /// <summary>
        /// A 422 names the bad items by <c>loc</c> ["body", i, ...]: those rows fail with the service's
        /// words, the others are sent again (nothing was created). Where no item is named, bisect.
        /// </summary>
        private async Task HandleValidationErrorAsync(BatchOutcome outcome, IReadOnlyList<VideoRow> rows, GanApiException error, int depth)
        {
            var byIndex = error.ValidationIssues
                .Where(i => i.ItemIndex is { } n && n >= 0 && n < rows.Count)
                .GroupBy(i => i.ItemIndex!.Value)
                .ToDictionary(g => g.Key, g => string.Join("; ", g.Select(i => i.Field is { } f ? f + ": " + i.Message : i.Message)));
            if (byIndex.Count == 0)
            {
                if (rows.Count > 1) await SendHalvesAsync(outcome, rows, depth).ConfigureAwait(false);
                else outcome.Fail(rows[0], RowErrors.Refused(rows[0], error.Detail ?? (error.ValidationIssues.Count > 0 ? error.ValidationIssues[0].Message : "no reason given"), error));
                return;
            }
            var valid = new List<VideoRow>(rows.Count - byIndex.Count);
            for (var i = 0; i < rows.Count; i++)
            {
                if (byIndex.TryGetValue(i, out var reason)) outcome.Fail(rows[i], RowErrors.Refused(rows[i], reason, error));
                else valid.Add(rows[i]);
            }
            if (valid.Count == 0) return;
            _events.Message(string.Format(CultureInfo.InvariantCulture, "Batch {0}: the service refused {1} row(s) (422); sending the other {2} again.", outcome.Number, byIndex.Count, valid.Count));
            await SendAsync(outcome, valid, depth + 1).ConfigureAwait(false);
        }

        /// <summary>
        /// The batch's final lines (true once written). Whatever keeps them from the journal, the batch's outcome still goes
        /// to the pipeline: its rows stay recorded as sending, which a resumed run takes as possibly made.
        /// A journal that cannot record outcomes ends the run (JournalUnavailable): even when every batch
        /// is already sent, as when the journal is also the file Export-Csv writes, the run must not end
        /// as if its journal could resume it. A stopped run is ending already; it warns.
        /// </summary>
        private bool Record(BatchOutcome outcome, bool stopped)
        {
            try
            {
                _journal?.Append(JournalLines.Final(_projectId, outcome));
                return true;
            }
            catch (Exception ex)
            {
                var what = $"Batch {outcome.Number}: its outcome could not be written to the journal ({ex.Message.TrimEnd('.')}); a resumed run takes its rows as possibly made.";
                if (stopped) _events.Message(what, isWarning: true);
                else outcome.RunEnding ??= _runEnd.End(new RunEndingFailure(ErrorIds.JournalUnavailable, ex, what));
                return false;
            }
        }
    }
}
