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
}
