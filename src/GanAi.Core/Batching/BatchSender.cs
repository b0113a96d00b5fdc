using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Net.Http;
using System.Text.Json;
using System.Threading;
using System.Threading.Tasks;
using GanAi.Api;
using GanAi.Concurrency;
using GanAi.Journal;
using GanAi.Resilience;
using Polly;
using Polly.CircuitBreaker;
using Polly.Timeout;

namespace GanAi.Batching
{
    /// <summary>
    /// Sends batches of rows to POST /create_video/bulk on background tasks and posts each finished
    /// batch (<see cref="BatchOutcome"/>) to the run's <see cref="EventChannel"/>. It never calls into
    /// PowerShell; the session bounds the batches in flight.
    /// </summary>
    /// <remarks>
    /// Per request, one resilient execution (<see cref="GanResiliencePipeline.SendAsync"/>) and one
    /// outcome, read in one place (<see cref="SendAsync"/>): a stop, the run's end (a refused token,
    /// the journal, a Retry-After over the cap, the service unreachable), results matched by
    /// unique_id, a 413 split in halves, a 422 that fails the rows it names, or one error per row.
    /// Each row's delivery state moves with what happens (<see cref="RowDelivery"/>); the journal
    /// records it as the batch ends.
    /// </remarks>
    internal sealed class BatchSender : IDisposable
    {
        /// <summary>How long a stop waits before it says what it waits for (most stops are over by then).</summary>
        private static readonly TimeSpan QuietStopWait = TimeSpan.FromMilliseconds(250);

        private readonly GanApiClient _client;
        private readonly string _projectId;
        private readonly string _path;
        private readonly GanResiliencePipeline _pipeline;
        private readonly ServiceReachability _reachability;
        private readonly bool _retryAfterSend;
        private readonly RunJournal? _journal;
        private readonly EventChannel _events;
        private readonly object _idle = new object();
        private readonly TimeSpan _stopGracePeriod;

        // Two steps of stopping: no new request (at once), then no request in flight (at once without
        // a journal; after the grace period with one). Ctrl+C (the run's token) starts both steps
        // only when there is no journal to record the answers of requests in flight.
        private readonly CancellationTokenSource _stopSending;
        private readonly CancellationTokenSource _stopRequests;
        private readonly ResilienceSettings _resilience;
        private int _batchNumber;
        private int _running;
        private int _creditsRead;
        private readonly TaskCompletionSource<bool> _creditsDecided = new TaskCompletionSource<bool>(TaskCreationOptions.RunContinuationsAsynchronously);
        private RunEndingFailure? _runEnding;

        public BatchSender(GanApiClient client, string projectId, ResilienceSettings resilience, ServiceReachability reachability, TimeSpan stopGracePeriod,
            RunJournal? journal, EventChannel events, CancellationToken cancellation)
        {
            _client = client;
            _projectId = projectId;
            _path = ApiPaths.BulkCreate(projectId);
            _reachability = reachability;
            _pipeline = new GanResiliencePipeline(resilience, reachability);
            _retryAfterSend = resilience.RetryAfterSend;
            _resilience = resilience;
            _journal = journal;
            _events = events;
            _stopGracePeriod = stopGracePeriod;
            _stopSending = CancellationTokenSource.CreateLinkedTokenSource(cancellation);
            _stopRequests = journal is null ? CancellationTokenSource.CreateLinkedTokenSource(cancellation) : new CancellationTokenSource();
        }

        /// <summary>The first failure that ended the run, once one did (no batch is sent after it).</summary>
        public RunEndingFailure? RunEnding => Volatile.Read(ref _runEnding);

        /// <summary>Starts sending a batch in the background; its outcome arrives on the event channel.</summary>
        public void Submit(IReadOnlyList<VideoRow> rows)
        {
            var number = ++_batchNumber;
            Interlocked.Increment(ref _running);
            Task.Run(() => RunAsync(number, rows));
        }

