using System;

namespace GanAi.Api
{
    /// <summary>A request that failed without an answer after its attempts: the last failure, and how many attempts were made.</summary>
    internal sealed class AttemptsFailedException : Exception
    {
        public AttemptsFailedException(int attempts, Exception last)
            : base(last.Message, last)
        {
            Attempts = attempts;
        }

        public int Attempts { get; }
    }
}
