using System;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Net;
using System.Net.Http;
using System.Net.Http.Headers;
using System.Security;
using System.Threading;
using System.Threading.Tasks;

namespace GanAi.Api
{
    /// <summary>
    /// One HttpClient per connection (keep-alive, connection reuse), the bearer token from a
    /// SecureString, and answers read whole under a size cap. It sends exactly one request per call:
    /// retries are the resilience pipeline's job (<see cref="Resilience.GanResiliencePipeline"/>).
    /// </summary>
    internal sealed class GanApiClient
    {
        /// <summary>No documented answer comes near this; a larger one is refused unread, not buffered.</summary>
        public const int MaxAnswerBytes = 32 * 1024 * 1024;

        private static readonly MediaTypeHeaderValue JsonContentType = new MediaTypeHeaderValue("application/json") { CharSet = "utf-8" };
        private static readonly ProductInfoHeaderValue UserAgent =
            new ProductInfoHeaderValue("GanAi-PowerShell", typeof(GanApiClient).Assembly.GetName().Version?.ToString(3) ?? "0.0.0");

        private readonly HttpClient _http;
        private readonly SecureString? _token;

        /// <summary>A client for <paramref name="baseUri"/>; <paramref name="token"/> is null for one that only signs in (POST /users/login).</summary>
        public GanApiClient(Uri baseUri, SecureString? token, HttpMessageHandler? handler = null)
        {
            BaseUri = baseUri;
            _token = token is null || token.IsReadOnly() ? token : MakeReadOnlyCopy(token);
            _http = new HttpClient(handler ?? HttpHandlers.ForApi(), disposeHandler: true)
            {
                // Per-attempt and total time limits belong to the resilience pipeline.
                Timeout = System.Threading.Timeout.InfiniteTimeSpan,
            };
        }

        public Uri BaseUri { get; }

        /// <summary>Shared by every request on this connection: the pace after a 429.</summary>
        public Resilience.RateGate RateGate { get; } = new Resilience.RateGate();

        /// <summary>
        /// Sends one request and reads the whole answer (status, Retry-After, body).
        /// <paramref name="bodyLeaving"/> is called when the request's body starts to go out on a
        /// connection (<see cref="TrackedContent"/>): until then, the request has not reached the service.
        /// </summary>
        /// <exception cref="ConnectTimeoutException">No connection was made within <see cref="HttpHandlers.ConnectTimeout"/>.</exception>
        public async Task<ApiResponse> SendAsync(HttpMethod method, string relativeUri, ArraySegment<byte>? jsonBody, CancellationToken cancellationToken, Action? bodyLeaving = null)
        {
            using var request = new HttpRequestMessage(method, new Uri(BaseUri, relativeUri));
            var token = _token is null ? null : SecureText.Reveal(_token);
            if (token != null) request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
            request.Headers.UserAgent.Add(UserAgent);
            request.Headers.ExpectContinue = false; // no round trip before the body (.NET Framework would ask for one)
            request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
            if (jsonBody is { } body)
            {
                request.Content = new TrackedContent(body, bodyLeaving);
                request.Content.Headers.ContentType = JsonContentType;
            }

            try
            {
                using var response = await HttpExchange.SendAsync(_http, request, cancellationToken).ConfigureAwait(false);
                byte[] bytes;
                try
                {
                    bytes = await ReadCappedAsync(response, cancellationToken).ConfigureAwait(false);
                }
                catch (InvalidDataException ex)
                {
                    // A compressed body that does not decompress came whole: like one too large to
                    // read, its status still says what the service did (a 401 is still refused).
                    throw new GanApiException(string.Format(CultureInfo.InvariantCulture,
                        "The service answered {0} with a compressed body that could not be decoded ({1}); the answer was not read.", (int)response.StatusCode, ex.Message), (int)response.StatusCode, null);
                }
                var reason = response.ReasonPhrase;
                if (token != null)
                {
                    // The service's own text (its reason phrase, an error's detail, a 200's fields) never
                    // carries the token on: it goes to messages, results and the journal. Every answer is
                    // redacted alike; one without the token is checked on its raw bytes and kept as it is.
                    var redactor = new TokenRedactor(token);
                    if (reason != null) reason = redactor.Redact(reason);
                    bytes = redactor.RedactBody(bytes);
                }
                return new ApiResponse(response.StatusCode, reason, ReadRetryAfter(response), bytes);
            }
            catch (Exception ex) when (token != null && !(ex is OperationCanceledException) && new TokenRedactor(token).WithoutToken(ex) is var clean && !ReferenceEquals(clean, ex))
            {
                throw clean; // a transport failure that quotes the service's bytes, the token among them
            }
        }

