using GanAi.Resilience;
using Polly;

namespace GanAi.Downloads
{
    /// <summary>What happened to one file.</summary>
    public enum DownloadOutcome
    {
        Downloaded,
        /// <summary>A complete file was already there (files only ever appear under their final name complete).</summary>
        Skipped,
    }
}
