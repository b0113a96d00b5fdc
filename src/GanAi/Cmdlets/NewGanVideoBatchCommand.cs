using System;
using System.Management.Automation;
using GanAi.Batching;
using GanAi.Concurrency;
using GanAi.Resilience;
using GanAi.Rows;

namespace GanAi.Cmdlets
{
    /// <summary>
    /// <para type="synopsis">Creates one personalized video per input row, in batches, through Gan.ai's bulk endpoint.</para>
    /// </summary>
    /// <remarks>
    /// An adapter: it binds parameters, reads each pipeline object's properties (<see cref="PSRowReader"/>)
    /// and hands them to a <see cref="VideoBatchSession"/>, which owns the run; the session asks and
    /// writes through <see cref="IVideoBatchHost"/> (the nested <c>SessionHost</c>), on the pipeline thread.
    /// </remarks>
    [Cmdlet(VerbsCommon.New, "GanVideoBatch", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
    [OutputType(typeof(VideoResult))]
    public sealed class NewGanVideoBatchCommand : GanApiCmdlet
    {
        private readonly PSRowReader _reader = new PSRowReader();
        private VideoBatchSession? _session;
        private TerminationGrace? _termination;
        private bool _warningsSilenced;

        /// <summary>The rows: objects whose properties are the tags of one video each.</summary>
        [Parameter(Mandatory = true, ValueFromPipeline = true)]
        [AllowNull]
        public PSObject InputObject { get; set; } = null!;

        /// <summary>The project (template video) to render the rows with.</summary>
        [Parameter(Mandatory = true, Position = 0)]
        [ValidateNotNullOrEmpty]
        [ArgumentCompleter(typeof(Completion.ProjectIdCompleter))]
        public string ProjectId { get; set; } = string.Empty;

        /// <summary>The property that holds each row's id (sent as unique_id). Default: unique_id.</summary>
        [Parameter]
        [ValidateNotNullOrEmpty]
        public string UniqueIdProperty { get; set; } = VideoBatchOptions.DefaultUniqueIdProperty;

        /// <summary>Rows per request to the bulk endpoint.</summary>
        [Parameter]
        [ValidateRange(1, VideoBatchOptions.MaxBatchSize)]
        public int BatchSize { get; set; } = 100;

        /// <summary>
        /// The most requests in flight at once. Without it, the number adapts: it starts at 4, grows
        /// (up to 32) while the service's latency is the bottleneck, and halves on a 429.
        /// </summary>
        [Parameter]
        [ValidateRange(1, VideoBatchOptions.MaxThrottleLimit)]
        public int ThrottleLimit { get; set; } = VideoBatchOptions.DefaultMaxConcurrency;

        /// <summary>
        /// Retries of a request after an answer that proves nothing was made (429, 408, a connection never
        /// made). Sends after an unclear answer are capped per row instead (docs/delivery.md).
        /// </summary>
        [Parameter]
        [ValidateRange(0, 20)]
        public int MaxRetries { get; set; } = 5;

        /// <summary>Time limit of one attempt of one request, in seconds.</summary>
        [Parameter]
        [ValidateRange(1, 3600)]
        public int TimeoutSec { get; set; } = 100;

        /// <summary>
        /// At-most-once: never send a batch again once its request may have reached the service; such
        /// rows end as OutcomeUnknown instead of possibly being rendered twice.
        /// </summary>
        [Parameter]
        public SwitchParameter NoRetryAfterSend { get; set; }

        /// <summary>
        /// A JSON-lines file that records every result as it arrives. Run the same command again with
        /// the same journal and rows already recorded are not sent; their recorded results are written.
        /// </summary>
        [Parameter]
        [ValidateNotNullOrEmpty]
        public string? JournalPath { get; set; }

        /// <summary>
        /// With -JournalPath: send once more the rows an earlier run held as OutcomeUnknown (unknown, or at
        /// their cap of sends). Their results have PossibleDuplicate set: an earlier request may have made a video.
        /// </summary>
        [Parameter]
        public SwitchParameter RetryUnknown { get; set; }

        /// <summary>
        /// Sends rows without the pre-flight check (reading the project's tags and credits first). Rows
        /// that lack a tag then fail at the service instead of before sending.
        /// </summary>
        [Parameter]
        public SwitchParameter SkipPreflight { get; set; }

        protected override void BeginProcessing()
        {
            // Read now, in the caller's scope: when a stopped run says what it waits for (Dispose), that scope may be gone.
            var warnings = MyInvocation.BoundParameters.TryGetValue("WarningAction", out var bound) ? bound : GetVariableValue("WarningPreference");
            // A preference set in a script is often a string ('SilentlyContinue'): converted as PowerShell would.
            _warningsSilenced = LanguagePrimitives.TryConvertTo<ActionPreference>(warnings, out var preference) &&
                (preference == ActionPreference.SilentlyContinue || preference == ActionPreference.Ignore);
            var whatIf = IsWhatIf();
            var options = new VideoBatchOptions(ProjectId)
            {
                UniqueIdProperty = UniqueIdProperty,
                BatchSize = BatchSize,
                ThrottleLimit = ThrottleLimit,
                Resilience = new ResilienceSettings { MaxRetries = MaxRetries, AttemptTimeout = TimeSpan.FromSeconds(TimeoutSec), RetryAfterSend = !NoRetryAfterSend },
                JournalPath = JournalPath is null ? null : FileSystemPath(JournalPath, nameof(JournalPath)),
                RetryUnknown = RetryUnknown,
                SkipPreflight = SkipPreflight,
                WhatIf = whatIf,
            };
            // A dry run needs no connection; a real one fails here (NotConnected) before anything else.
            var connection = whatIf ? ConnectionAtHand() : ResolveConnection();
            _session = new VideoBatchSession(options, new SessionHost(this), CancellationToken);
            // SIGTERM stops a run that sends as Ctrl+C does, within the stop's grace period and a margin
            // (docker stop kills after 10 s); then the process ends with 143 (docs/rows-and-results.md).
            if (!whatIf) _termination = TerminationGrace.Watch(StopProcessing, options.StopGracePeriod + TimeSpan.FromSeconds(3));
            Step(() => _session.Begin(connection));
        }

        protected override void ProcessRecord()
        {
            // Per row: no closure, as Step would need (PowerShell's own cost per row is the floor here).
            // A SIGTERM cancels the token without stopping the pipeline: rows still arriving are not read.
            if (CancellationToken.IsCancellationRequested) throw new PipelineStoppedException();
            try
            {
                var number = _session!.NextRowNumber;
                if (_reader.TryRead(number, InputObject, out var properties, out var failure)) _session.Add(InputObject, properties!);
                else _session.Refuse(failure!, InputObject);
            }
            catch (RunEndedException ended)
            {
                ThrowRunEnded(ended);
            }
            catch (OperationCanceledException) when (CancellationToken.IsCancellationRequested)
            {
                throw new PipelineStoppedException();
            }
        }

        protected override void EndProcessing() => Step(() => _session!.End());

        protected override void Dispose(bool disposing)
        {
            if (disposing)
            {
                _session?.Dispose();
                // After the session: its stop has given the rows in flight their journal state.
                _termination?.Dispose();
            }
            base.Dispose(disposing);
        }

        /// <summary>A step of the session: the run's end becomes one terminating error, and Ctrl+C a stopped pipeline.</summary>
        private void Step(Action step)
        {
            try
            {
                Block(() =>
                {
                    step();
                    return true;
                });
            }
            catch (RunEndedException ended)
            {
                ThrowRunEnded(ended);
            }
        }

        private void ThrowRunEnded(RunEndedException ended) =>
            ThrowTerminatingError(new ErrorRecord(ended.Reported, ended.ErrorId, ToCategory(ended.Category), ended.Target));

        /// <summary>
        /// The session's way to the user and the streams. A nested class, not an interface of the
        /// cmdlet: PowerShell reads the cmdlet's type before the module's dependencies (GanAi.Core)
        /// can load, so the cmdlet's own signature names none of their types.
        /// </summary>
        private sealed class SessionHost : IVideoBatchHost
        {
            private readonly NewGanVideoBatchCommand _cmdlet;

            public SessionHost(NewGanVideoBatchCommand cmdlet) => _cmdlet = cmdlet;

            public bool ShouldProcess(string target, string action) => _cmdlet.ShouldProcess(target, action);

            public bool ConfirmBeyondCredits(string question) =>
                !(_cmdlet.MyInvocation.BoundParameters.TryGetValue("Confirm", out var confirm) && LanguagePrimitives.IsTrue(confirm)) ||
                _cmdlet.ShouldContinue(question, "Not enough credits");

            /// <summary>The typed result; its tags show as properties through <see cref="Results.VideoResultAdapter"/>.</summary>
            public void WriteResult(VideoResult result) => _cmdlet.WriteObject(result);

            public void WriteRowError(RowFailure failure, object target) => _cmdlet.WriteError(RowError(failure, target));

            public void WriteMessage(PipelineMessage message) => _cmdlet.WriteMessage(message);

            public void WriteProgress(ProgressReport report) => _cmdlet.WriteProgressReport(1, report);

            /// <summary>
            /// While a journaled run stops (Ctrl+C, an early end), its streams are closed, so this says on
            /// the host why the prompt is not back yet, unless warnings are silenced (-WarningAction, or
            /// $WarningPreference). Never throws: a host without a UI simply shows nothing.
            /// </summary>
            public void TellWhileStopping(string text)
            {
                try
                {
                    if (!_cmdlet._warningsSilenced) _cmdlet.Host?.UI?.WriteWarningLine(text);
                }
                catch (Exception ex) when (ex is NotImplementedException || ex is NotSupportedException || ex is InvalidOperationException || ex is System.IO.IOException)
                {
                }
            }
        }
    }
}
