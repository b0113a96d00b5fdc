using System;
using System.Collections.Generic;

namespace GanAi.Api
{
    /// <summary>The service answered with an error status, or with a body that is not what it documents.</summary>
    public sealed class GanApiException : Exception
    {
        internal GanApiException(string message, int statusCode, string? detail, IReadOnlyList<ValidationIssue>? issues = null, Exception? inner = null, TimeSpan? retryAfter = null)
            : base(message, inner)
        {
            StatusCode = statusCode;
            Detail = detail;
            ValidationIssues = issues ?? Array.Empty<ValidationIssue>();
            RetryAfter = retryAfter;
        }

        /// <summary>How long the service asked to wait before the next request (its Retry-After), when it said.</summary>
        public TimeSpan? RetryAfter { get; }

        /// <summary>The HTTP status code (0 when the answer was not readable at all).</summary>
        public int StatusCode { get; }

        /// <summary>The service's own text (FastAPI's <c>detail</c>), when it gave one.</summary>
        public string? Detail { get; }

        /// <summary>For a 422: the service's validation issues, each with its location.</summary>
        public IReadOnlyList<ValidationIssue> ValidationIssues { get; }
    }

}
