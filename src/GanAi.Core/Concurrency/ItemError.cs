using System;
using GanAi.Api;
using GanAi.Batching;

namespace GanAi.Concurrency
{
    /// <summary>One item's error: a stable ErrorId, its category, and the exception for the error record.</summary>
    public sealed class ItemError
    {
        /// <summary>An item's error in its ErrorId's usual category (<see cref="ErrorIds.CategoryOf"/>).</summary>
        public ItemError(string errorId, Exception exception)
            : this(errorId, Failures.CategoryOf(errorId), exception)
        {
        }

        /// <summary>An item's error in the category of the API failure behind it (a 429 is LimitsExceeded).</summary>
        public ItemError(string errorId, FailureCategory category, Exception exception)
        {
            ErrorId = errorId;
            Category = category;
            Exception = exception;
        }

        public string ErrorId { get; }
        public FailureCategory Category { get; }
        public Exception Exception { get; }

        /// <summary>An API failure about one video, as an item error whose exception carries the video's ids.</summary>
        internal static ItemError FromApi(ApiFailure failure, string? uniqueId, string? inferenceId, VideoStatus? status = null) =>
            new ItemError(failure.ErrorId, failure.Category, new VideoException(failure.ErrorId, failure.Message, uniqueId, inferenceId, status, failure.Exception));
    }
}
