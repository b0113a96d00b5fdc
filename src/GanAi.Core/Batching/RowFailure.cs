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
    }

    /// <summary>Why one row ended without a video. Carries a stable ErrorId for scripts to test.</summary>
    public sealed class RowFailure
    {
        public RowFailure(string errorId, FailureCategory category, string message, Exception? exception = null, long? rowNumber = null)
        {
            RowNumber = rowNumber;
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

        public override string ToString() => ErrorId + ": " + Message;
    }

    /// <summary>The stable ErrorIds of row failures (documented in the README).</summary>
    public static class ErrorIds
    {
        // Input rows, refused before anything is sent.
        public const string InputNotAnObject = "InputNotAnObject";
        public const string MissingUniqueId = "MissingUniqueId";
        public const string UniqueIdTooLong = "UniqueIdTooLong";
        public const string DuplicateUniqueId = "DuplicateUniqueId";
        public const string InvalidTagName = "InvalidTagName";
        public const string DuplicateTagName = "DuplicateTagName";
        public const string TagValueNotScalar = "TagValueNotScalar";
        public const string TagValueNull = "TagValueNull";
        public const string TagValueInvalidText = "TagValueInvalidText";
        public const string TagValueUnreadable = "TagValueUnreadable";
        public const string BatchNotConfirmed = "BatchNotConfirmed";

        // The service's answers.
        public const string ServiceRejectedRow = "ServiceRejectedRow";
        public const string RowTooLarge = "RowTooLarge";
        public const string ProjectNotFound = "ProjectNotFound";
        public const string NoResultReturned = "NoResultReturned";
        public const string MalformedAnswer = "MalformedAnswer";
        public const string ServiceError = "ServiceError";
        public const string RequestTimedOut = "RequestTimedOut";
        public const string ConnectionFailed = "ConnectionFailed";
        public const string InsufficientCredits = "InsufficientCredits";
        public const string UnexpectedError = "UnexpectedError";
        public const string OutcomeUnknown = "OutcomeUnknown";

        // Pre-flight (New-GanVideoBatch before sending).
        public const string MissingTag = "MissingTag";
        public const string CreditsNotConfirmed = "CreditsNotConfirmed";

        // Videos after creation: status, waiting, downloading.
        public const string InvalidVideoReference = "InvalidVideoReference";
        public const string VideoNotFound = "VideoNotFound";
        public const string VideoFailed = "VideoFailed";
        public const string VideoDeleted = "VideoDeleted";
        public const string VideoBlocked = "VideoBlocked";
        public const string WaitTimedOut = "WaitTimedOut";
        public const string VideoNotReady = "VideoNotReady";
        public const string InvalidMediaUrl = "InvalidMediaUrl";
        public const string DownloadFailed = "DownloadFailed";
        public const string FileNotWritten = "FileNotWritten";
        public const string FolderUnavailable = "FolderUnavailable";

        // The whole run.
        public const string TokenRefused = "TokenRefused";
        public const string NotConnected = "NotConnected";
        public const string JournalUnavailable = "JournalUnavailable";
        public const string ProjectListUnavailable = "ProjectListUnavailable";
        public const string SignInFailed = "SignInFailed";
        public const string TokenNotCreated = "TokenNotCreated";
        public const string WebhookNotSet = "WebhookNotSet";

        // Arguments refused before any request.
        public const string MissingToken = "MissingToken";
        public const string InvalidBaseUri = "InvalidBaseUri";
        public const string InvalidWebhookUri = "InvalidWebhookUri";
    }
}
