using System;
using System.Net.Http;
using System.Text.Json;
using GanAi.Batching;
using GanAi.Resilience;
using Polly;
using Polly.Timeout;

namespace GanAi.Api
{
    /// <summary>
    /// The ErrorId, category and message for an exception from a single API call (not the bulk
    /// endpoint, whose failures are per row): what cmdlets other than New-GanVideoBatch report.
    /// </summary>
    public sealed class ApiFailure
    {
        private ApiFailure(string errorId, FailureCategory category, string message, Exception exception)
        {
            ErrorId = errorId;
            Category = category;
            Message = message;
            Exception = exception;
        }

        public string ErrorId { get; }
        public FailureCategory Category { get; }
        public string Message { get; }
        public Exception Exception { get; }

        /// <summary>401 or 403: the token is refused; nothing else on this connection can go on.</summary>
        public bool IsTokenRefused => Exception is GanApiException api && (api.StatusCode == 401 || api.StatusCode == 403);

        /// <summary>404 from the service.</summary>
        public bool IsNotFound => Exception is GanApiException api && api.StatusCode == 404;

        /// <summary>Null for exceptions that are not API failures (defects, cancellation): let those pass.</summary>
        public static ApiFailure? From(Exception exception, string notFoundErrorId = ErrorIds.ServiceError)
        {
            switch (exception)
            {
                case GanApiException api when api.StatusCode == 401 || api.StatusCode == 403:
                    return new ApiFailure(ErrorIds.TokenRefused, FailureCategory.AuthenticationError,
                        api.Message + ". Connect again with a valid token (Connect-GanAi).", api);
                case GanApiException api when api.StatusCode == 404:
                    return new ApiFailure(notFoundErrorId, FailureCategory.ObjectNotFound, api.Message, api);
                case GanApiException api when api.StatusCode == 0 || api.StatusCode / 100 == 2:
                    return new ApiFailure(ErrorIds.MalformedAnswer, FailureCategory.ProtocolError, api.Message, api);
                case GanApiException api:
                    return new ApiFailure(ErrorIds.ServiceError,
                        api.StatusCode == 429 ? FailureCategory.LimitsExceeded : api.StatusCode >= 500 ? FailureCategory.ResourceUnavailable : FailureCategory.InvalidOperation,
                        api.Message, api);
                case TimeoutRejectedException timeout:
                    return new ApiFailure(ErrorIds.RequestTimedOut, FailureCategory.OperationTimeout, "No answer from the service within the time limit, after the retries.", timeout);
                case HttpRequestException _:
                case System.IO.IOException _:
                    return new ApiFailure(ErrorIds.ConnectionFailed, FailureCategory.ConnectionError,
                        "Could not reach the service after the retries: " + TransientFailure.Describe(Outcome.FromException<ApiResponse>(exception)), exception);
                case JsonException json:
                    return new ApiFailure(ErrorIds.MalformedAnswer, FailureCategory.ProtocolError, "The service's answer is not the documented JSON: " + json.Message, json);
                default:
                    return null;
            }
        }
    }
}
