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
        private int _batchNumber;
        private volatile bool _tokenRefused;
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
        }

        /// <summary>Starts sending a batch in the background; its outcome arrives through <see cref="Take"/>.</summary>
        public void Submit(IReadOnlyList<VideoRow> rows)
        {
            var number = ++_batchNumber;
            Task.Run(() => RunAsync(number, rows));
        }

        /// <summary>The next event if one is ready.</summary>
        public bool TryTake(out RunnerEvent? item) => _events.TryTake(out item);

        /// <summary>Waits for the next event; throws OperationCanceledException when the run is stopped.</summary>
        public RunnerEvent Take() => _events.Take(_cancellation);

        public void Dispose() => _events.Dispose();

        private async Task RunAsync(int number, IReadOnlyList<VideoRow> rows)
        {
            var outcome = new BatchOutcome(number, rows);
            Exception? unexpected = null;
            try
            {
                await SendAsync(outcome, rows, depth: 0, earlierAmbiguous: false).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (_cancellation.IsCancellationRequested)
            {
                return; // the pipeline is stopping: nobody can write this batch's outcome any more
            }
            catch (Exception ex)
            {
                unexpected = ex;
            }
            EnsureEveryRowAccounted(outcome, unexpected);
            try
            {
                // Recorded here, as soon as the batch is done: a killed run loses only what was in flight.
                _journal?.Record(_projectId, outcome);
            }
            catch (Exception ex) when (ex is IOException || ex is ObjectDisposedException || ex is UnauthorizedAccessException)
            {
                Post(new RunnerMessage(true, $"Batch {number}: its results could not be written to the journal: {ex.Message}"));
            }
            Post(outcome);
        }

        private async Task SendAsync(BatchOutcome outcome, IReadOnlyList<VideoRow> rows, int depth, bool earlierAmbiguous)
        {
            if (rows.Count == 0) return;
            if (_tokenRefused)
            {
                outcome.TokenRefused ??= new GanApiException("The service refused the token.", 401, null);
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
            ApiResponse response;
            try
            {
                response = await _pipeline.ExecuteAsync(
                    log,
                    async token =>
                    {
                        var answer = await _client.SendPacedAsync(HttpMethod.Post, _path, body, _pipeline.AttemptTimeout, log, token).ConfigureAwait(false);
                        if (answer.Status == 429) outcome.RateLimited = true;
                        return answer;
                    },
                    _cancellation).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (_cancellation.IsCancellationRequested)
            {
                throw;
            }
            catch (Exception ex) when (ex is TimeoutRejectedException || ex is HttpRequestException || ex is System.IO.IOException || ex is GanApiException)
            {
                outcome.Requests += log.FailedAttempts + 1;
                log.RecordFinal(Outcome.FromException<ApiResponse>(ex));
                if (log.LastAttemptAmbiguous && !_retryAfterSend)
                    outcome.FailAll(rows, row => OutcomeUnknown(row, TransientFailure.Describe(Outcome.FromException<ApiResponse>(ex)), ex));
                else
                    outcome.FailAll(rows, row => TransportFailure(row, ex, log.FailedAttempts + 1, log.Ambiguous));
                return;
            }
            outcome.Requests += log.FailedAttempts + 1;
            log.RecordFinal(Outcome.FromResult(response));
            if (log.LastAttemptAmbiguous && !_retryAfterSend)
            {
                outcome.FailAll(rows, row => OutcomeUnknown(row, response.StatusText, null));
                return;
            }

            // Results of this request, or of parts sent again after a 413/422, may be duplicates when
            // any earlier attempt for these rows may have been processed.
            var ambiguous = earlierAmbiguous || log.Ambiguous;
            if (response.IsSuccess)
            {
                MatchResults(outcome, rows, response, ambiguous);
                return;
            }

            switch (response.Status)
            {
                case 401:
                case 403:
                    _tokenRefused = true;
                    outcome.TokenRefused ??= ErrorBodyReader.ToException(response, "The service refused the token");
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
                        await SendHalvesAsync(outcome, rows, depth, ambiguous).ConfigureAwait(false);
                    }
                    else
                    {
                        outcome.Fail(rows[0], RowBuilder.Fail(rows[0], ErrorIds.RowTooLarge, FailureCategory.LimitsExceeded,
                            " is too large for the service on its own (413); shorten its values."));
                    }
                    return;
                case 422:
                    await HandleValidationErrorAsync(outcome, rows, response, depth, ambiguous).ConfigureAwait(false);
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

        /// <summary>Sends the first half, then the second (a 413, or a 422 that names no row).</summary>
        private async Task SendHalvesAsync(BatchOutcome outcome, IReadOnlyList<VideoRow> rows, int depth, bool ambiguous)
        {
            var half = rows.Count / 2;
            await SendAsync(outcome, rows.Take(half).ToList(), depth + 1, ambiguous).ConfigureAwait(false);
            await SendAsync(outcome, rows.Skip(half).ToList(), depth + 1, ambiguous).ConfigureAwait(false);
        }

        /// <summary>
        /// A 422 names the bad items by <c>loc</c> ["body", i, ...]: those rows fail with the service's
        /// words, the others are sent again (nothing was created). Where no item is named, bisect.
        /// </summary>
        private async Task HandleValidationErrorAsync(BatchOutcome outcome, IReadOnlyList<VideoRow> rows, ApiResponse response, int depth, bool ambiguous)
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
                    await SendHalvesAsync(outcome, rows, depth, ambiguous).ConfigureAwait(false);
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
                await SendAsync(outcome, valid, depth + 1, ambiguous).ConfigureAwait(false);
            }
        }

        private void MatchResults(BatchOutcome outcome, IReadOnlyList<VideoRow> rows, ApiResponse response, bool possibleDuplicate)
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
                    outcome.Results.Add(new VideoResult(row.UniqueId, item.ProjectId ?? _projectId, item.InferenceId, item.VideoUrl, item.AudioUrl,
                        item.ThumbnailUrl, item.SmartUrl, item.Permalink, possibleDuplicate, row.Number, row.Tags));
                }
                else
                {
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

        private static RowFailure MalformedAnswer(VideoRow row, string what, Exception? ex) => RowBuilder.Fail(row, ErrorIds.MalformedAnswer, FailureCategory.ProtocolError,
            ": the service's answer " + what + "; the video may or may not exist.", ex);

        private static RowFailure OutcomeUnknown(VideoRow row, string what, Exception? ex) => RowBuilder.Fail(row, ErrorIds.OutcomeUnknown, FailureCategory.InvalidResult,
            ": its request was sent and then failed (" + what + "); the video may or may not exist. It was not sent again (-NoRetryAfterSend).", ex);

        private static RowFailure TransportFailure(VideoRow row, Exception ex, int attempts, bool mayExist)
        {
            var tries = (attempts == 1 ? "1 attempt" : attempts.ToString(CultureInfo.InvariantCulture) + " attempts") +
                (mayExist ? "; the service may have created the video anyway" : string.Empty);
            return ex switch
            {
                TimeoutRejectedException => RowBuilder.Fail(row, ErrorIds.RequestTimedOut, FailureCategory.OperationTimeout,
                    ": no answer from the service within the time limit after " + tries + ".", ex),
                GanApiException api => RowBuilder.Fail(row, ErrorIds.MalformedAnswer, FailureCategory.ProtocolError, ": " + api.Message, ex),
                _ => RowBuilder.Fail(row, ErrorIds.ConnectionFailed, FailureCategory.ConnectionError,
                    ": could not reach the service after " + tries + ": " + TransientFailure.Describe(Outcome.FromException<ApiResponse>(ex)), ex),
            };
        }

        /// <summary>The conservation rule, enforced: a row with neither a result nor a failure gets a failure.</summary>
        private static void EnsureEveryRowAccounted(BatchOutcome outcome, Exception? unexpected)
        {
            if (outcome.TokenRefused != null) return;
            if (outcome.Results.Count + outcome.Failures.Count == outcome.Rows.Count) return;
            var done = new HashSet<string>(outcome.Results.Select(r => r.UniqueId), StringComparer.Ordinal);
            foreach (var failure in outcome.Failures) done.Add(failure.Key.UniqueId);
            foreach (var row in outcome.Rows)
            {
                if (!done.Contains(row.UniqueId))
                {
                    outcome.Fail(row, RowBuilder.Fail(row, ErrorIds.UnexpectedError, FailureCategory.InvalidOperation,
                        " has no recorded outcome" + (unexpected is null ? string.Empty : " because of an unexpected error: " + unexpected.Message) + "; the video may or may not exist.",
                        unexpected));
                }
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
