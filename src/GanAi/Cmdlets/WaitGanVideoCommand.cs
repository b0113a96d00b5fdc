using System;
using System.Threading;
using System.Management.Automation;
using GanAi.Api;
using GanAi.Concurrency;
using GanAi.Status;

namespace GanAi.Cmdlets
{
    /// <summary>
    /// <para type="synopsis">Waits until created videos are finished, and writes each one as it finishes.</para>
    /// </summary>
    [Cmdlet(VerbsLifecycle.Wait, "GanVideo")]
    [OutputType(typeof(VideoStatus))]
    public sealed class WaitGanVideoCommand : GanVideoReferenceCmdlet
    {
        private ApiCaller? _caller;
        private DateTime _deadline;
        private WaitSettings _settings = new WaitSettings();
        private StatusPolling? _polling;
        private CancellationTokenSource? _stopReading;

        /// <summary>How long to wait in all, in seconds, counted from the start of the command. Videos not finished by then get a WaitTimedOut error.</summary>
        [Parameter]
        [ValidateRange(1, 7 * 24 * 3600)]
        public int TimeoutSec { get; set; } = 3600;

        /// <summary>The first pause between two status reads of one video, in seconds; later pauses grow by half each time, up to 30 s.</summary>
        [Parameter]
        [ValidateRange(0.1, 300)]
        public double PollIntervalSec { get; set; } = 2;

        /// <summary>
        /// The most status reads the whole command makes in any one second (default 50), whatever the
        /// number of videos; when several reads are due, the earliest input goes first. See
        /// docs/videos.md for what waiting costs and why this default.
        /// </summary>
        [Parameter]
        [ValidateRange(1.0, 10000.0)] // double bounds: 0.6 is refused as 0.6, not taken as 1
        public double MaxReadsPerSecond { get; set; } = DefaultMaxReadsPerSecond;

        /// <summary>The default ceiling: docs/videos.md says why.</summary>
        public const double DefaultMaxReadsPerSecond = 50;

        protected override string Activity => "Wait-GanVideo";

        protected override string ProgressStatus(TimeSpan elapsed) => ProgressText.Join(
            ProgressText.Number(Done - Failed) + " finished",
            ProgressText.Number(Failed) + " failed",
            ProgressText.Number(Submitted - Done) + " pending",
            ProgressText.Rate(_polling?.Reads.Granted ?? 0, elapsed, "reads/s"),
            ProgressText.Elapsed(elapsed));

        protected override void BeginProcessing()
        {
            _caller = CreateCaller(ResolveConnection(), MaxRetries, 100, text => Queue.Message(text));
            _deadline = DateTime.UtcNow + TimeSpan.FromSeconds(TimeoutSec);
            var first = TimeSpan.FromSeconds(PollIntervalSec);
            _settings = new WaitSettings { FirstInterval = first, MaxInterval = first > _settings.MaxInterval ? first : _settings.MaxInterval };
            _polling = new StatusPolling(MaxReadsPerSecond);
            // Ends every wait for a turn to read: Ctrl+C, the command's end, the deadline.
            _stopReading = CancellationTokenSource.CreateLinkedTokenSource(Queue.Cancellation, Queue.Ended);
            _stopReading.CancelAfter(TimeSpan.FromSeconds(TimeoutSec));
        }

        protected override void Dispose(bool disposing)
        {
            if (disposing) _stopReading?.Dispose();
            base.Dispose(disposing);
        }

        protected override void ProcessRecord()
        {
            var video = CurrentVideo();
            var caller = _caller!;
            var settings = _settings;
            var deadline = _deadline;
            var polling = _polling!;
            var polled = polling.Add(video); // here, on the pipeline thread: input order decides the leaders
            var stopReading = _stopReading!.Token;
            Submit(async queue => await VideoWaiter.WaitAsync(caller, queue, video, settings, deadline, polling, polled, stopReading).ConfigureAwait(false),
                VideoErrors.For(video.UniqueId, video.InferenceId), video);
        }
    }
}
