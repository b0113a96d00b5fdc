using System;
using System.IO;
using System.Net;
using System.Net.Http;
using System.Threading;
using System.Threading.Tasks;
using GanAi.Api;
using GanAi.Resilience;

namespace GanAi.Downloads
{
    /// <summary>
    /// Downloads the media a video's URLs name (video, thumbnail, audio) to files, through the same
    /// Polly pipeline as every API call. The bearer token is never sent: media URLs point at storage
    /// (S3 links that carry their own signature), not at the API, and the token must not travel
    /// there. Each file is written to a temporary name in the same folder and renamed when complete,
    /// so a killed run never leaves a half file under the final name.
    /// </summary>
    internal sealed class MediaDownloader : IDisposable
    {
        private readonly HttpClient _http;
        private readonly GanResiliencePipeline _pipeline;

        public MediaDownloader(ResilienceSettings settings, HttpMessageHandler? handler = null)
        {
            // Redirects are followed here, one at a time, under this module's policy (FollowRedirect).
            _http = new HttpClient(handler ?? HttpHandlers.ForMedia(), disposeHandler: true)
            {
                Timeout = Timeout.InfiniteTimeSpan,
            };
            _http.DefaultRequestHeaders.UserAgent.ParseAdd("GanAi-PowerShell");
            _pipeline = new GanResiliencePipeline(settings);
        }

        /// <summary>Redirects followed for one file, at most.</summary>
        public const int MaxRedirects = 5;

        /// <summary>https anywhere, http only on loopback (the emulator); anything else (file:, ftp:, UNC) is refused.</summary>
        public static Uri CheckUrl(string url)
        {
            if (!Uri.TryCreate(url, UriKind.Absolute, out var uri) ||
                !(uri.Scheme == Uri.UriSchemeHttps || (uri.Scheme == Uri.UriSchemeHttp && ConnectionAddress.IsLoopback(uri))))
                throw new ArgumentException($"'{url}' is not a media URL this module downloads from (https://, or http:// on loopback).");
            return uri;
        }

        /// <summary>
        /// The redirect policy for media: from https only to https, and plain http only from loopback
        /// to loopback. A redirect to file:, another scheme or plain http elsewhere is refused
        /// (<see cref="MediaRedirectRefusedException"/>), never followed. API calls follow no redirect at all.
        /// </summary>
        public static Uri FollowRedirect(Uri from, Uri? location)
        {
            if (location is null) throw new MediaRedirectRefusedException($"{from} answered a redirect without a Location.");
            var to = location.IsAbsoluteUri ? location : new Uri(from, location);
            var allowed = from.Scheme == Uri.UriSchemeHttps
                ? to.Scheme == Uri.UriSchemeHttps
                : to.Scheme == Uri.UriSchemeHttps || (to.Scheme == Uri.UriSchemeHttp && ConnectionAddress.IsLoopback(from) && ConnectionAddress.IsLoopback(to));
            if (!allowed)
                throw new MediaRedirectRefusedException($"{from} redirected to '{to}', which media downloads do not follow (https to https only; plain http only from loopback to loopback).");
            return to;
        }

        public async Task<DownloadOutcome> DownloadAsync(Uri url, string path, bool force, string what, Action<string>? verbose, CancellationToken cancellationToken)
        {
            if (!force && File.Exists(path)) return DownloadOutcome.Skipped;
            var folder = Path.GetDirectoryName(path)!;
            var temporary = Path.Combine(folder, "." + Path.GetFileName(path) + "." + Guid.NewGuid().ToString("N").Substring(0, 8) + ".partial");
            var log = new AttemptLog(what, verbose);
            try
            {
                var answer = await _pipeline.ExecuteAsync(
                    log,
                    token =>
                    {
                        log.BeginAttempt();
                        log.MarkSending(hasBody: false);
                        return _pipeline.TimeLimit.ExecuteAsync(attemptToken => GetToFileAsync(url, temporary, path, attemptToken), token);
                    },
                    cancellationToken).ConfigureAwait(false);
                if (!answer.IsSuccess)
                    throw new GanApiException($"{what}: the server answered {answer.StatusText}.", answer.Status, null);
                LocalFileException.Guard(() => Publish(temporary, path), path);
                return DownloadOutcome.Downloaded;
            }
            finally
            {
                TryDelete(temporary);
            }
        }

