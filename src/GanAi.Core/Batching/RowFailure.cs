using System;

namespace GanAi.Batching
{
    /// <summary>Why one row ended without a video. Carries a stable ErrorId for scripts to test.</summary>
    public sealed class RowFailure
    {
        /// <summary>A row's failure in its ErrorId's usual category (<see cref="ErrorIds.CategoryOf"/>).</summary>
        public RowFailure(string errorId, string message, Exception? exception = null, long? rowNumber = null, string? uniqueId = null)
            : this(errorId, Failures.CategoryOf(errorId), message, exception, rowNumber, uniqueId)
        {
        }

        /// <summary>A row's failure in a category its cause gives (the documented exceptions: a journal refused for its content, a 429).</summary>
        public RowFailure(string errorId, FailureCategory category, string message, Exception? exception = null, long? rowNumber = null, string? uniqueId = null)
        {
            RowNumber = rowNumber;
            UniqueId = uniqueId;
            ErrorId = errorId;
            Category = category;
            Message = message;
            Exception = exception;
        }

        public string ErrorId { get; }
        public FailureCategory Category { get; }
        public string Message { get; }
        public Exception? Exception { get; }

        /// <summary>The row's 1-based position in the input.</summary>
        public long? RowNumber { get; }

        /// <summary>The row's unique_id, when it had a usable one.</summary>
        public string? UniqueId { get; }

        public override string ToString() => ErrorId + ": " + Message;
    }
}
