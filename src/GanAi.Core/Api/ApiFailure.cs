using System;
using System.Globalization;
using System.Net.Http;
using System.Text.Json;
using GanAi.Batching;
using GanAi.Resilience;
using Polly;
using Polly.CircuitBreaker;
using Polly.Timeout;

namespace GanAi.Api
{
    /// <summary>
    /// The one mapping from what went wrong with a request (an error status, read into a
    /// <see cref="GanApiException"/>, or the exception of a transport failure) to an ErrorId, a
    /// category and a message. Single API calls report it as it is; New-GanVideoBatch gives each row
    /// of the request the same ErrorId, and ends the run on those that end runs (<see cref="EndsRun"/>).
    /// </summary>
    public sealed class ApiFailure
    {
        private ApiFailure(string errorId, string message, Exception exception)
            : this(errorId, Failures.CategoryOf(errorId), message, exception)
        {
        }

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
        public bool IsTokenRefused => ErrorId == ErrorIds.TokenRefused;

        /// <summary>Nothing more of any command can be sent (<see cref="ErrorIds.EndsAnyCommand"/>).</summary>
        public bool EndsRun => ErrorIds.EndsAnyCommand(ErrorId);

        /// <summary>404 from the service.</summary>
        public bool IsNotFound => Exception is GanApiException api && api.StatusCode == 404;

        /// <summary>The request never connected (refused, name not found, connect timeout): the service is not there.</summary>
        public bool IsConnectFailure => ErrorId == ErrorIds.ConnectionFailed && TransientFailure.IsConnectFailure(Exception);

        /// <summary>
        /// Null for exceptions that are not API failures (defects, and a cancellation that is not the
        /// breaker's): let those pass. <paramref name="reachability"/>: the run's breaker, whose opening
        /// ends waits with a cancellation. <paramref name="maxRetryAfter"/>: the longest Retry-After honoured.
        /// </summary>
        public static ApiFailure? From(Exception exception, string notFoundErrorId = ErrorIds.ServiceError, ServiceReachability? reachability = null, TimeSpan? maxRetryAfter = null)
        {
            var attempts = 0;
            if (exception is AttemptsFailedException failed)
            {
                attempts = failed.Attempts;
                exception = failed.InnerException!;
            }
            var after = attempts == 0 ? "after the retries" : attempts == 1 ? "after 1 attempt" : "after " + attempts.ToString(CultureInfo.InvariantCulture) + " attempts";
            switch (exception)
            {
                case BrokenCircuitException broken:
                    return new ApiFailure(ErrorIds.ServiceUnreachable, "The service could not be reached: " + broken.Message.TrimEnd('.') + ". Nothing more is sent.", exception);
                case OperationCanceledException _ when reachability?.IsOpen == true:
                    return new ApiFailure(ErrorIds.ServiceUnreachable, "The service could not be reached: " + reachability.Reason + ". Nothing more is sent.", exception);
                case GanApiException api when api.RetryAfter > (maxRetryAfter ?? RateGate.MaxPause):
                    return new ApiFailure(ErrorIds.RateLimited, AskedToWait(api.RetryAfter!.Value, api.Message), api);
                case GanApiException api when api.StatusCode == 401 || api.StatusCode == 403:
                    return new ApiFailure(ErrorIds.TokenRefused, "The service refused the token (" + api.StatusCode.ToString(CultureInfo.InvariantCulture) + (api.Detail is { Length: > 0 } detail ? ": " + detail : string.Empty) + ").", api);
                case GanApiException api when api.StatusCode == 404:
                    return new ApiFailure(notFoundErrorId, api.Message, api);
                case GanApiException api when api.StatusCode == 0 || api.StatusCode / 100 == 2:
                    return new ApiFailure(ErrorIds.MalformedAnswer, api.Message, api);
                case GanApiException api:
                    return new ApiFailure(ErrorIds.ServiceError,
                        api.StatusCode == 429 ? FailureCategory.LimitsExceeded : api.StatusCode >= 500 ? FailureCategory.ResourceUnavailable : FailureCategory.InvalidOperation,
                        api.Message, api);
                case TimeoutRejectedException timeout:
                    return new ApiFailure(ErrorIds.RequestTimedOut, "No answer from the service within the time limit " + after + ".", timeout);
                case HttpRequestException _:
                case System.IO.IOException _:
                    return new ApiFailure(ErrorIds.ConnectionFailed, "Could not reach the service " + after + ": " + TransientFailure.Describe(Outcome.FromException<ApiResponse>(exception)), exception);
                case JsonException json:
                    return new ApiFailure(ErrorIds.MalformedAnswer, "The service's answer is not the documented JSON: " + json.Message, json);
                default:
                    return null;
            }
        }

        /// <summary>The text of RateLimited: how long the service asked to wait, and that it is more than is waited here.</summary>
        internal static string AskedToWait(TimeSpan retryAfter, string answer) => string.Format(CultureInfo.InvariantCulture,
            "The service asked to wait {0} before the next request ({1}), longer than the {2:0} s this module waits; nothing more is sent. Run the command again {3}.",
            Describe(retryAfter), answer.TrimEnd('.'), RateGate.MaxPause.TotalSeconds,
            retryAfter < TimeSpan.FromDays(3650) ? "after " + DateTimeOffset.Now.Add(retryAfter).ToString("yyyy-MM-dd HH:mm:ss zzz", CultureInfo.InvariantCulture) : "later");

        private static string Describe(TimeSpan wait) => wait == TimeSpan.MaxValue
            ? "longer than can be counted"
            : wait.TotalSeconds.ToString("0", CultureInfo.InvariantCulture) + " s";
    }
}
