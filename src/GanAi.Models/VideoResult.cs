using System;
using System.Collections.Generic;

namespace GanAi
{
    /// <summary>
    /// One video the service created for one input row: the service's answer for that row's
    /// <c>unique_id</c>, plus the tags that were sent for it.
    /// </summary>
    /// <remarks>
    /// Plain .NET types only (no Polly or System.Text.Json types on the public surface). In
    /// PowerShell each tag also shows as a property (GanAi.Results.VideoResultAdapter, registered in
    /// GanAi.types.ps1xml), so <c>Export-Csv</c> writes one column per tag.
    /// </remarks>
    public sealed class VideoResult
    {
        private readonly IReadOnlyList<KeyValuePair<string, string>> _tags;

        internal VideoResult(
            string uniqueId,
            string projectId,
            string? inferenceId,
            string? videoUrl,
            string? audioUrl,
            string? thumbnailUrl,
            string? smartUrl,
            string? permalink,
            bool possibleDuplicate,
            long rowNumber,
            IReadOnlyList<KeyValuePair<string, string>> tags,
            bool fromJournal = false,
            int sendCount = 1,
            string? requestId = null)
        {
            FromJournal = fromJournal;
            RequestId = requestId;
            SendCount = sendCount;
            UniqueId = uniqueId;
            ProjectId = projectId;
            InferenceId = inferenceId;
            VideoUrl = videoUrl;
            AudioUrl = audioUrl;
            ThumbnailUrl = thumbnailUrl;
            SmartUrl = smartUrl;
            Permalink = permalink;
            PossibleDuplicate = possibleDuplicate;
            RowNumber = rowNumber;
            _tags = tags;
        }

        /// <summary>The caller's id of the row (sent as <c>unique_id</c>).</summary>
        public string UniqueId { get; }

        /// <summary>The service's id of this video.</summary>
        public string? InferenceId { get; }

        /// <summary>URL of the rendered video.</summary>
        public string? VideoUrl { get; }

        /// <summary>URL of the generated audio.</summary>
        public string? AudioUrl { get; }

        /// <summary>URL of the video's thumbnail.</summary>
        public string? ThumbnailUrl { get; }

        /// <summary>The video on Gan.ai's landing page.</summary>
        public string? SmartUrl { get; }

        /// <summary>A link to the video that never expires.</summary>
        public string? Permalink { get; }

        /// <summary>The project the video was made in.</summary>
        public string ProjectId { get; }

        /// <summary>
        /// True when the service may have rendered this row more than once: it was sent again after an
        /// earlier send ended without a clear answer (no answer, a 5xx ...), in this run or in an
        /// earlier run of the same journal (<see cref="SendCount"/> above 1), or the service's answer
        /// named two videos for it. See docs/delivery.md.
        /// </summary>
        public bool PossibleDuplicate { get; }

        /// <summary>
        /// How many requests with this row may have made a video, in this run and in earlier runs of
        /// the same journal: 1 normally, 2 when it was sent again after an unclear answer. By default
        /// a row is never sent more than twice without a clear answer (docs/delivery.md).
        /// </summary>
        public int SendCount { get; }

        /// <summary>The row's 1-based position in the input.</summary>
        public long RowNumber { get; }

        /// <summary>
        /// The bulk request that made this video: the run's id and the request's number (e.g.
        /// <c>k3v9qd-12</c>; a request the service asked to split has its own, <c>k3v9qd-12.1</c>),
        /// unique across runs. The videos of one request tend to finish together, so Wait-GanVideo
        /// reads one of them until it is finished before it reads the others (docs/videos.md).
        /// Kept in the journal; null for a result recorded before it was.
        /// </summary>
        public string? RequestId { get; }

        /// <summary>
        /// True when this run did not send the row: an earlier run of the same journal made the video,
        /// and this is its recorded result (no credit was spent now).
        /// </summary>
        public bool FromJournal { get; }

        /// <summary>The tags that were sent for this row, in input order (without <c>unique_id</c>).</summary>
        public IReadOnlyList<KeyValuePair<string, string>> GetTags() => _tags;

        /// <inheritdoc />
        public override string ToString() => $"{UniqueId} -> {VideoUrl ?? InferenceId}";
    }
}
