using System;
using System.IO;
using System.Net.Http;
using System.Threading;
using System.Threading.Tasks;

namespace GanAi.Api
{
    /// <summary>
    /// One request and its answer under an attempt's time limit, the same for API calls and media
    /// downloads: the headers (a connect that timed out told apart from a cancellation of ours), then
    /// the body, whose reading ends when the limit does on every runtime.
    /// </summary>
    internal static class HttpExchange
    {
        /// <summary>Sends <paramref name="request"/> and returns once the answer's headers are in.</summary>
        /// <exception cref="ConnectTimeoutException">No connection was made within <see cref="HttpHandlers.ConnectTimeout"/>.</exception>
        public static async Task<HttpResponseMessage> SendAsync(HttpClient http, HttpRequestMessage request, CancellationToken cancellationToken)
        {
            try
            {
                return await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException ex) when (!cancellationToken.IsCancellationRequested && ex.InnerException is TimeoutException)
            {
                throw new ConnectTimeoutException(ex); // SocketsHttpHandler's ConnectTimeout, not a cancellation of ours
            }
        }

        /// <summary>
        /// Runs <paramref name="read"/> over the answer's body. When <paramref name="cancellationToken"/>
        /// fires, the answer is disposed, which ends a read in progress: on .NET Framework the body's
        /// stream checks the token only when a read starts, so a body that stalls after its headers
        /// would otherwise hold the attempt for HttpWebRequest's ReadWriteTimeout (5 minutes). What
        /// the disposal makes the read throw is reported as the cancellation it is.
        /// </summary>
        public static async Task<T> ReadBodyAsync<T>(HttpResponseMessage response, Func<Stream, Task<T>> read, CancellationToken cancellationToken)
        {
            using (cancellationToken.Register(state => ((HttpResponseMessage)state!).Dispose(), response))
            {
                try
                {
                    cancellationToken.ThrowIfCancellationRequested();
                    using var stream = await response.Content.ReadAsStreamAsync().ConfigureAwait(false);
                    return await read(stream).ConfigureAwait(false);
                }
                catch (Exception ex) when (cancellationToken.IsCancellationRequested && !(ex is OperationCanceledException))
                {
                    throw new OperationCanceledException("The answer's body did not arrive within the attempt's time limit.", ex, cancellationToken);
                }
            }
        }
    }
}
