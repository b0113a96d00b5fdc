using System;
using System.Net.Http;
using System.Net.Sockets;
using GanAi.Api;
using Polly;
using Polly.Timeout;

namespace GanAi.Resilience
{
    /// <summary>Which failures are worth another attempt, which never connected, and how to say what failed.</summary>
    internal static class TransientFailure
    {
        /// <summary>Worth another attempt (<see cref="OutcomeClassifier.IsRetryableStatus"/> for answers; a failure of the network or the time limit).</summary>
        public static bool IsTransient(Outcome<ApiResponse> outcome) => outcome.Exception switch
        {
            null => outcome.Result is { } r && OutcomeClassifier.IsRetryableStatus(r.Status),
            HttpRequestException => true,     // refused, reset or dropped connections, a connect timeout
            TimeoutRejectedException => true, // the per-attempt time limit
            System.IO.IOException => true,
            _ => false,
        };

        /// <summary>
        /// The attempt never connected: refused, the name not found, the network or host unreachable,
        /// or the connect timed out. Such a request never carried its body. A socket error behind an
        /// IOException happened on a connection that was made (reset, broken pipe): not this.
        /// </summary>
        public static bool IsConnectFailure(Exception exception)
        {
            for (var e = exception; e != null; e = e.InnerException)
            {
                if (e is ConnectTimeoutException) return true;
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
            ConnectTimeoutException timeout => "connection failed (" + timeout.Message + ")",
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
