using System;
using System.Management.Automation;
using System.Threading;
using System.Threading.Tasks;
using GanAi.Api;
using GanAi.Batching;
using GanAi.Concurrency;
using GanAi.Connections;
using GanAi.Resilience;

namespace GanAi.Cmdlets
{
    /// <summary>
    /// What every cmdlet of the module shares: a cancellation token that Ctrl+C (StopProcessing)
    /// cancels, blocking on async work from the pipeline thread, and error records with ErrorIds.
    /// </summary>
    public abstract class GanCmdlet : PSCmdlet, IDisposable
    {
        private readonly CancellationTokenSource _stopping = new CancellationTokenSource();
        private ServiceReachability? _reachability;

        /// <summary>Cancelled when the user presses Ctrl+C or the pipeline stops.</summary>
        protected CancellationToken CancellationToken => _stopping.Token;

        protected override void StopProcessing() => _stopping.Cancel();

        /// <summary>-WhatIf given, or $WhatIfPreference set: a dry run, which changes nothing.</summary>
        protected bool IsWhatIf()
        {
            if (MyInvocation.BoundParameters.TryGetValue("WhatIf", out var value)) return value is SwitchParameter s ? s.IsPresent : LanguagePrimitives.IsTrue(value);
            return LanguagePrimitives.IsTrue(SessionState.PSVariable.GetValue("WhatIfPreference"));
        }

        public void Dispose()
        {
            // An early end (Select-Object -First, an error downstream) calls no StopProcessing: background
            // work still running is cancelled here, before the cmdlet's own Dispose waits for it.
            _stopping.Cancel();
            Dispose(true);
            GC.SuppressFinalize(this);
        }

        protected virtual void Dispose(bool disposing)
        {
            if (!disposing) return;
            _stopping.Dispose();
            _reachability?.Dispose();
        }

        /// <summary>
        /// A resilient caller on the connection, with the cmdlet's retry settings and the command's
        /// circuit breaker: a service that does not answer at all for 10 s (its attempts cannot even
        /// connect) ends the command with ServiceUnreachable instead of waiting out every retry.
        /// </summary>
        internal ApiCaller CreateCaller(GanConnection connection, int maxRetries, int timeoutSec, Action<string>? verbose = null) =>
            new ApiCaller(connection.ClientOf(), Settings(maxRetries, timeoutSec), verbose, _reachability ??= new ServiceReachability());

        internal static ResilienceSettings Settings(int maxRetries, int timeoutSec) => new ResilienceSettings
        {
            MaxRetries = maxRetries,
            AttemptTimeout = TimeSpan.FromSeconds(timeoutSec),
        };

        /// <summary>Runs async work on the pipeline thread (no synchronization context, so blocking is safe); Ctrl+C stops it.</summary>
        protected T Run<T>(Func<CancellationToken, Task<T>> work) => Block(() => work(CancellationToken).GetAwaiter().GetResult());

        /// <summary>Blocks the pipeline thread (on async work, or for the next background outcome); Ctrl+C ends it as a stopped pipeline.</summary>
        protected T Block<T>(Func<T> wait)
        {
            try
            {
                return wait();
            }
            catch (OperationCanceledException) when (CancellationToken.IsCancellationRequested)
            {
                throw new PipelineStoppedException();
            }
        }

        /// <summary>
        /// A path parameter as a file system path: relative to PowerShell's current location (not the
        /// process's), with ~ and drives resolved. A path on another provider (<c>Variable:\j</c>, or a
        /// relative one while the location is <c>Env:</c>) ends the command (PathNotOnFileSystem): .NET
        /// would take it against the process's directory and put the file somewhere nobody looks.
        /// </summary>
        protected string FileSystemPath(string path, string parameterName)
        {
            var resolved = SessionState.Path.GetUnresolvedProviderPathFromPSPath(path, out var provider, out _);
            if (provider.ImplementingType == typeof(Microsoft.PowerShell.Commands.FileSystemProvider)) return resolved;
            var location = SessionState.Path.CurrentLocation;
            ThrowTerminatingError(new ErrorRecord(GanModelFactory.RunEnding(ErrorIds.PathNotOnFileSystem,
                $"-{parameterName} '{path}' is a path of the {provider.Name} provider" +
                (string.Equals(location.Provider.Name, provider.Name, StringComparison.Ordinal) && !SessionState.Path.IsPSAbsolute(path, out _) ? $" (the current location is {location.Path}, and the path is relative to it)" : string.Empty) +
                ", not of the file system. Give a file system path, e.g. an absolute one, or one under a file system drive such as ~ or C:.", null),
                ErrorIds.PathNotOnFileSystem, ErrorCategory.InvalidArgument, path));
            throw new InvalidOperationException(); // not reached: ThrowTerminatingError always throws
        }

        /// <summary>A message from background work: a warning, or verbose output.</summary>
        internal void WriteMessage(PipelineMessage message)
        {
            if (message.IsWarning) WriteWarning(message.Text);
            else WriteVerbose(message.Text);
        }

        /// <summary>An API failure that ends the command (one request whose answer everything depends on).</summary>
        /// <remarks>A refused token, a service that asks to wait too long and one that cannot be reached keep their own ErrorIds: scripts tell them apart from a failure of the call itself.</remarks>
        protected void ThrowApiFailure(ApiFailure failure, string errorId, object? target) =>
            ThrowTerminatingError(new ErrorRecord(failure.Exception is GanApiException || failure.Exception.Message != failure.Message ? new InvalidOperationException(failure.Message, failure.Exception) : failure.Exception,
                ErrorIds.EndsAnyCommand(failure.ErrorId) ? failure.ErrorId : errorId,
                ToCategory(failure.Category), target));

        /// <summary>The error record of one pipeline item (a video to look up, wait for or download).</summary>
        internal static ErrorRecord ItemErrorRecord(ItemError error, object target) =>
            new ErrorRecord(error.Exception, error.ErrorId, ToCategory(error.Category), target);

        /// <summary>An error record for one row: its ErrorId, category and the row itself as the target.</summary>
        internal static ErrorRecord RowError(RowFailure failure, object target) =>
            new ErrorRecord(new VideoRowException(failure.ErrorId, failure.Message, failure.Exception, failure.UniqueId, failure.RowNumber),
                failure.ErrorId, ToCategory(failure.Category), target);

        /// <summary>A progress report of the core as a ProgressRecord (<paramref name="id"/>: the activity's id).</summary>
        protected void WriteProgressReport(int id, ProgressReport report) =>
            WriteProgress(new ProgressRecord(id, report.Activity, report.Status)
            {
                PercentComplete = report.PercentComplete,
                RecordType = report.Completed ? ProgressRecordType.Completed : ProgressRecordType.Processing,
            });

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
            FailureCategory.PermissionDenied => ErrorCategory.PermissionDenied,
            FailureCategory.WriteError => ErrorCategory.WriteError,
            FailureCategory.ResourceBusy => ErrorCategory.ResourceBusy,
            _ => ErrorCategory.InvalidOperation,
        };
    }
}
