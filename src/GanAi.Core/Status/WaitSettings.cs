using System;

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

        /// <summary>
        /// The pause a video read on its own would be at after <paramref name="age"/> of waiting: a
        /// group's member not final at its first read goes on from there, not from the first pause,
        /// so it never costs more reads than it would have alone.
        /// </summary>
        public TimeSpan IntervalAt(TimeSpan age)
        {
            var interval = FirstInterval;
            var elapsed = TimeSpan.Zero;
            while (elapsed + interval <= age && interval < MaxInterval)
            {
                elapsed += interval;
                interval = Next(interval);
            }
            return interval;
        }

        /// <summary>
        /// How long a group's member waits for its group before it reads on its own: the group's probe
        /// (its second video) until it would be read every <see cref="MaxInterval"/> alone (about a
        /// minute at the defaults: seven reads saved by then); every member at most until a last look
        /// before the deadline (a tenth of the time left, 2 s at most), so a finished video is read.
        /// </summary>
        public TimeSpan MemberPatience(DateTime startedUtc, DateTime deadlineUtc, bool isProbe)
        {
            var now = DateTime.UtcNow;
            var left = deadlineUtc - now;
            var lastLook = left - TimeSpan.FromTicks(Math.Min(TimeSpan.FromSeconds(2).Ticks, left.Ticks / 10));
            if (!isProbe) return lastLook;
            var untilSlowest = TimeSpan.Zero;
            for (var interval = FirstInterval; interval < MaxInterval; interval = Next(interval)) untilSlowest += interval;
            var patience = startedUtc + untilSlowest - now;
            return patience < lastLook ? patience : lastLook;
        }

        /// <summary>The pause after <paramref name="interval"/>: half as long again, up to <see cref="MaxInterval"/>.</summary>
        public TimeSpan Next(TimeSpan interval)
        {
            var next = TimeSpan.FromMilliseconds(interval.TotalMilliseconds * 1.5);
            return next > MaxInterval ? MaxInterval : next;
        }
    }
}
