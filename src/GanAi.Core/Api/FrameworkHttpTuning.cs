using System;
using System.Net;
using System.Runtime.InteropServices;
using GanAi.Batching;

namespace GanAi.Api
{
    /// <summary>
    /// On .NET Framework (Windows PowerShell 5.1) HttpClient runs on HttpWebRequest and its per-host
    /// <see cref="ServicePoint"/>, whose defaults would undo the module's concurrency and latency:
    /// at most 2 connections per host (a -ThrottleLimit of 8 or 32 would quietly run 2 requests at a
    /// time), Nagle's algorithm (a small body written after its headers can wait for the server's
    /// delayed ACK, about 200 ms a request on Windows), and "Expect: 100-continue" on POST (a round
    /// trip before each body). They are changed for the hosts the module calls only, before the first
    /// request; the process-wide defaults are left alone. .NET (PowerShell 7) has none of these
    /// limits: there this does nothing.
    /// </summary>
    /// <remarks>Not exercised by the tests, which run on PowerShell 7 (docs/installing.md, "What was tested").</remarks>
    internal static class FrameworkHttpTuning
    {
        // ModuleInitializer makes the same check for itself: it runs before GanAi.Core can be loaded on 5.1.
        private static readonly bool OnNetFramework =
            RuntimeInformation.FrameworkDescription.StartsWith(".NET Framework", StringComparison.Ordinal);

        /// <summary>Tunes the connection settings of <paramref name="uri"/>'s host (scheme, host and port).</summary>
        public static void ForHost(Uri uri)
        {
#if !NET8_0_OR_GREATER
            if (!OnNetFramework || !uri.IsAbsoluteUri) return;
            var point = ServicePointManager.FindServicePoint(uri);
            if (point.ConnectionLimit < VideoBatchOptions.MaxThrottleLimit) point.ConnectionLimit = VideoBatchOptions.MaxThrottleLimit;
            point.UseNagleAlgorithm = false;
            point.Expect100Continue = false;
#endif
        }
    }
}