        /// <summary>
        /// Ends the run early (Ctrl+C, <c>Select-Object -First</c>, an error downstream): no new request
        /// is sent, not even a retry or the other half of a split batch. Without a journal, requests in
        /// flight are cancelled at once. With one, they get the grace period to answer, so their rows are
        /// journaled as created; those still in flight after it are cancelled and journaled as unknown
        /// (the service may have processed them). Rows never sent are not journaled: a resumed run sends
        /// them. Returns once every batch has ended, or after a bounded wait.
        /// </summary>
        /// <param name="stillWaiting">
        /// Called (with the batches still running and the rest of the grace period) when the batches in
        /// flight have not answered within a quarter of a second, so a user who pressed Ctrl+C learns
        /// why the prompt is not back yet.
        /// </param>
        public void Stop(Action<int, TimeSpan>? stillWaiting = null)
        {
            _stopSending.Cancel();
            if (_journal is null || !WaitForGracePeriod(stillWaiting)) _stopRequests.Cancel();
            WaitForBatches(TimeSpan.FromSeconds(5)); // cancelled work ends at once; the bound only guards against a stuck disk
        }

        public void Dispose()
        {
            if (Volatile.Read(ref _running) > 0) return; // a batch that outlived Stop's bound may still read the tokens
            _stopSending.Dispose();
            _stopRequests.Dispose();
        }

        private async Task RunAsync(int number, IReadOnlyList<VideoRow> rows)
        {
            try
            {
                var outcome = new BatchOutcome(number, rows);
                Exception? unexpected = null;
                try
                {
                    await SendAsync(outcome, rows, depth: 0).ConfigureAwait(false);
                }
                catch (OperationCanceledException) when (_stopSending.IsCancellationRequested)
                {
                    // Stopped: nobody can write this batch's outcome any more, but the journal still
                    // learns the rows that were answered and those whose request may have been processed.
                    outcome.AbandonRest(StoppedInFlight);
                    Record(outcome);
                    return;
                }
                catch (Exception ex)
                {
                    unexpected = ex;
                }
                if (outcome.RunEnding != null) outcome.EndRest();
                else EnsureEveryRowEnded(outcome, unexpected);
                Record(outcome); // as soon as the batch is done: a killed run loses only what was in flight
                _events.Post(outcome);
            }
            finally
            {
                if (Interlocked.Decrement(ref _running) == 0)
                {
                    lock (_idle) Monitor.PulseAll(_idle);
                }
            }
        }

