using System;
using System.Globalization;
using System.Threading;
using System.Threading.Tasks;
using GanAi.Api;
using GanAi.Batching;
using GanAi.Concurrency;

namespace GanAi.Status
{
    /// <summary>How Wait-GanVideo polls.</summary>
    public sealed class WaitSettings
    {
        /// <summary>The first pause between two reads of one video's status; later pauses grow by half each time.</summary>
        public TimeSpan FirstInterval { get; set; } = TimeSpan.FromSeconds(2);

        public TimeSpan MaxInterval { get; set; } = TimeSpan.FromSeconds(30);

        /// <summary>
        /// A status read can answer 404 for a short while after the video was created; only after
        /// this long is 404 taken to mean the video does not exist.
        /// </summary>
        public TimeSpan NotVisibleGrace { get; set; } = TimeSpan.FromSeconds(60);
    }

    /// <summary>Polls one video with backoff until its status is final or the deadline passes.</summary>
    internal static class VideoWaiter
    {
        private static readonly ThreadLocal<Random> Jitter = new ThreadLocal<Random>(() => new Random(Guid.NewGuid().GetHashCode()));

        /// <summary>A SUCCEEDED status; any other final status, a timeout or a lasting 404 throws a <see cref="VideoException"/>.</summary>
        public static async Task<VideoStatus> WaitAsync(ApiCaller caller, WorkQueue queue, VideoRef video, WaitSettings settings, DateTime deadlineUtc)
        {
            var started = DateTime.UtcNow;
            var interval = settings.FirstInterval;
            VideoStatus? last = null;
            var name = video.UniqueId ?? video.InferenceId;
            while (true)
            {
                try
                {
                    last = await queue.ThrottledAsync(ct => VideoStatusReader.GetAsync(caller, video, ct)).ConfigureAwait(false);
                    if (last.IsFinal) return Final(last, name);
                }
                catch (GanApiException notYet) when (notYet.StatusCode == 404 && DateTime.UtcNow - started < settings.NotVisibleGrace)
                {
                    queue.Message($"Video {name}: not visible yet (404); asking again.");
                }

                var pause = TimeSpan.FromMilliseconds(interval.TotalMilliseconds * (0.9 + 0.2 * Jitter.Value!.NextDouble()));
                if (DateTime.UtcNow + pause > deadlineUtc)
                {
                    var remaining = deadlineUtc - DateTime.UtcNow;
                    if (remaining > TimeSpan.Zero) await Task.Delay(remaining, queue.Cancellation).ConfigureAwait(false);
                    throw new VideoException(ErrorIds.WaitTimedOut,
                        string.Format(CultureInfo.InvariantCulture, "Video {0} was not finished within the time limit (-TimeoutSec); its last status was {1}.",
                            name, last?.GenStatusText ?? "not visible yet"),
                        video.UniqueId, video.InferenceId, last);
                }
                await Task.Delay(pause, queue.Cancellation).ConfigureAwait(false);
                var next = TimeSpan.FromMilliseconds(interval.TotalMilliseconds * 1.5);
                interval = next > settings.MaxInterval ? settings.MaxInterval : next;
            }
        }

        /// <summary>SUCCEEDED is returned; FAILED, DELETED and BLOCKED become errors that carry the status and the service's error.</summary>
        internal static VideoStatus Final(VideoStatus status, string name)
        {
            string? errorId = status.GenStatus switch
            {
                GenStatus.Failed => ErrorIds.VideoFailed,
                GenStatus.Deleted => ErrorIds.VideoDeleted,
                GenStatus.Blocked => ErrorIds.VideoBlocked,
                _ => null,
            };
            if (errorId is null) return status;
            var reason = status.Error is { } error ? ": " + error : string.Empty;
            throw new VideoException(errorId, $"Video {name} ended as {status.GenStatusText}{reason}", status.UniqueId, status.InferenceId, status);
        }
    }
}
