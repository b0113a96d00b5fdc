using System;
using System.Management.Automation;
using GanAi.Api;
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

        /// <summary>How long to wait in all, in seconds, counted from the start of the command. Videos not finished by then get a WaitTimedOut error.</summary>
        [Parameter]
        [ValidateRange(1, 7 * 24 * 3600)]
        public int TimeoutSec { get; set; } = 3600;

        /// <summary>The first pause between two status reads of one video, in seconds; later pauses grow by half each time, up to 30 s.</summary>
        [Parameter]
        [ValidateRange(0.1, 300)]
        public double PollIntervalSec { get; set; } = 2;

        protected override string Activity => "Wait-GanVideo";

        protected override void BeginProcessing()
        {
            _caller = CreateCaller(ResolveConnection(), MaxRetries, 100, text => Queue.Message(text));
            _deadline = DateTime.UtcNow + TimeSpan.FromSeconds(TimeoutSec);
            var first = TimeSpan.FromSeconds(PollIntervalSec);
            _settings = new WaitSettings { FirstInterval = first, MaxInterval = first > _settings.MaxInterval ? first : _settings.MaxInterval };
        }

        protected override void ProcessRecord()
        {
            var video = CurrentVideo();
            var caller = _caller!;
            var settings = _settings;
            var deadline = _deadline;
            Submit(async queue => await VideoWaiter.WaitAsync(caller, queue, video, settings, deadline).ConfigureAwait(false),
                VideoErrors.For(video.UniqueId, video.InferenceId), video);
        }
    }
}
