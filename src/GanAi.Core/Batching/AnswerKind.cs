namespace GanAi.Batching
{
    /// <summary>What a 200 bulk answer says of one row.</summary>
    internal enum AnswerKind
    {
        /// <summary>One video for the row: its result.</summary>
        Made,

        /// <summary>The row's unique_id named twice, not as one same video: possibly two videos, two credits. Its result (the first video), flagged.</summary>
        MadeTwice,

        /// <summary>The answer does not name the row's unique_id: whether a video exists cannot be told.</summary>
        NotNamed,

        /// <summary>Named, but with no inference_id: whether a video exists cannot be told.</summary>
        WithoutInferenceId,

        /// <summary>Its inference_id is also named for another row (of this answer, or earlier in the run): whose video it is cannot be told.</summary>
        SharedVideo,

        /// <summary>Its item names another project than the one asked.</summary>
        ForeignProject,
    }
}