        /// <summary>
        /// One request with <paramref name="rows"/> (a batch, or a part of one), and what its outcome
        /// means for them. <paramref name="afterRunEnded"/>: the rows the remaining credits allow, sent
        /// although the run is ending for want of credits.
        /// </summary>
        private async Task SendAsync(BatchOutcome outcome, IReadOnlyList<VideoRow> rows, int depth, bool afterRunEnded = false)
        {
            if (rows.Count == 0) return;
            if (RunEnding is { } ended && !afterRunEnded)
            {
                outcome.RunEnding ??= ended;
                return;
            }

            var what = string.Format(CultureInfo.InvariantCulture, "Batch {0} ({1} rows{2})", outcome.Number, rows.Count, depth > 0 ? ", part" : string.Empty);
            var log = new AttemptLog(what, text => _events.Message(text)) { BeforeFirstSend = () => BeginSending(rows) };
            var final = await _pipeline.SendAsync(_client, HttpMethod.Post, _path, BulkRequestWriter.Write(rows), log, _stopSending.Token, _stopRequests.Token).ConfigureAwait(false);
            log.RecordFinal(final);
            outcome.Requests += log.FailedAttempts + 1;
            if (log.RateLimited) outcome.RateLimited = true;
            // The state stays with each row through splits and resends: a later result is flagged
            // PossibleDuplicate, a stop ends it as unknown, an error leaves it may_exist.
            if (log.MayHaveBeenProcessed)
            {
                foreach (var row in rows) row.Apply(RowEvent.MaybeProcessed);
            }

            if (_stopSending.IsCancellationRequested && (final.Exception is OperationCanceledException || TransientFailure.IsTransient(final)))
                throw new OperationCanceledException(_stopSending.Token); // stopped; Polly gave back what it would have retried
            if (RunEndingFrom(final, what) is { } ending)
            {
                EndRun(outcome, ending);
                return;
            }
            if (log.LastAttemptAmbiguous && !_retryAfterSend)
            {
                var cause = TransientFailure.Describe(final);
                foreach (var row in rows) outcome.Abandon(row, OutcomeUnknown(row, cause, final.Exception));
                return;
            }
            if (final.Exception is { } exception)
            {
                var failure = ApiFailure.From(exception) ?? throw new InvalidOperationException("Sending the batch failed unexpectedly: " + exception.Message, exception);
                outcome.FailAll(rows, row => TransportFailure(row, failure, log.FailedAttempts + 1));
                return;
            }

            var response = final.Result!;
            if (response.IsSuccess)
            {
                MatchResults(outcome, rows, response);
                return;
            }
            switch (response.Status)
            {
                case 404:
                    // The project does not exist (-SkipPreflight): every later row would fail alike.
                    var notFound = ErrorBodyReader.ToException(response, $"Project '{_projectId}'");
                    EndRun(outcome, new RunEndingFailure(ErrorIds.ProjectNotFound, notFound,
                        notFound.Message.TrimEnd('.') + "; nothing more is sent. Check -ProjectId (Get-GanProject lists yours)."));
                    return;
                case 413 when rows.Count > 1:
                    _events.Message($"{what}: the service answered 413 (too large); sending it in two halves.");
                    await SendHalvesAsync(outcome, rows, depth).ConfigureAwait(false);
                    return;
                case 413:
                    outcome.Fail(rows[0], RowBuilder.Fail(rows[0], ErrorIds.RowTooLarge, FailureCategory.LimitsExceeded,
                        " is too large for the service on its own (413); shorten its values."));
                    return;
                case 422:
                    await HandleValidationErrorAsync(outcome, rows, response, depth).ConfigureAwait(false);
                    return;
                case 402:
                    await SendWhatTheCreditsAllowAsync(outcome, rows, response, depth).ConfigureAwait(false);
                    return;
                default:
                    var error = ErrorBodyReader.ToException(response, what);
                    var status = ApiFailure.From(error)!;
                    var attempts = log.FailedAttempts + 1;
                    // A 5xx (any, not only those retried) may come after the work: the row may exist.
                    var mayExist = log.Ambiguous ? "; the service may have created the video anyway" : string.Empty;
                    var tail = attempts > 1 ? string.Format(CultureInfo.InvariantCulture, " (after {0} attempts{1})", attempts, mayExist) : mayExist;
                    var said = log.Ambiguous ? " may or may not have been rendered: " : " was not rendered: ";
                    outcome.FailAll(rows, row => RowBuilder.Fail(row, status.ErrorId, status.Category, said + error.Message + tail, error));
                    return;
            }
        }

        /// <summary>
        /// A 402: the project lacks credits for the batch. Once per run, the project's available
        /// credits are read and that many rows of the batch are sent; the rest of the run ends with
        /// InsufficientCredits (no storm of halved requests, one error per row read).
        /// </summary>
        private async Task SendWhatTheCreditsAllowAsync(BatchOutcome outcome, IReadOnlyList<VideoRow> rows, ApiResponse response, int depth)
        {
            var refused = ErrorBodyReader.ToException(response, $"Project '{_projectId}'");
            if (Interlocked.Exchange(ref _creditsRead, 1) != 0)
            {
                // Another batch reads the credits; the run ends with its words (how many rows were sent on).
                await _creditsDecided.Task.ConfigureAwait(false);
                EndRun(outcome, RunEnding ?? OutOfCredits(refused, null, rows.Count));
                return;
            }
            long? available = null;
            try
            {
                var caller = new ApiCaller(_client, _resilience, reachability: _reachability);
                available = (await Projects.ProjectCatalog.FindAsync(caller, _projectId, _stopSending.Token).ConfigureAwait(false))?.AvailableCredits;
            }
            catch (Exception ex) when (ex is OperationCanceledException || ApiFailure.From(ex, reachability: _reachability) != null)
            {
                // Unknown (or stopping): nothing more is sent.
            }
            finally
            {
                EndRun(outcome, OutOfCredits(refused, available, rows.Count));
                _creditsDecided.TrySetResult(true);
            }
            if (available is > 0 && available < rows.Count)
            {
                _events.Message(string.Format(CultureInfo.InvariantCulture, "Batch {0}: {1} credit(s) left; sending that many of its rows.", outcome.Number, available));
                await SendAsync(outcome, rows.Take((int)available.Value).ToList(), depth + 1, afterRunEnded: true).ConfigureAwait(false);
            }
        }

