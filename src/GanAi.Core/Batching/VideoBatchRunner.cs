using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Net.Http;
using System.Text.Json;
using System.Threading;
using System.Threading.Tasks;
using GanAi.Api;
using GanAi.Resilience;
using Polly;
using Polly.Timeout;

namespace GanAi.Batching
{
    /// <summary>
    /// Sends batches of rows to POST /create_video/bulk off the pipeline thread and hands each
    /// finished batch back through a queue that the pipeline thread drains. It never calls into
    /// PowerShell. The caller bounds the number of batches in flight (submitted and not yet taken).
    /// </summary>
    /// <remarks>
    /// Per batch: one resilient request (<see cref="GanResiliencePipeline"/>); a 413 splits the batch
    /// in halves; a 422 fails the rows it points at and sends the others again (bisecting when it
    /// points at none); results are matched to rows by unique_id, never by position.
    /// </remarks>
    public sealed class VideoBatchRunner : IDisposable
    {
        private readonly GanApiClient _client;
        private readonly string _projectId;
        private readonly string _path;
        private readonly GanResiliencePipeline _pipeline;
        private readonly CancellationToken _cancellation;
        private readonly bool _retryAfterSend;
        private readonly Journal.RunJournal? _journal;
        private readonly BlockingCollection<RunnerEvent> _events = new BlockingCollection<RunnerEvent>();
        private readonly object _idle = new object();
        private readonly TimeSpan _stopGracePeriod;

        /// <summary>How long a stop waits before it says what it waits for (most stops are over by then).</summary>
        private static readonly TimeSpan QuietStopWait = TimeSpan.FromMilliseconds(250);

        // Two steps of stopping: no new request (at once), then no request in flight (at once without
        // a journal; after the grace period with one). Ctrl+C (the cmdlet's token) starts both steps
        // only when there is no journal to record the answers of requests in flight.
        private readonly CancellationTokenSource _stopSending;
        private readonly CancellationTokenSource _stopRequests;
        private int _batchNumber;
        private int _running;
        private RunEndingFailure? _runEnding; // the first failure that ends the run (token refused, journal not writable)
        private volatile string? _projectMissing;

        public VideoBatchRunner(GanConnection connection, string projectId, BatchRunnerSettings settings, CancellationToken cancellation, Journal.RunJournal? journal = null)
            : this(connection.ClientOf(), projectId, settings, cancellation, journal)
        {
        }

        internal VideoBatchRunner(GanApiClient client, string projectId, BatchRunnerSettings settings, CancellationToken cancellation, Journal.RunJournal? journal = null)
        {
            _journal = journal;
            _client = client;
            _projectId = projectId;
            _path = ApiPaths.BulkCreate(projectId);
            _pipeline = new GanResiliencePipeline(settings.Resilience);
            _retryAfterSend = settings.Resilience.RetryAfterSend;
            _cancellation = cancellation;
            _stopGracePeriod = settings.StopGracePeriod;
            _stopSending = CancellationTokenSource.CreateLinkedTokenSource(cancellation);
            _stopRequests = journal is null ? CancellationTokenSource.CreateLinkedTokenSource(cancellation) : new CancellationTokenSource();
        }

        /// <summary>Starts sending a batch in the background; its outcome arrives through <see cref="Take"/>.</summary>
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

        /// <summary>The next event if one is ready.</summary>
        public bool TryTake(out RunnerEvent? item) => _events.TryTake(out item);

        /// <summary>Waits for the next event; throws OperationCanceledException when the run is stopped.</summary>
        public RunnerEvent Take() => _events.Take(_cancellation);

