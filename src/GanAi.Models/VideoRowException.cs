using System;

namespace GanAi
{
    /// <summary>
    /// The exception of every per-row error record: the row's number and id, the stable ErrorId,
    /// and the cause (an HTTP or service error) as the inner exception.
    /// </summary>
    public sealed class VideoRowException : Exception
    {
        internal VideoRowException(string errorId, string message, Exception? inner, string? uniqueId, long? rowNumber)
            : base(message, inner)
        {
            ErrorId = errorId;
            UniqueId = uniqueId;
            RowNumber = rowNumber;
        }

        /// <summary>The ErrorId, also the error record's FullyQualifiedErrorId prefix.</summary>
        public string ErrorId { get; }

        /// <summary>The row's unique_id, when it had a usable one.</summary>
        public string? UniqueId { get; }

        /// <summary>The row's 1-based position in the input, when known.</summary>
        public long? RowNumber { get; }
    }
}
