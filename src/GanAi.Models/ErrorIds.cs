namespace GanAi
{
    /// <summary>
    /// Every ErrorId the module writes: the first part of an error record's FullyQualifiedErrorId, and
    /// the <c>ErrorId</c> of its exception. Public and stable, so scripts (and Pester mocks) can test
    /// for them by name: <c>[GanAi.ErrorIds]::TokenRefused</c>. docs/errors.md says when each is written.
    /// </summary>
    public static class ErrorIds
    {
        // Input rows, refused before anything is sent.
        public const string InputNotAnObject = nameof(InputNotAnObject);
        public const string MissingUniqueId = nameof(MissingUniqueId);
        public const string UniqueIdTooLong = nameof(UniqueIdTooLong);
        public const string DuplicateUniqueId = nameof(DuplicateUniqueId);
        public const string InvalidTagName = nameof(InvalidTagName);
        public const string DuplicateTagName = nameof(DuplicateTagName);
        public const string TagValueNotScalar = nameof(TagValueNotScalar);
        public const string TagValueNull = nameof(TagValueNull);
        public const string TagValueInvalidText = nameof(TagValueInvalidText);
        public const string TagValueNotRenderable = nameof(TagValueNotRenderable);
        public const string TagValueUnreadable = nameof(TagValueUnreadable);
        public const string MisdecodedText = nameof(MisdecodedText);
        public const string BatchNotConfirmed = nameof(BatchNotConfirmed);

        // The service's answers.
        public const string ServiceRejectedRow = nameof(ServiceRejectedRow);
        public const string RowTooLarge = nameof(RowTooLarge);
        public const string ProjectNotFound = nameof(ProjectNotFound);
        public const string NoResultReturned = nameof(NoResultReturned);
        public const string MalformedAnswer = nameof(MalformedAnswer);
        public const string ServiceError = nameof(ServiceError);
        public const string RequestTimedOut = nameof(RequestTimedOut);
        public const string ConnectionFailed = nameof(ConnectionFailed);
        public const string InsufficientCredits = nameof(InsufficientCredits);
        public const string UnexpectedError = nameof(UnexpectedError);
        public const string OutcomeUnknown = nameof(OutcomeUnknown);
        public const string InconsistentAnswer = nameof(InconsistentAnswer);

        // Pre-flight (New-GanVideoBatch before sending).
        public const string MissingTag = nameof(MissingTag);
        public const string CreditsNotConfirmed = nameof(CreditsNotConfirmed);

        // Videos after creation: status, waiting, downloading.
        public const string InvalidVideoReference = nameof(InvalidVideoReference);
        public const string VideoNotFound = nameof(VideoNotFound);
        public const string VideoFailed = nameof(VideoFailed);
        public const string VideoDeleted = nameof(VideoDeleted);
        public const string VideoBlocked = nameof(VideoBlocked);
        public const string WaitTimedOut = nameof(WaitTimedOut);
        public const string VideoNotReady = nameof(VideoNotReady);
        public const string InvalidMediaUrl = nameof(InvalidMediaUrl);
        public const string DownloadFailed = nameof(DownloadFailed);
        public const string FileNotWritten = nameof(FileNotWritten);
        public const string FolderUnavailable = nameof(FolderUnavailable);

        // The whole run: each ends it (rows read and not ended get their own error of the same id first).
        public const string TokenRefused = nameof(TokenRefused);
        public const string NotConnected = nameof(NotConnected);
        public const string JournalUnavailable = nameof(JournalUnavailable);
        public const string RateLimited = nameof(RateLimited);
        public const string ServiceUnreachable = nameof(ServiceUnreachable);
        public const string ServiceNotAnswering = nameof(ServiceNotAnswering);
        public const string JournalDamaged = nameof(JournalDamaged);
        public const string ProjectListUnavailable = nameof(ProjectListUnavailable);
        public const string SignInFailed = nameof(SignInFailed);
        public const string TokenNotCreated = nameof(TokenNotCreated);
        public const string WebhookNotSet = nameof(WebhookNotSet);

        // Arguments refused before any request.
        public const string MissingToken = nameof(MissingToken);
        public const string InvalidBaseUri = nameof(InvalidBaseUri);
        public const string InvalidWebhookUri = nameof(InvalidWebhookUri);
        public const string InvalidExpiry = nameof(InvalidExpiry);
        public const string PathNotOnFileSystem = nameof(PathNotOnFileSystem);

        /// <summary>
        /// The category (a name of PowerShell's ErrorCategory) of this ErrorId's records: the one the
        /// module gives them, and the one a test's fake record gets (New-GanErrorRecord). A few
        /// ErrorIds take another category when the cause says more (a journal refused for its
        /// content is InvalidData; a service error answered 429 is LimitsExceeded); this is the usual one.
        /// </summary>
        public static string CategoryOf(string errorId)
        {
            switch (errorId)
            {
                case InputNotAnObject: case TagValueNotScalar: return "InvalidType";
                case MissingUniqueId: case UniqueIdTooLong: case DuplicateUniqueId: case InvalidTagName: case DuplicateTagName: case JournalDamaged:
                case TagValueNull: case TagValueInvalidText: case TagValueNotRenderable: case TagValueUnreadable: case MisdecodedText: case MissingTag:
                case ServiceRejectedRow: case InvalidMediaUrl: return "InvalidData";
                case BatchNotConfirmed: case CreditsNotConfirmed: return "OperationStopped";
                case RowTooLarge: case RateLimited: return "LimitsExceeded";
                case ProjectNotFound: case VideoNotFound: case VideoDeleted: return "ObjectNotFound";
                case NoResultReturned: case OutcomeUnknown: case InconsistentAnswer: case VideoFailed: return "InvalidResult";
                case MalformedAnswer: return "ProtocolError";
                case InsufficientCredits: return "QuotaExceeded";
                case RequestTimedOut: case WaitTimedOut: case ServiceNotAnswering: return "OperationTimeout";
                case ConnectionFailed: case ServiceUnreachable: case NotConnected: return "ConnectionError";
                case TokenRefused: case SignInFailed: return "AuthenticationError";
                case VideoBlocked: return "PermissionDenied";
                case ServiceError: case VideoNotReady: case DownloadFailed: case ProjectListUnavailable: return "ResourceUnavailable";
                case JournalUnavailable: case FileNotWritten: case FolderUnavailable: return "WriteError";
                case InvalidVideoReference: case MissingToken: case InvalidBaseUri: case InvalidWebhookUri: case InvalidExpiry: case PathNotOnFileSystem: return "InvalidArgument";
                case UnexpectedError: case TokenNotCreated: case WebhookNotSet: return "InvalidOperation";
                default: throw new System.ArgumentException("'" + errorId + "' is not one of GanAi's ErrorIds.", nameof(errorId));
            }
        }

        /// <summary>
        /// Whether an answer with this ErrorId ends any API command at once, whatever it was doing:
        /// the token was refused, the service asked to wait longer than is waited, or it cannot be
        /// reached. Every later request of the command would meet the same.
        /// </summary>
        public static bool EndsAnyCommand(string errorId) =>
            errorId == TokenRefused || errorId == RateLimited || errorId == ServiceUnreachable;

        /// <summary>
        /// Whether this ErrorId can end a run of New-GanVideoBatch (docs/errors.md, "Errors that end a
        /// run"): those that end any command, and the failures after which no later row could be sent
        /// either: no connection, the journal failing or damaged, a service that stopped answering or
        /// keeps failing, no credits left, no such project, and row 1 without the id or a tag column.
        /// </summary>
        public static bool EndsBatchRun(string errorId)
        {
            switch (errorId)
            {
                case NotConnected: case JournalUnavailable: case JournalDamaged: case ServiceNotAnswering: case ServiceError:
                case InsufficientCredits: case ProjectNotFound: case MissingUniqueId: case MissingTag: return true;
                default: return EndsAnyCommand(errorId);
            }
        }

        /// <summary>
        /// The cmdlet that writes this ErrorId (the first, where several do): the one a test's fake
        /// record names (New-GanErrorRecord). Those of videos are Wait-GanVideo's, but a download's.
        /// </summary>
        public static string WriterOf(string errorId)
        {
            switch (errorId)
            {
                case SignInFailed: case MissingToken: case InvalidBaseUri: return "Connect-GanAi";
                case TokenNotCreated: case InvalidExpiry: return "New-GanToken";
                case WebhookNotSet: case InvalidWebhookUri: return "Set-GanWebhook";
                case ProjectListUnavailable: return "Get-GanProject";
                case DownloadFailed: case FileNotWritten: case FolderUnavailable: case InvalidMediaUrl: return "Save-GanVideo";
                default:
                    CategoryOf(errorId); // refuses what is no ErrorId
                    return IsAboutVideo(errorId) ? "Wait-GanVideo" : "New-GanVideoBatch";
            }
        }

        /// <summary>
        /// Whether New-GanVideoBatch can write this ErrorId for a row (a <see cref="VideoRowException"/>):
        /// every one but those of videos after creation and those only a whole command ends with
        /// (not connected, an argument refused, a sign-in, a token or a webhook not made).
        /// </summary>
        public static bool IsAboutRow(string errorId)
        {
            switch (errorId)
            {
                case NotConnected: case ProjectListUnavailable: case SignInFailed: case TokenNotCreated: case WebhookNotSet:
                case MissingToken: case InvalidBaseUri: case InvalidWebhookUri: case InvalidExpiry: case PathNotOnFileSystem: return false;
                default: return !IsAboutVideo(errorId);
            }
        }

        /// <summary>
        /// Whether this ErrorId is about a video after creation (status, waiting, files): its records
        /// carry a <see cref="VideoException"/>; the others a <see cref="VideoRowException"/>.
        /// </summary>
        public static bool IsAboutVideo(string errorId)
        {
            switch (errorId)
            {
                case InvalidVideoReference: case VideoNotFound: case VideoFailed: case VideoDeleted: case VideoBlocked: case WaitTimedOut:
                case VideoNotReady: case InvalidMediaUrl: case DownloadFailed: case FileNotWritten: case FolderUnavailable: return true;
                default: return false;
            }
        }
    }
}
