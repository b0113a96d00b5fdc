using System;
using System.Globalization;
using System.Threading;
using System.Threading.Tasks;
using GanAi.Api;
using GanAi.Concurrency;

namespace GanAi.Status
{
    /// <summary>Reads one video's status with backoff until it is final or the deadline passes, in its place in the command's <see cref="StatusPolling"/>.</summary>
    internal static class VideoWaiter
    {
        private static readonly ThreadLocal<Random> Jitter = new ThreadLocal<Random>(() => new Random(Guid.NewGuid().GetHashCode()));

        /// <summary>
        /// A SUCCEEDED status; any other final status, a timeout or a lasting 404 throws a
        /// <see cref="VideoException"/>. <paramref name="stopReading"/> ends every wait for a turn to
        /// read: Ctrl+C, the command's end (a refused token ...) and the deadline, each as itself.
        /// </summary>
        public static async Task<VideoStatus> WaitAsync(ApiCaller caller, WorkQueue queue, VideoRef video, WaitSettings settings, DateTime deadlineUtc,
            StatusPolling polling, PolledVideo polled, CancellationToken stopReading)
        {
            var started = DateTime.UtcNow;
            try
            {
                var interval = settings.FirstInterval;
                if (polled.IsMember)
                {
                    // The leader reads for the group; a member's first read is when the group is done (its
                    // leader's wait ended, or the probe found its own video final), at the latest just
                    // before the deadline; the probe also reads once it would be read every MaxInterval alone.
                    await Until(polled.Group!.DoneTask, settings.MemberPatience(started, deadlineUtc, polled.IsProbe), stopReading).ConfigureAwait(false);
                    interval = settings.IntervalAt(DateTime.UtcNow - started);
                }
                return await PollAsync(caller, queue, video, settings, deadlineUtc, polling, polled, started, interval, stopReading).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (!queue.Cancellation.IsCancellationRequested && stopReading.IsCancellationRequested)
            {
                queue.ThrowIfEnded(); // another item's error ended the command: this one's error is the same
                throw TimedOut(video, null, asked: false, polled); // the deadline passed while it waited for its turn
            }
            finally
            {
                if (polled.IsLeader) polled.Group!.EndLeader();
            }
        }

        private static async Task<VideoStatus> PollAsync(ApiCaller caller, WorkQueue queue, VideoRef video, WaitSettings settings, DateTime deadlineUtc,
            StatusPolling polling, PolledVideo polled, DateTime started, TimeSpan interval, CancellationToken stopReading)
        {
            VideoStatus? last = null;
            var asked = false;
            var name = video.UniqueId ?? video.InferenceId;
            while (true)
            {
                if (DateTime.UtcNow >= deadlineUtc) throw TimedOut(video, last, asked, polled);
                asked = true;
                try
                {
                    // Every attempt (a retry too) waits for its turn under the ceiling, once it has a request slot.
                    // stopReading for the whole read: the deadline ends a 429's pause or an answer that is slow to come too.
                    last = await queue.ThrottledAsync(_ => VideoStatusReader.GetAsync(caller, video, stopReading,
                        () => polling.Reads.WaitTurnAsync(polled.Order, stopReading))).ConfigureAwait(false);
                    if (polled.IsLeader) polled.Group!.LeaderLastStatus = last.GenStatusText;
                    if (last.IsFinal)
                    {
                        if (polled.IsMember) polled.Group!.SeenFinal(); // the request has finished: the other members read now
                        return Final(last, name);
                    }
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
                    throw TimedOut(video, last, asked, polled);
                }
                // A leader reads at once when the group before it is done (a render queue finishes requests in
                // turn). Taken after the read: a wake that came while the read was out would make a second read
                // at once, one more than the video would cost on its own.
                var wake = polled.IsLeader ? polled.Group!.WakeTask : null;
                await PauseAsync(pause, wake, queue.Cancellation).ConfigureAwait(false);
                interval = settings.Next(interval);
            }
        }

        /// <summary>WaitTimedOut, with the last status read (or that none was visible yet, or that it was not read in time: the ceiling's queue, its group's leader).</summary>
        private static VideoException TimedOut(VideoRef video, VideoStatus? last, bool asked, PolledVideo polled)
        {
            var said = last != null ? "its last status was " + last.GenStatusText
                : asked ? "its last status was not visible yet"
                : polled.IsMember && polled.Group!.LeaderLastStatus is { } leader ? "its request's first video was read for it, and its last status was " + leader
                : "its status was not read in time";
            return new VideoException(ErrorIds.WaitTimedOut,
                string.Format(CultureInfo.InvariantCulture, "Video {0} was not finished within the time limit (-TimeoutSec); {1}.", video.UniqueId ?? video.InferenceId, said),
                video.UniqueId, video.InferenceId, last);
        }

        private static async Task PauseAsync(TimeSpan pause, Task? wake, CancellationToken cancellationToken)
        {
            if (wake is null)
            {
                await Task.Delay(pause, cancellationToken).ConfigureAwait(false);
                return;
            }
            using var sleeping = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            var delay = Task.Delay(pause, sleeping.Token);
            if (await Task.WhenAny(delay, wake).ConfigureAwait(false) == wake) sleeping.Cancel(); // the pause's timer goes
            cancellationToken.ThrowIfCancellationRequested();
        }

        /// <summary>Waits for <paramref name="task"/>, at most <paramref name="longest"/>; <paramref name="cancellationToken"/> ends the wait at once.</summary>
        private static async Task Until(Task task, TimeSpan longest, CancellationToken cancellationToken)
        {
            if (!task.IsCompleted && longest > TimeSpan.Zero)
            {
                using var timer = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
                var stopped = new TaskCompletionSource<bool>(TaskCreationOptions.RunContinuationsAsynchronously);
                using (timer.Token.Register(() => stopped.TrySetResult(true)))
                {
                    timer.CancelAfter(longest);
                    await Task.WhenAny(task, stopped.Task).ConfigureAwait(false);
                }
            }
            cancellationToken.ThrowIfCancellationRequested();
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
