using System;
using System.Net.Http;
using System.Net.Sockets;
using GanAi.Api;
using Polly;
using Polly.Timeout;

namespace GanAi.Resilience
{
    /// <summary>Which failures are worth another attempt, and which may have left work done on the service.</summary>
    internal static class TransientFailure
    {
        /// <summary>408, 429, 500, 502, 503, 504. Never 400, 401, 403, 404, 413 or 422: those answers would not change.</summary>
        public static bool IsTransientStatus(int status) =>
            status == 408 || status == 429 || status == 500 || status == 502 || status == 503 || status == 504;

        public static bool IsTransient(Outcome<ApiResponse> outcome) => outcome.Exception switch
        {
            null => outcome.Result is { } r && IsTransientStatus(r.Status),
            HttpRequestException => true,     // refused, reset or dropped connections
            TimeoutRejectedException => true, // the per-attempt time limit
            System.IO.IOException => true,
            _ => false,
        };

        /// <summary>
        /// True when a failed attempt may still have been processed by the service: the body was (or
        /// may have been) sent and no answer said otherwise. Only a 4xx says the request was refused
        /// (429 and 408 are answered before any work); every 5xx may come after the work was done (a
        /// proxy's 520 or 524 as much as a 500), and so may an answer HTTP gives no meaning here (1xx,
        /// 3xx). A refused connection never carried the body.
        /// </summary>
        public static bool MayHaveBeenProcessed(Outcome<ApiResponse> outcome)
        {
            if (outcome.Exception is null)
                return outcome.Result is { } r && !r.IsSuccess && (r.Status < 400 || r.Status >= 500);
            return IsTransient(outcome) && !IsConnectFailure(outcome.Exception);
        }

        /// <summary>
        /// An answer that arrived and was not read (larger than the client reads) still says what the
        /// service did: a 2xx processed the request, a 5xx may have. It is not retried either way.
        /// </summary>
        public static bool IsUnreadAnswerOfWork(Exception exception) =>
            exception is GanApiException { StatusCode: >= 200 and < 300 or >= 500 };

        /// <summary>
        /// The attempt never connected: refused, the name not found, the network or host unreachable,
        /// or the connect timed out. Such a request never carried its body. A socket error behind an
        /// IOException happened on a connection that was made (reset, broken pipe): not this.
        /// </summary>
        public static bool IsConnectFailure(Exception exception)
        {
            for (var e = exception; e != null; e = e.InnerException)
            {
                if (e is System.IO.IOException) return false;
                if (e is SocketException socket)
                {
                    switch (socket.SocketErrorCode)
                    {
                        case SocketError.ConnectionRefused:
                        case SocketError.HostNotFound:
                        case SocketError.TryAgain:
                        case SocketError.NoData:
                        case SocketError.NetworkUnreachable:
                        case SocketError.HostUnreachable:
                        case SocketError.TimedOut:
                            return true;
                        default:
                            return false;
                    }
                }
            }
            return false;
        }

        public static string Describe(Outcome<ApiResponse> outcome) => outcome.Exception switch
        {
            null => outcome.Result?.StatusText ?? "no answer",
            TimeoutRejectedException => "no answer within the time limit",
            HttpRequestException http => "connection failed (" + FirstLine(Innermost(http).Message) + ")",
            var other => FirstLine(other.Message),
        };

        private static Exception Innermost(Exception e)
        {
            while (e.InnerException != null) e = e.InnerException;
            return e;
        }

        private static string FirstLine(string text)
        {
            var end = text.IndexOfAny(new[] { '\r', '\n' });
            return end < 0 ? text : text.Substring(0, end);
        }
    }
}
