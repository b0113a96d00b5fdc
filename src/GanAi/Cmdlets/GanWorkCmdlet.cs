using System;
using System.Management.Automation;
using GanAi.Batching;
using GanAi.Concurrency;

namespace GanAi.Cmdlets
{
    /// <summary>
    /// What the per-video cmdlets share (Get-GanVideoStatus, Wait-GanVideo, Save-GanVideo): each
    /// pipeline item becomes background work on a <see cref="WorkQueue"/>; outcomes are written as
    /// they finish, from the pipeline thread only; progress shows done / total; a refused token
    /// ends the command once the work in flight is written, each refused item with its own error.
    /// </summary>
    public abstract class GanWorkCmdlet : GanCmdlet
    {
        private ProgressReporter? _progress;
        private WorkQueue? _queue;
        private ItemError? _ending;
        private object? _endingTarget;

        /// <summary>The whole input object, so an error record carries it as its target.</summary>
        [Parameter(ValueFromPipeline = true, DontShow = true)]
        public PSObject? InputObject { get; set; }

        /// <summary>Requests in flight at once.</summary>
        [Parameter]
        [ValidateRange(1, 64)]
        public int ThrottleLimit { get; set; } = 8;

        /// <summary>Retries of a request after a transient failure (408, 429, 5xx, dropped connection, timeout).</summary>
        [Parameter]
        [ValidateRange(0, 20)]
        public int MaxRetries { get; set; } = 5;

        protected long Submitted { get; private set; }
        protected long Done { get; private set; }
        protected long Failed { get; private set; }

        /// <summary>The activity shown in the progress bar.</summary>
        protected abstract string Activity { get; }

        protected WorkQueue Queue => _queue ??= new WorkQueue(ThrottleLimit, CancellationToken);

        /// <summary>Submits work for the current pipeline item; its error target is the input object (or <paramref name="fallbackTarget"/> without pipeline input).</summary>
        protected void Submit(Func<WorkQueue, System.Threading.Tasks.Task<object?>> work, Func<Exception, ItemError?> describeError, object fallbackTarget)
        {
            Submitted++;
            Queue.Submit(InputObject ?? fallbackTarget, work, describeError);
            WriteReady();
        }

        /// <summary>An input that cannot be worked on: its error, written at once, still counted.</summary>
        protected void FailItem(ItemError error, object fallbackTarget)
        {
            Submitted++;
            Done++;
            Failed++;
            WriteError(ItemErrorRecord(error, InputObject ?? fallbackTarget));
        }

        /// <summary>Writes one finished item: the output, or nothing when it was written already.</summary>
        protected abstract void WriteOutcome(object input, object? output);

        protected void WriteReady()
        {
            if (_queue is null) return;
            while (_queue.TryTake(out var item)) Handle(item!);
            ThrowIfEnded();
            ReportProgress();
        }

        protected override void EndProcessing()
        {
            if (_queue != null)
            {
                while (_queue.Pending > 0)
                {
                    Handle(Block(_queue.Take));
                    ReportProgress();
                }
            }
            ThrowIfEnded();
            if (Progress.Done() is { } done) WriteProgressReport(2, done);
        }

        protected override void Dispose(bool disposing)
        {
            if (disposing) _queue?.Dispose();
            base.Dispose(disposing);
        }

        private void Handle(PipelineEvent item)
        {
            switch (item)
            {
                case PipelineMessage message:
                    WriteMessage(message);
                    break;
                case ItemOutcome outcome:
                    Done++;
                    if (outcome.Error is { } error)
                    {
                        Failed++;
                        if (WorkQueue.EndsCommand(error))
                        {
                            _ending ??= error;
                            _endingTarget ??= outcome.Input;
                        }
                        // Refused items too: every input taken ends as one output or one error.
                        WriteError(ItemErrorRecord(error, outcome.Input));
                    }
                    else
                    {
                        WriteOutcome(outcome.Input, outcome.Output);
                    }
                    break;
            }
        }

        /// <summary>
        /// The run-ending rule, for items: after a refused token, a Retry-After over the cap or a
        /// service that cannot be reached, once the work in flight is written (each item taken with its
        /// own error of that ErrorId), one terminating error of the same ErrorId ends the command.
        /// </summary>
        private void ThrowIfEnded()
        {
            if (_ending is null) return;
            while (_queue!.Pending > 0) Handle(Block(_queue.Take));
            var message = _ending.ErrorId == ErrorIds.TokenRefused
                ? "The service refused the token. Run Connect-GanAi with a valid token and run the command again."
                : _ending.Exception.Message;
            var reported = GanModelFactory.RunEnding(_ending.ErrorId, message, _ending.Exception);
            ThrowTerminatingError(new ErrorRecord(reported, _ending.ErrorId, ToCategory(_ending.Category), _endingTarget));
        }

        private ProgressReporter Progress => _progress ??= new ProgressReporter(Activity);

        /// <summary>The progress bar's text, in the style of every command's (<see cref="ProgressText"/>): done of total, errors, the time so far, unless a cmdlet says more.</summary>
        protected virtual string ProgressStatus(TimeSpan elapsed) => ProgressText.Join(
            ProgressText.Number(Done) + " of " + ProgressText.Number(Submitted) + " done",
            ProgressText.Count(Failed, "error", "errors"),
            ProgressText.Elapsed(elapsed));

        private void ReportProgress()
        {
            if (!Progress.IsDue) return;
            var report = Progress.Next(ProgressStatus(Progress.Elapsed), Submitted == 0 ? 0 : (int)(100 * Done / Submitted));
            if (report != null) WriteProgressReport(2, report);
        }
    }
}
