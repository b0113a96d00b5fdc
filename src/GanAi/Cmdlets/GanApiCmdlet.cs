using System;
using System.Management.Automation;
using System.Threading;
using GanAi.Batching;
using GanAi.Connections;

namespace GanAi.Cmdlets
{
    /// <summary>
    /// What every API cmdlet shares: the -Connection parameter and its resolution, a cancellation
    /// token that Ctrl+C (StopProcessing) cancels, and error records built from row failures.
    /// </summary>
    public abstract class GanApiCmdlet : PSCmdlet, IDisposable
    {
        private readonly CancellationTokenSource _stopping = new CancellationTokenSource();

        /// <summary>
        /// The connection to use (the object <c>Connect-GanAi -PassThru</c> returned). Without it, the
        /// connection made by the last <c>Connect-GanAi</c> in this process is used.
        /// </summary>
        [Parameter]
        [ValidateNotNull]
        public GanConnection? Connection { get; set; }

        /// <summary>Cancelled when the user presses Ctrl+C or the pipeline stops.</summary>
        protected CancellationToken CancellationToken => _stopping.Token;

        protected override void StopProcessing() => _stopping.Cancel();

        public void Dispose()
        {
            Dispose(true);
            GC.SuppressFinalize(this);
        }

        protected virtual void Dispose(bool disposing)
        {
            if (disposing) _stopping.Dispose();
        }

        /// <summary>-Connection, else the session's connection, else a terminating NotConnected error.</summary>
        protected GanConnection ResolveConnection()
        {
            var connection = Connection ?? ConnectionStore.Current;
            if (connection != null) return connection;
            ThrowTerminatingError(new ErrorRecord(
                new InvalidOperationException("Not connected to Gan.ai. Run Connect-GanAi first (with -Token, or with the GANAI_API_TOKEN environment variable set), or pass -Connection."),
                ErrorIds.NotConnected, ErrorCategory.ConnectionError, null));
            throw new InvalidOperationException(); // not reached: ThrowTerminatingError always throws
        }

        /// <summary>An error record for one row: its ErrorId, category and the row itself as the target.</summary>
        internal static ErrorRecord RowError(RowFailure failure, VideoRow? row, object target)
        {
            var record = new ErrorRecord(new VideoRowException(failure, row), failure.ErrorId, ToCategory(failure.Category), target);
            return record;
        }

        internal static ErrorCategory ToCategory(FailureCategory category) => category switch
        {
            FailureCategory.InvalidData => ErrorCategory.InvalidData,
            FailureCategory.InvalidType => ErrorCategory.InvalidType,
            FailureCategory.InvalidArgument => ErrorCategory.InvalidArgument,
            FailureCategory.ObjectNotFound => ErrorCategory.ObjectNotFound,
            FailureCategory.InvalidResult => ErrorCategory.InvalidResult,
            FailureCategory.ProtocolError => ErrorCategory.ProtocolError,
            FailureCategory.OperationTimeout => ErrorCategory.OperationTimeout,
            FailureCategory.ConnectionError => ErrorCategory.ConnectionError,
            FailureCategory.ResourceUnavailable => ErrorCategory.ResourceUnavailable,
            FailureCategory.LimitsExceeded => ErrorCategory.LimitsExceeded,
            FailureCategory.QuotaExceeded => ErrorCategory.QuotaExceeded,
            FailureCategory.AuthenticationError => ErrorCategory.AuthenticationError,
            FailureCategory.OperationStopped => ErrorCategory.OperationStopped,
            _ => ErrorCategory.InvalidOperation,
        };
    }
}
