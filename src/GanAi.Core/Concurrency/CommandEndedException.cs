using System;

namespace GanAi.Concurrency
{
    /// <summary>
    /// An item not tried because an earlier one ended the command; its error is the same as that one's.
    /// </summary>
    internal sealed class CommandEndedException : Exception
    {
        public CommandEndedException(ItemError ending)
            : base(ending.Exception.Message, ending.Exception)
        {
            Ending = ending;
        }

        public ItemError Ending { get; }
    }
}
