using System;

namespace GanAi
{
    /// <summary>One video's progress (GET /projects/{id}/inference/{id}/video_status), with the ids of the input it answers.</summary>
    public sealed class VideoStatus
    {
        internal VideoStatus(string projectId, string inferenceId, string? uniqueId)
        {
            ProjectId = projectId;
            InferenceId = inferenceId;
            UniqueId = uniqueId;
        }

        /// <summary>The caller's id of the row, carried over from the input (null when the input had none).</summary>
        public string? UniqueId { get; }

        public string ProjectId { get; }
        public string InferenceId { get; }

        /// <summary>The bulk request that made the video, carried over from the input (a New-GanVideoBatch result), so a status pipes on into Wait-GanVideo as a group.</summary>
        public string? RequestId { get; internal set; }

        public GenStatus GenStatus { get; internal set; }

        /// <summary>The service's own text of the status, e.g. SUCCEEDED.</summary>
        public string? GenStatusText { get; internal set; }

        /// <summary>SUCCEEDED, FAILED, DELETED or BLOCKED: the status will not change any more.</summary>
        public bool IsFinal => IsFinalStatus(GenStatus);

        public string? VideoUrl { get; internal set; }

        /// <summary>Carried over from the input (a New-GanVideoBatch result); the status answer has none.</summary>
        public string? AudioUrl { get; internal set; }

        public string? Permalink { get; internal set; }
        public string? ThumbnailUrl { get; internal set; }
        public string? SmartUrl { get; internal set; }

        /// <summary>The service's error for a failed video; null when there is none (null, {} and "None" all mean none).</summary>
        public string? Error { get; internal set; }

        /// <summary>When this status was read.</summary>
        public DateTimeOffset CheckedAt { get; internal set; }

        public static bool IsFinalStatus(GenStatus status) =>
            status == GenStatus.Succeeded || status == GenStatus.Failed || status == GenStatus.Deleted || status == GenStatus.Blocked;

        /// <inheritdoc />
        public override string ToString() => (UniqueId ?? InferenceId) + ": " + (GenStatusText ?? GenStatus.ToString());
    }
}
