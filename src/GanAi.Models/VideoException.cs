using System;

namespace GanAi
{
    /// <summary>
    /// The exception of error records about one video after it was created (its status, waiting,
    /// downloading): the stable ErrorId, the video's ids, and its last known status.
    /// </summary>
    public sealed class VideoException : Exception
    {
        internal VideoException(string errorId, string message, string? uniqueId, string? inferenceId, VideoStatus? status = null, Exception? inner = null)
            : base(message, inner)
        {
            ErrorId = errorId;
            UniqueId = uniqueId;
            InferenceId = inferenceId;
            Status = status;
        }

        public string ErrorId { get; }
        public string? UniqueId { get; }
        public string? InferenceId { get; }

        /// <summary>The last status read, when there was one.</summary>
        public VideoStatus? Status { get; }
    }
}
