namespace GanAi.Concurrency
{
    /// <summary>What the background work hands back to the pipeline thread: a message or a finished batch.</summary>
    public abstract class PipelineEvent
    {
    }
}
