using System;
using System.Diagnostics;

namespace GanAi.Concurrency
{
    /// <summary>
    /// Progress for long commands: at most twice a second, only once a command has run for half a
    /// second (short runs show no bar), and a closing report only when a bar was shown.
    /// Used from the pipeline thread only.
    /// </summary>
    public sealed class ProgressReporter
    {
        private static readonly TimeSpan Every = TimeSpan.FromMilliseconds(500);

        private readonly string _activity;
        private readonly Stopwatch _sinceLast = Stopwatch.StartNew();
        private readonly Stopwatch _elapsed = Stopwatch.StartNew();
        private bool _shown;

        public ProgressReporter(string activity) => _activity = activity;

        /// <summary>How long the command has run.</summary>
        public TimeSpan Elapsed => _elapsed.Elapsed;

        /// <summary>Whether a report is due (callers ask first, so nothing is built per row).</summary>
        public bool IsDue => _sinceLast.Elapsed >= Every;

        /// <summary>A report now, or null when the last one was too recent.</summary>
        public ProgressReport? Next(string status, int percentComplete = -1)
        {
            if (!IsDue) return null;
            _sinceLast.Restart();
            _shown = true;
            return new ProgressReport(_activity, status, Math.Min(100, percentComplete), completed: false);
        }

        /// <summary>The closing report, when a bar was shown.</summary>
        public ProgressReport? Done() => _shown ? new ProgressReport(_activity, "Done", 100, completed: true) : null;
    }
}