        /// <summary>
        /// The whole body under the cap. With a Content-Length (the usual answer) it is read straight
        /// into one array of that size: no growing buffer and no copy (a bulk answer is ~50 KB).
        /// </summary>
        private static Task<byte[]> ReadCappedAsync(HttpResponseMessage response, CancellationToken cancellationToken)
        {
            if (response.Content is null) return Task.FromResult(Array.Empty<byte>());
            var declared = response.Content.Headers.ContentLength;
            if (declared > MaxAnswerBytes) throw TooLarge((int)response.StatusCode);
            var status = (int)response.StatusCode;
            return HttpExchange.ReadBodyAsync(response, stream => ReadCappedAsync(stream, declared, status, cancellationToken), cancellationToken);
        }

        private static async Task<byte[]> ReadCappedAsync(Stream stream, long? declared, int status, CancellationToken cancellationToken)
        {
            if (declared is { } length)
            {
                var body = new byte[length];
                var filled = 0;
                while (filled < body.Length)
                {
                    var read = await stream.ReadAsync(body, filled, body.Length - filled, cancellationToken).ConfigureAwait(false);
                    if (read == 0) throw new IOException($"The connection closed after {filled} of the answer's {length} bytes.");
                    filled += read;
                }
                // A body longer than it declared is a broken answer; HttpClient itself refuses it while reading.
                return body;
            }

            using var buffer = new MemoryStream();
            var chunk = new byte[16 * 1024];
            int count;
            while ((count = await stream.ReadAsync(chunk, 0, chunk.Length, cancellationToken).ConfigureAwait(false)) > 0)
            {
                if (buffer.Length + count > MaxAnswerBytes) throw TooLarge(status);
                buffer.Write(chunk, 0, count);
            }
            return buffer.ToArray();
        }

        private static GanApiException TooLarge(int status) => new GanApiException(
            string.Format(CultureInfo.InvariantCulture, "The service answered {0} with more than {1} MiB; the answer was not read.", status, MaxAnswerBytes / (1024 * 1024)),
            status, null);

        /// <summary>
        /// Retry-After as a wait from now: seconds, or an HTTP date. A value that cannot be read, is
        /// negative or lies in the past counts as absent (null). A number of seconds too large to
        /// read is taken as the longest wait (<see cref="TimeSpan.MaxValue"/>), so it is over any cap,
        /// not absent. Callers cap what they honour (<see cref="Resilience.ResilienceSettings.MaxDelay"/>).
        /// </summary>
        internal static TimeSpan? ReadRetryAfter(HttpResponseMessage response)
        {
            var header = response.Headers.RetryAfter;
            if (header?.Delta is { } delta) return delta;
            if (header?.Date is { } date)
            {
                var wait = date - DateTimeOffset.UtcNow;
                return wait > TimeSpan.Zero ? wait : (TimeSpan?)null;
            }
            if (response.Headers.TryGetValues("Retry-After", out var raw))
            {
                foreach (var value in raw)
                {
                    var text = value.Trim();
                    if (text.Length > 0 && text.All(c => c >= '0' && c <= '9')) return TimeSpan.MaxValue;
                }
            }
            return null;
        }

        private static SecureString MakeReadOnlyCopy(SecureString token)
        {
            var copy = token.Copy();
            copy.MakeReadOnly();
            return copy;
        }
    }
}