        private RunEndingFailure OutOfCredits(GanApiException refused, long? available, int batchRows) =>
            new RunEndingFailure(ErrorIds.InsufficientCredits, refused, string.Format(CultureInfo.InvariantCulture,
                "project '{0}' ran out of credits ({1}){2}; nothing more is sent. Add credits, then run the command again (with -JournalPath, it resumes).",
                _projectId, refused.Message.TrimEnd('.'), available is > 0 && available < batchRows
                    ? string.Format(CultureInfo.InvariantCulture, "; the {0} row(s) its credits allowed are sent", available) : string.Empty));

        /// <summary>
        /// The failures after which nothing more of the run is sent: the journal could not record the
        /// batch first, the service is unreachable (the breaker opened), the token was refused, or the
        /// service asked to wait longer than is waited. Null for every other outcome.
        /// </summary>
        private RunEndingFailure? RunEndingFrom(Outcome<ApiResponse> final, string what)
        {
            if (final.Exception is JournalNotWritten journal) return new RunEndingFailure(ErrorIds.JournalUnavailable, journal);
            if (final.Exception is BrokenCircuitException broken)
                return RunEndingFailure.Unreachable(_client.BaseUri, broken.Message.TrimEnd('.'), broken);
            if (final.Result is { IsSuccess: false } response &&
                ApiFailure.From(ErrorBodyReader.ToException(response, what), maxRetryAfter: _pipeline.MaxRetryAfter) is { EndsRun: true } failure)
                return RunEndingFailure.From(failure);
            return null;
        }

        /// <summary>
        /// Just before the first request with these rows goes out: the journal's write-ahead, then the
        /// rows are sent. When the journal cannot record them as sending (a full disk, say), the
        /// request is not sent and the run ends (<see cref="JournalNotWritten"/>): a request the
        /// journal does not know of would be sent again, unflagged, by a resumed run.
        /// </summary>
        private void BeginSending(IReadOnlyList<VideoRow> rows)
        {
            try
            {
                _journal?.RecordSending(_projectId, rows);
            }
            catch (Exception ex) when (IsJournalFailure(ex))
            {
                throw new JournalNotWritten(ex);
            }
            foreach (var row in rows) row.Apply(RowEvent.Sending);
        }

        /// <summary>What writing the journal throws when it cannot: the file system refused, or the journal was closed under the run.</summary>
        private static bool IsJournalFailure(Exception ex) => ex is IOException || ex is ObjectDisposedException || ex is UnauthorizedAccessException;

        /// <summary>The first run-ending failure wins; every later batch ends with it, unsent.</summary>
        private void EndRun(BatchOutcome outcome, RunEndingFailure failure)
        {
            Interlocked.CompareExchange(ref _runEnding, failure, null);
            outcome.RunEnding ??= RunEnding;
        }

        /// <summary>
        /// The journal could not record a batch before it was sent. Not an IOException, so the retry
        /// strategy (which retries I/O failures of requests) never sees it as transient.
        /// </summary>
        private sealed class JournalNotWritten : Exception
        {
            public JournalNotWritten(Exception inner)
                : base("The journal could not record a batch before it was sent: " + inner.Message.TrimEnd('.') + ".", inner)
            {
            }
        }

        private void Record(BatchOutcome outcome)
        {
            try
            {
                _journal?.Record(_projectId, outcome);
            }
            catch (Exception ex) when (IsJournalFailure(ex))
            {
                // Its rows stay recorded as sending: a resumed run takes them as possibly made (sent again
                // flagged PossibleDuplicate, or held with -NoRetryAfterSend). The next batch's write-ahead
                // will most likely fail too, and end the run.
                _events.Message($"Batch {outcome.Number}: its outcome could not be written to the journal ({ex.Message}); a resumed run takes its rows as possibly made.", isWarning: true);
            }
        }

        /// <summary>True once the batches in flight have ended within the grace period.</summary>
        private bool WaitForGracePeriod(Action<int, TimeSpan>? stillWaiting)
        {
            var quiet = QuietStopWait < _stopGracePeriod ? QuietStopWait : _stopGracePeriod;
            if (WaitForBatches(quiet)) return true;
            if (quiet == _stopGracePeriod) return false;
            stillWaiting?.Invoke(Volatile.Read(ref _running), _stopGracePeriod - quiet);
            return WaitForBatches(_stopGracePeriod - quiet);
        }

