namespace GanAi.Concurrency
{
    /// <summary>A verbose or warning message from background work, written by the pipeline thread.</summary>
    public sealed class PipelineMessage : PipelineEvent
    {
        public PipelineMessage(bool isWarning, string text)
        {
            IsWarning = isWarning;
            Text = text;
        }

        public bool IsWarning { get; }
        public string Text { get; }
    }
}