        public void Dispose()
        {
            _events.Dispose();
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
                else EnsureEveryRowAccounted(outcome, unexpected);
                Record(outcome); // as soon as the batch is done: a killed run loses only what was in flight
                Post(outcome);
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
            outcome.RunEnding ??= failure;
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
                Post(new RunnerMessage(true, $"Batch {outcome.Number}: its outcome could not be written to the journal ({ex.Message}); a resumed run takes its rows as possibly made."));
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

        private async Task SendAsync(BatchOutcome outcome, IReadOnlyList<VideoRow> rows, int depth)
        {
            if (rows.Count == 0) return;
            if (Volatile.Read(ref _runEnding) is { } ended)
            {
                outcome.RunEnding ??= ended;
                return;
            }
            if (_projectMissing is { } missing)
            {
                outcome.FailAll(rows, row => ProjectNotFound(row, missing));
                return;
            }

            var what = string.Format(CultureInfo.InvariantCulture, "Batch {0} ({1} rows{2})", outcome.Number, rows.Count, depth > 0 ? ", part" : string.Empty);
            var body = BulkRequestWriter.Write(rows);
            var log = new AttemptLog(what, text => Post(new RunnerMessage(false, text)));
            log.BeforeFirstSend = () => BeginSending(rows);
            ApiResponse response;
            try
            {
                response = await _pipeline.ExecuteAsync(
                    log,
                    async token =>
                    {
                        var answer = await _client.SendPacedAsync(HttpMethod.Post, _path, body, _pipeline.AttemptTimeout, log, token, _stopRequests.Token).ConfigureAwait(false);
                        if (answer.Status == 429) outcome.RateLimited = true;
                        return answer;
                    },
                    _stopSending.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (_stopSending.IsCancellationRequested)
            {
                MarkIfMayExist(rows, log);
                throw;
            }
            catch (JournalNotWritten ex)
            {
                // Nothing went out: a request the journal cannot record first is not sent at all.
                EndRun(outcome, new RunEndingFailure(ErrorIds.JournalUnavailable, ex));
                return;
            }
            catch (Exception ex) when (ex is TimeoutRejectedException || ex is HttpRequestException || ex is System.IO.IOException || ex is GanApiException)
            {
                var final = Outcome.FromException<ApiResponse>(ex);
                outcome.Requests += log.FailedAttempts + 1;
                log.RecordFinal(final);
                MarkIfMayExist(rows, log);
                ThrowIfStoppedBeforeRetry(outcome, rows, final);
                if (log.LastAttemptAmbiguous && !_retryAfterSend)
                {
                    var cause = TransientFailure.Describe(final);
                    foreach (var row in rows) outcome.Abandon(row, OutcomeUnknown(row, cause, ex));
                }
                else
                {
                    outcome.FailAll(rows, row => TransportFailure(row, ex, log.FailedAttempts + 1));
                }
                return;
            }
            outcome.Requests += log.FailedAttempts + 1;
            log.RecordFinal(Outcome.FromResult(response));
            MarkIfMayExist(rows, log);
            ThrowIfStoppedBeforeRetry(outcome, rows, Outcome.FromResult(response));
            if (log.LastAttemptAmbiguous && !_retryAfterSend)
            {
                foreach (var row in rows) outcome.Abandon(row, OutcomeUnknown(row, response.StatusText, null));
                return;
            }

            // Results of this request, or of parts sent again after a 413/422, may be duplicates when
            // any earlier attempt for these rows may have been processed: their state says so.
            if (response.IsSuccess)
            {
                MatchResults(outcome, rows, response);
                return;
            }

            switch (response.Status)
            {
                case 401:
                case 403:
                    EndRun(outcome, new RunEndingFailure(ErrorIds.TokenRefused, ErrorBodyReader.ToException(response, "The service refused the token")));
                    return;
                case 404:
                    var notFound = ErrorBodyReader.ToException(response, $"Project '{_projectId}'");
                    _projectMissing = notFound.Message;
                    outcome.FailAll(rows, row => ProjectNotFound(row, notFound.Message));
                    return;
                case 413:
                    if (rows.Count > 1)
                    {
                        Post(new RunnerMessage(false, $"{what}: the service answered 413 (too large); sending it in two halves."));
                        await SendHalvesAsync(outcome, rows, depth).ConfigureAwait(false);
                    }
                    else
                    {
                        outcome.Fail(rows[0], RowBuilder.Fail(rows[0], ErrorIds.RowTooLarge, FailureCategory.LimitsExceeded,
                            " is too large for the service on its own (413); shorten its values."));
                    }
                    return;
                case 422:
                    await HandleValidationErrorAsync(outcome, rows, response, depth).ConfigureAwait(false);
                    return;
                case 402:
                    var credits = ErrorBodyReader.ToException(response, $"Project '{_projectId}'");
                    outcome.FailAll(rows, row => RowBuilder.Fail(row, ErrorIds.InsufficientCredits, FailureCategory.QuotaExceeded,
                        " was not rendered: " + credits.Message));
                    return;
                default:
                    var error = ErrorBodyReader.ToException(response, what);
                    var attempts = log.FailedAttempts + 1;
                    var mayExist = log.Ambiguous ? "; the service may have created the video anyway" : string.Empty;
                    var category = response.Status == 429 ? FailureCategory.LimitsExceeded : response.Status >= 500 ? FailureCategory.ResourceUnavailable : FailureCategory.InvalidOperation;
                    var tail = attempts > 1 ? string.Format(CultureInfo.InvariantCulture, " (after {0} attempts{1})", attempts, mayExist) : mayExist;
                    outcome.FailAll(rows, row => RowBuilder.Fail(row, ErrorIds.ServiceError, category, " was not rendered: " + error.Message + tail, error));
                    return;
            }
        }

        /// <summary>
        /// Rows whose request may have been processed by an attempt that failed. The state stays with
        /// the row through splits and resends: its result is flagged PossibleDuplicate, a stop ends it
        /// as unknown, and should it end in an error a journal records it as may_exist.
        /// </summary>
        private static void MarkIfMayExist(IReadOnlyList<VideoRow> rows, AttemptLog log)
        {
            if (!log.MayHaveBeenProcessed) return;
            foreach (var row in rows) row.Apply(RowEvent.MaybeProcessed);
        }

        /// <summary>
        /// A transient failure that answered after the run began to stop is not the batch's last word:
        /// Polly returns it instead of retrying because of the stop. The batch ends as stopped.
        /// </summary>
        private void ThrowIfStoppedBeforeRetry(BatchOutcome outcome, IReadOnlyList<VideoRow> rows, Outcome<ApiResponse> final)
        {
            if (!_stopSending.IsCancellationRequested || !TransientFailure.IsTransient(final)) return;
            throw new OperationCanceledException(_stopSending.Token);
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
                Post(new RunnerMessage(false, string.Format(CultureInfo.InvariantCulture,
                    "Batch {0}: the service refused {1} row(s) (422); sending the other {2} again.", outcome.Number, byIndex.Count, valid.Count)));
                await SendAsync(outcome, valid, depth + 1).ConfigureAwait(false);
            }
        }

        private void MatchResults(BatchOutcome outcome, IReadOnlyList<VideoRow> rows, ApiResponse response)
        {
            List<BulkVideoItemDto>? items;
            try
            {
                items = JsonSerializer.Deserialize(response.Body, GanJsonContext.Strict.ListBulkVideoItemDto);
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

            // Match by unique_id: the order of the answer is not promised.
            var byId = new Dictionary<string, BulkVideoItemDto>(items.Count, StringComparer.Ordinal);
            foreach (var item in items)
            {
                if (item?.UniqueId is { } id && !byId.ContainsKey(id)) byId.Add(id, item);
            }

            var matched = 0;
            foreach (var row in rows)
            {
                if (byId.TryGetValue(row.UniqueId, out var item))
                {
                    matched++;
                    outcome.Succeed(row, possibleDuplicate => new VideoResult(row.UniqueId, item.ProjectId ?? _projectId, item.InferenceId, item.VideoUrl, item.AudioUrl,
                        item.ThumbnailUrl, item.SmartUrl, item.Permalink, possibleDuplicate, row.Number, row.Tags));
                }
                else
                {
                    row.Apply(RowEvent.MaybeProcessed);
                    outcome.Fail(row, RowBuilder.Fail(row, ErrorIds.NoResultReturned, FailureCategory.InvalidResult,
                        " got no result: the service answered 200 but its answer does not mention this unique_id. The video may or may not exist."));
                }
            }
            if (byId.Count > matched)
            {
                Post(new RunnerMessage(true, string.Format(CultureInfo.InvariantCulture,
                    "Batch {0}: the service's answer holds {1} item(s) whose unique_id was not in the batch; they were ignored.", outcome.Number, byId.Count - matched)));
            }
        }

        private static RowFailure ProjectNotFound(VideoRow row, string message) => RowBuilder.Fail(row, ErrorIds.ProjectNotFound, FailureCategory.ObjectNotFound,
            " was not sent: " + message + ". Check -ProjectId (Get-GanProject lists yours).");

        private static RowFailure MalformedAnswer(VideoRow row, string what, Exception? ex)
        {
            row.Apply(RowEvent.MaybeProcessed); // a 200 that cannot be read: the service did process the request
            return RowBuilder.Fail(row, ErrorIds.MalformedAnswer, FailureCategory.ProtocolError, ": the service's answer " + what + "; the video may or may not exist.", ex);
        }

        private static RowFailure OutcomeUnknown(VideoRow row, string what, Exception? ex) => RowBuilder.Fail(row, ErrorIds.OutcomeUnknown, FailureCategory.InvalidResult,
            ": its request was sent and then failed (" + what + "); the video may or may not exist. It was not sent again (-NoRetryAfterSend).", ex);

        private static RowFailure StoppedInFlight(VideoRow row) => RowBuilder.Fail(row, ErrorIds.OutcomeUnknown, FailureCategory.InvalidResult,
            ": the run was stopped while its request was with the service; the video may or may not exist.");

        /// <summary>The row's error when its request ended without a usable answer; its MayExist mark is already set.</summary>
        private static RowFailure TransportFailure(VideoRow row, Exception ex, int attempts)
        {
            var tries = (attempts == 1 ? "1 attempt" : attempts.ToString(CultureInfo.InvariantCulture) + " attempts") +
                (RowDelivery.MayExist(row.State) ? "; the service may have created the video anyway" : string.Empty);
            return ex switch
            {
                TimeoutRejectedException => RowBuilder.Fail(row, ErrorIds.RequestTimedOut, FailureCategory.OperationTimeout,
                    ": no answer from the service within the time limit after " + tries + ".", ex),
                GanApiException api => RowBuilder.Fail(row, ErrorIds.MalformedAnswer, FailureCategory.ProtocolError,
                    ": " + api.Message + (RowDelivery.MayExist(row.State) ? " The video may or may not exist." : string.Empty), ex),
                _ => RowBuilder.Fail(row, ErrorIds.ConnectionFailed, FailureCategory.ConnectionError,
                    ": could not reach the service after " + tries + ": " + TransientFailure.Describe(Outcome.FromException<ApiResponse>(ex)), ex),
            };
        }

        /// <summary>The conservation rule, enforced: a row with neither a result nor a failure gets a failure.</summary>
        private static void EnsureEveryRowAccounted(BatchOutcome outcome, Exception? unexpected)
        {
            if (outcome.RunEnding != null) return;
            foreach (var row in outcome.RowsWithoutOutcome())
            {
                row.Apply(RowEvent.MaybeProcessed); // nothing is known about it
                outcome.Fail(row, RowBuilder.Fail(row, ErrorIds.UnexpectedError, FailureCategory.InvalidOperation,
                    " has no recorded outcome" + (unexpected is null ? string.Empty : " because of an unexpected error: " + unexpected.Message) + "; the video may or may not exist.",
                    unexpected));
            }
        }

        private void Post(RunnerEvent item)
        {
            try
            {
                _events.Add(item);
            }
            catch (ObjectDisposedException)
            {
                // The cmdlet already ended (stopped); nothing can be written any more.
            }
            catch (InvalidOperationException)
            {
            }
        }
    }
}
