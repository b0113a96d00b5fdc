namespace GanAi.Concurrency
{
    /// <summary>How one input item ended: an output, or one error.</summary>
    public sealed class ItemOutcome : PipelineEvent
    {
        private ItemOutcome(object input, object? output, ItemError? error)
        {
            Input = input;
            Output = output;
            Error = error;
        }

        public object Input { get; }
        public object? Output { get; }
        public ItemError? Error { get; }

        internal static ItemOutcome Succeeded(object input, object? output) => new ItemOutcome(input, output, null);

        internal static ItemOutcome Failed(object input, ItemError error) => new ItemOutcome(input, null, error);
    }
}