        /// <summary>True once no batch is running; false when <paramref name="timeout"/> passed first.</summary>
        private bool WaitForBatches(TimeSpan timeout)
        {
            var clock = System.Diagnostics.Stopwatch.StartNew();
            lock (_idle)
            {
                while (Volatile.Read(ref _running) > 0)
                {
                    var left = timeout - clock.Elapsed;
                    if (left <= TimeSpan.Zero) return false;
                    Monitor.Wait(_idle, left);
                }
            }
            return true;
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
        private async Task HandleValidationErrorAsync(BatchOutcome outcome, IReadOnlyList<VideoRow> rows, ApiResponse response, int depth)
        {
            var error = ErrorBodyReader.ToException(response, "The service refused the row");
            var byIndex = error.ValidationIssues
                .Where(i => i.ItemIndex is { } n && n >= 0 && n < rows.Count)
                .GroupBy(i => i.ItemIndex!.Value)
                .ToDictionary(g => g.Key, g => string.Join("; ", g.Select(i => i.Field is { } f ? f + ": " + i.Message : i.Message)));

            if (byIndex.Count == 0)
            {
                if (rows.Count > 1)
                {
                    await SendHalvesAsync(outcome, rows, depth).ConfigureAwait(false);
                    return;
                }
                outcome.Fail(rows[0], RowBuilder.Fail(rows[0], ErrorIds.ServiceRejectedRow, FailureCategory.InvalidData,
                    " was refused by the service (422): " + (error.Detail ?? (error.ValidationIssues.Count > 0 ? error.ValidationIssues[0].Message : "no reason given")), error));
                return;
            }

            var valid = new List<VideoRow>(rows.Count - byIndex.Count);
            for (var i = 0; i < rows.Count; i++)
            {
                if (byIndex.TryGetValue(i, out var reason))
                {
                    outcome.Fail(rows[i], RowBuilder.Fail(rows[i], ErrorIds.ServiceRejectedRow, FailureCategory.InvalidData,
                        " was refused by the service (422): " + reason, error));
                }
                else
                {
                    valid.Add(rows[i]);
                }
            }
            if (valid.Count > 0)
            {
                _events.Message(string.Format(CultureInfo.InvariantCulture,
                    "Batch {0}: the service refused {1} row(s) (422); sending the other {2} again.", outcome.Number, byIndex.Count, valid.Count));
                await SendAsync(outcome, valid, depth + 1).ConfigureAwait(false);
            }
        }

        private void MatchResults(BatchOutcome outcome, IReadOnlyList<VideoRow> rows, ApiResponse response)
        {
            List<BulkVideoItemDto?>? items;
            try
            {
                items = JsonSerializer.Deserialize(response.Body, GanJsonContext.Strict.ListBulkVideoItemDto)!;
            }
            catch (JsonException ex)
            {
                outcome.FailAll(rows, row => MalformedAnswer(row, "is not the expected JSON array (" + ex.Message + ")", ex));
                return;
            }
            if (items is null)
            {
                outcome.FailAll(rows, row => MalformedAnswer(row, "is null instead of a JSON array", null));
                return;
            }

            var answer = BulkAnswer.Of(items);
            List<string>? twice = null;
            var named = 0;
            foreach (var row in rows)
            {
                var match = answer.For(row);
                if (match.Kind != BulkAnswer.MatchKind.NotNamed) named++;
                switch (match.Kind)
                {
                    case BulkAnswer.MatchKind.Once:
                    case BulkAnswer.MatchKind.Twice:
                        var item = match.Item!;
                        var isTwice = match.Kind == BulkAnswer.MatchKind.Twice;
                        if (isTwice) (twice ??= new List<string>()).Add("'" + row.UniqueId + "' (" + match.DescribeIds() + ")");
                        outcome.Results.Add(new VideoResult(row.UniqueId, item.ProjectId ?? _projectId, item.InferenceId, item.VideoUrl, item.AudioUrl,
                            item.ThumbnailUrl, item.SmartUrl, item.Permalink, outcome.Answered(row, isTwice), row.Number, row.Tags));
                        break;
                    case BulkAnswer.MatchKind.WithoutInferenceId:
                        row.Apply(RowEvent.MaybeProcessed);
                        outcome.Fail(row, RowBuilder.Fail(row, ErrorIds.NoResultReturned, FailureCategory.InvalidResult,
                            " got no usable result: the service answered 200, but its item for this unique_id has no inference_id (" + BulkAnswer.Describe(match.Item!) + "). The video may or may not exist."));
                        break;
                    default:
                        row.Apply(RowEvent.MaybeProcessed);
                        outcome.Fail(row, RowBuilder.Fail(row, ErrorIds.NoResultReturned, FailureCategory.InvalidResult,
                            " got no result: the service answered 200 but its answer does not mention this unique_id. The video may or may not exist."));
                        break;
                }
            }
            if (twice != null)
            {
                // Two credits spent and two videos made, as far as the answer tells: say which, once per batch.
                _events.Message(string.Format(CultureInfo.InvariantCulture,
                    "Batch {0}: the service's answer named {1} unique_id(s) twice, with two videos each; their results have the first video and PossibleDuplicate set. The videos (inference ids): {2}.",
                    outcome.Number, twice.Count, string.Join("; ", twice)), isWarning: true);
            }
            var strangers = answer.DistinctIds - named + answer.ItemsWithoutUniqueId;
            if (strangers > 0)
            {
                _events.Message(string.Format(CultureInfo.InvariantCulture,
                    "Batch {0}: the service's answer holds {1} item(s) whose unique_id was not in the batch; they were ignored.", outcome.Number, strangers), isWarning: true);
            }
        }

        private static RowFailure MalformedAnswer(VideoRow row, string what, Exception? ex)
        {
            row.Apply(RowEvent.MaybeProcessed); // a 200 that cannot be read: the service did process the request
            return RowBuilder.Fail(row, ErrorIds.MalformedAnswer, FailureCategory.ProtocolError, ": the service's answer " + what + "; the video may or may not exist.", ex);
        }

        private static RowFailure OutcomeUnknown(VideoRow row, string what, Exception? ex) => RowBuilder.Fail(row, ErrorIds.OutcomeUnknown, FailureCategory.InvalidResult,
            ": its request was sent and then failed (" + what + "); the video may or may not exist. It was not sent again (-NoRetryAfterSend).", ex);

        private static RowFailure StoppedInFlight(VideoRow row) => RowBuilder.Fail(row, ErrorIds.OutcomeUnknown, FailureCategory.InvalidResult,
            ": the run was stopped while its request was with the service; the video may or may not exist.");

        /// <summary>The row's error when its request ended without an answer (<paramref name="failure"/>: the one mapping of what failed); its state already says whether it may exist.</summary>
        private static RowFailure TransportFailure(VideoRow row, ApiFailure failure, int attempts)
        {
            var mayExist = RowDelivery.MayExist(row.State);
            var tries = (attempts == 1 ? "1 attempt" : attempts.ToString(CultureInfo.InvariantCulture) + " attempts") +
                (mayExist ? "; the service may have created the video anyway" : string.Empty);
            var rest = failure.ErrorId switch
            {
                ErrorIds.RequestTimedOut => ": no answer from the service within the time limit after " + tries + ".",
                ErrorIds.MalformedAnswer => ": " + failure.Exception.Message + (mayExist ? " The video may or may not exist." : string.Empty),
                _ => ": could not reach the service after " + tries + ": " + TransientFailure.Describe(Outcome.FromException<ApiResponse>(failure.Exception)),
            };
            return RowBuilder.Fail(row, failure.ErrorId, failure.Category, rest, failure.Exception);
        }

        /// <summary>The conservation rule, enforced: a row not ended gets a failure (a defect: UnexpectedError).</summary>
        private static void EnsureEveryRowEnded(BatchOutcome outcome, Exception? unexpected)
        {
            foreach (var row in outcome.Rows)
            {
                if (RowDelivery.IsEnded(row.State)) continue;
                row.Apply(RowEvent.MaybeProcessed); // nothing is known about it
                outcome.Fail(row, RowBuilder.Fail(row, ErrorIds.UnexpectedError, FailureCategory.InvalidOperation,
                    " has no recorded outcome" + (unexpected is null ? string.Empty : " because of an unexpected error: " + unexpected.Message) + "; the video may or may not exist.",
                    unexpected));
            }
        }
    }
}
