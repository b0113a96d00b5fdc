using System;
using System.Linq;
using GanAi.Api;

namespace GanAi.Batching
{
    /// <summary>One row and what the answer says of it.</summary>
    internal readonly struct RowAnswer
    {
        public RowAnswer(VideoRow row, AnswerKind kind, BulkVideoItemDto? item, string[]? inferenceIds = null)
        {
            Row = row;
            Kind = kind;
            Item = item;
            InferenceIds = inferenceIds ?? Array.Empty<string>();
        }

        public VideoRow Row { get; }

        public AnswerKind Kind { get; }

        /// <summary>The row's item (the first one named with an inference_id), when the answer names it.</summary>
        public BulkVideoItemDto? Item { get; }

        /// <summary>For <see cref="AnswerKind.MadeTwice"/>: the inference ids of every video the answer names for it, in answer order.</summary>
        public string[] InferenceIds { get; }

        public string DescribeIds() => InferenceIds.Length == 0 ? "none" : string.Join(", ", InferenceIds.Select(i => "'" + i + "'"));
    }
}
