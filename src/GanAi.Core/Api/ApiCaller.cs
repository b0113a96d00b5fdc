using System;
using System.Net.Http;
using System.Threading;
using System.Threading.Tasks;
using GanAi.Resilience;

namespace GanAi.Api
{
    /// <summary>
    /// One resilient API call (the projects list, a video status, signing in, a webhook) through the
    /// resilience pipeline (pacing, retries, the run's breaker when given), with an error status
    /// turned into a <see cref="GanApiException"/>. The bulk endpoint has its own caller
    /// (<see cref="Batching.BatchSender"/>), which also splits batches and maps answers to rows.
    /// </summary>
    internal sealed class ApiCaller
    {
        private readonly GanApiClient _client;
        private readonly GanResiliencePipeline _pipeline;
        private readonly Action<string>? _verbose;

        public ApiCaller(GanApiClient client, ResilienceSettings settings, Action<string>? verbose = null, ServiceReachability? reachability = null)
        {
            _client = client;
            _pipeline = new GanResiliencePipeline(settings, reachability);
            _verbose = verbose;
        }

        public GanApiClient Client => _client;

        /// <summary>
        /// Sends the request (with retries); returns a 2xx answer, or throws what failed (a
        /// <see cref="GanApiException"/> for an error status). <c>beforeEachAttempt</c>, when given, is
        /// awaited before each attempt is sent, retries included (Wait-GanVideo's ceiling on reads).
        /// </summary>
        public async Task<ApiResponse> SendAsync(HttpMethod method, string path, ArraySegment<byte>? body, string what, CancellationToken cancellationToken,
            Func<Task>? beforeEachAttempt = null)
        {
            var log = new AttemptLog(what, _verbose) { BeforeEachAttempt = beforeEachAttempt };
            var outcome = await _pipeline.SendAsync(_client, method, path, () => body, log, cancellationToken, cancellationToken).ConfigureAwait(false);
            // A transport failure says how many attempts it took, as New-GanVideoBatch's row errors do.
            if (outcome.Exception is { } failure && TransientFailure.IsTransient(outcome)) throw new AttemptsFailedException(log.FailedAttempts + 1, failure);
            outcome.ThrowIfException();
            var response = outcome.Result!;
            if (!response.IsSuccess) throw ErrorBodyReader.ToException(response, what);
            return response;
        }

        public Task<ApiResponse> GetAsync(string path, string what, CancellationToken cancellationToken, Func<Task>? beforeEachAttempt = null) =>
            SendAsync(HttpMethod.Get, path, null, what, cancellationToken, beforeEachAttempt);
    }

}
