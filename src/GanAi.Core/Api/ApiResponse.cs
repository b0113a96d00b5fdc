using System;
using System.Net;

namespace GanAi.Api
{
    /// <summary>
    /// A whole HTTP answer, read inside the attempt that got it: a connection dropped mid-body is
    /// then one more transient failure for the resilience pipeline, not a surprise later.
    /// </summary>
    internal sealed class ApiResponse
    {
        public ApiResponse(HttpStatusCode statusCode, string? reasonPhrase, TimeSpan? retryAfter, byte[] body)
        {
            StatusCode = statusCode;
            ReasonPhrase = reasonPhrase;
            RetryAfter = retryAfter;
            Body = body;
        }

        public HttpStatusCode StatusCode { get; }
        public int Status => (int)StatusCode;
        public string? ReasonPhrase { get; }

        /// <summary>The Retry-After header as a delay from now (seconds or an HTTP date), if any.</summary>
        public TimeSpan? RetryAfter { get; }

        public byte[] Body { get; }

        public bool IsSuccess => Status >= 200 && Status <= 299;

        /// <summary>"404 Not Found", for messages.</summary>
        public string StatusText => ReasonPhrase is { Length: > 0 } ? $"{Status} {ReasonPhrase}" : Status.ToString(System.Globalization.CultureInfo.InvariantCulture);
    }
}
