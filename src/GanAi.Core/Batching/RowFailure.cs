using System;

namespace GanAi.Batching
{
    /// <summary>
    /// The kinds of failure a row can end in. The names match PowerShell's ErrorCategory members;
    /// the cmdlet layer maps them one to one (GanAi.Core does not reference PowerShell).
    /// </summary>
    public enum FailureCategory
    {
        InvalidData,
        InvalidType,
        InvalidArgument,
        ObjectNotFound,
        InvalidResult,
        ProtocolError,
        OperationTimeout,
        ConnectionError,
        ResourceUnavailable,
        LimitsExceeded,
        QuotaExceeded,
        AuthenticationError,
        OperationStopped,
        InvalidOperation,
        PermissionDenied,
        WriteError,
        ResourceBusy,
    }

    /// <summary>The categories of ErrorIds, as <see cref="ErrorIds.CategoryOf"/> names them.</summary>
    public static class Failures
    {
        public static FailureCategory CategoryOf(string errorId) => (FailureCategory)Enum.Parse(typeof(FailureCategory), ErrorIds.CategoryOf(errorId));
    }

    /// <summary>Why one row ended without a video. Carries a stable ErrorId for scripts to test.</summary>
    public sealed class RowFailure
    {
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
