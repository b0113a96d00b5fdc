using System;
using System.Net;
using System.Net.Http;
using System.Threading;
using System.Threading.Tasks;
using GanAi.Batching;

namespace GanAi.Api
{
    /// <summary>
    /// The HTTP stacks of the module: one for API calls, one for media downloads. Neither follows a
    /// redirect on its own (a 3xx would carry the token; media redirects follow the module's policy)
    /// nor keeps cookies.
    /// </summary>
    internal static class HttpHandlers
    {
        /// <summary>
        /// How long a new connection may take (TCP and TLS), whatever -TimeoutSec says: a host that
        /// drops packets (a firewall) is then told from a slow service in seconds, and the attempt is
        /// provably not sent. Only the net8.0 build has it (SocketsHttpHandler); on .NET Framework
        /// (Windows PowerShell 5.1) HttpWebRequest has no separate connect timeout, and a connect that
        /// hangs waits out the attempt's time limit.
        /// </summary>
        public static readonly TimeSpan ConnectTimeout = TimeSpan.FromSeconds(5);

        /// <summary>For the API: compressed answers accepted.</summary>
        public static HttpMessageHandler ForApi() => Create(DecompressionMethods.GZip | DecompressionMethods.Deflate);

        /// <summary>For media: the bytes as they are stored (a Content-Length is the file's length).</summary>
        public static HttpMessageHandler ForMedia() => Create(DecompressionMethods.None);

        private static HttpMessageHandler Create(DecompressionMethods decompression)
        {
#if NET8_0_OR_GREATER
            return new SocketsHttpHandler
            {
                AllowAutoRedirect = false,
                UseCookies = false,
                AutomaticDecompression = decompression,
                ConnectTimeout = ConnectTimeout,
            };
#else
            var handler = new HttpClientHandler
            {
                AllowAutoRedirect = false,
                UseCookies = false,
                AutomaticDecompression = decompression,
            };
            try
            {
                handler.MaxConnectionsPerServer = VideoBatchOptions.MaxThrottleLimit; // .NET Framework 4.7.1+: each request's own ServicePoint
            }
            catch (PlatformNotSupportedException)
            {
                // A runtime without it (Mono): the ServicePoint tuning below sets the same limit.
            }
            return new ServicePointTuning(handler);
#endif
        }

#if !NET8_0_OR_GREATER
        /// <summary>
        /// On .NET Framework (Windows PowerShell 5.1) HttpClient runs on HttpWebRequest and a
        /// <see cref="ServicePoint"/> per host (or per proxy), whose defaults would undo the module's
        /// concurrency and latency: at most 2 connections (a -ThrottleLimit of 16 would quietly run 2
        /// requests at a time), Nagle's algorithm (a small body written after its headers can wait for
        /// the server's delayed ACK, about 200 ms a request) and "Expect: 100-continue" (a round trip
        /// before each body). netstandard2.0 has no per-handler setting for them, and .NET Framework
        /// drops a ServicePoint left idle for 100 s and makes a new one with the defaults, so the one
        /// each request will use (the target's, or the proxy's when the system proxy takes it) is
        /// tuned just before that request. The process-wide defaults are left alone. On .NET
        /// (PowerShell 7 loads the net8.0 build) none of this exists.
        /// </summary>
        internal sealed class ServicePointTuning : DelegatingHandler
        {
            public ServicePointTuning(HttpMessageHandler inner)
                : base(inner)
            {
            }

            /// <summary>The system proxy, as HttpClientHandler uses it (its Proxy is left unset); a test may set its own.</summary>
            internal static Func<IWebProxy?> SystemProxy { get; set; } = () => WebRequest.DefaultWebProxy;

            protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
            {
                if (request.RequestUri is { IsAbsoluteUri: true } uri) Tune(ServicePointManager.FindServicePoint(uri, SystemProxy()));
                return base.SendAsync(request, cancellationToken);
            }

            internal static void Tune(ServicePoint point)
            {
                if (point.ConnectionLimit < VideoBatchOptions.MaxThrottleLimit) point.ConnectionLimit = VideoBatchOptions.MaxThrottleLimit;
                if (point.UseNagleAlgorithm) point.UseNagleAlgorithm = false;
                if (point.Expect100Continue) point.Expect100Continue = false;
            }
        }
#endif
    }
}
