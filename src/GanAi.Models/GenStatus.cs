namespace GanAi
{
    /// <summary>
    /// The service's <c>gen_status</c> of a video. Values the service adds later arrive as
    /// <see cref="Unrecognized"/>, with the text kept in <see cref="VideoStatus.GenStatusText"/>.
    /// </summary>
    public enum GenStatus
    {
        Unrecognized = 0,
        Pending,
        Processing,
        Succeeded,
        Failed,
        LipsyncPending,
        WebsiteScrollingPending,
        Deleted,
        Blocked,
        Unknown,
        RegenerateRequired,
        WebhookTriggered,
        NexrenderPending,
        FfmpegPending,
        InferencePostProcessing,
    }
}