        /// <summary>
        /// One attempt: the body streams to the temporary file; a short body is an IOException (retried).
        /// Writing the file is told apart from reading the body: a failure to write (<paramref name="path"/>
        /// names the file in the error) is a <see cref="LocalFileException"/>, which is not retried.
        /// </summary>
        private async ValueTask<ApiResponse> GetToFileAsync(Uri url, string temporary, string path, CancellationToken cancellationToken)
        {
            HttpResponseMessage response;
            for (var redirects = 0; ; redirects++)
            {
                using (var request = new HttpRequestMessage(HttpMethod.Get, url))
                {
                    response = await HttpExchange.SendAsync(_http, request, cancellationToken).ConfigureAwait(false);
                }
                var status = (int)response.StatusCode;
                if (status < 300 || status > 399 || status == 304) break;
                var location = response.Headers.Location;
                response.Dispose();
                if (redirects == MaxRedirects) throw new MediaRedirectRefusedException($"{url} redirected more than {MaxRedirects} times.");
                url = FollowRedirect(url, location);
            }
            using var answered = response;
            if (!response.IsSuccessStatusCode)
                return new ApiResponse(response.StatusCode, response.ReasonPhrase, GanApiClient.ReadRetryAfter(response), Array.Empty<byte>());

            var expected = response.Content.Headers.ContentLength;
            var written = await HttpExchange.ReadBodyAsync(response, source => CopyToFileAsync(source, temporary, path, cancellationToken), cancellationToken).ConfigureAwait(false);
            if (expected is { } length && written != length)
                throw new IOException($"The download ended after {written} of {length} bytes.");
            return new ApiResponse(HttpStatusCode.OK, response.ReasonPhrase, null, Array.Empty<byte>());
        }

        /// <summary>The body to the temporary file; the bytes written.</summary>
        private static async Task<long> CopyToFileAsync(Stream source, string temporary, string path, CancellationToken cancellationToken)
        {
            long written = 0;
            var target = LocalFileException.Guard(() => new FileStream(temporary, FileMode.Create, FileAccess.Write, FileShare.None, 81920, useAsync: true), path);
            using (target)
            {
                var buffer = new byte[81920];
                int read;
                // An IOException from ReadAsync is the connection (retried); from the file, not.
                while ((read = await source.ReadAsync(buffer, 0, buffer.Length, cancellationToken).ConfigureAwait(false)) > 0)
                {
                    await LocalFileException.GuardAsync(() => target.WriteAsync(buffer, 0, read, cancellationToken), path).ConfigureAwait(false);
                    written += read;
                }
                await LocalFileException.GuardAsync(() => target.FlushAsync(cancellationToken), path).ConfigureAwait(false);
            }
            return written;
        }

        /// <summary>The complete file takes the final name in one rename (replacing an older file with -Force).</summary>
        private static void Publish(string temporary, string path)
        {
            if (File.Exists(path))
            {
                File.Replace(temporary, path, null);
                return;
            }
            try
            {
                File.Move(temporary, path);
            }
            catch (IOException) when (File.Exists(path))
            {
                File.Replace(temporary, path, null); // another download of the same id finished first
            }
        }

        private static void TryDelete(string path)
        {
            try
            {
                if (File.Exists(path)) File.Delete(path);
            }
            catch (IOException)
            {
            }
            catch (UnauthorizedAccessException)
            {
            }
        }

        public void Dispose() => _http.Dispose();
    }

}
