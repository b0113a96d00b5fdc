namespace GanAi.Status
{
    /// <summary>A created video to look up: its project and inference ids, and what the input carried.</summary>
    public sealed class VideoRef
    {
        public VideoRef(string projectId, string inferenceId, string? uniqueId = null, string? audioUrl = null, string? requestId = null)
        {
            ProjectId = projectId;
            InferenceId = inferenceId;
            UniqueId = uniqueId;
            AudioUrl = audioUrl;
            RequestId = requestId;
        }

        public string ProjectId { get; }
        public string InferenceId { get; }
        public string? UniqueId { get; }
        public string? AudioUrl { get; }

        /// <summary>The bulk request that made the video (a result's RequestId): Wait-GanVideo reads such videos as a group.</summary>
        public string? RequestId { get; }
    }
}
