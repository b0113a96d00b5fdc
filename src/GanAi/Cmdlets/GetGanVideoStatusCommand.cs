using System.Management.Automation;
using GanAi.Api;
using GanAi.Status;

namespace GanAi.Cmdlets
{
    /// <summary>
    /// <para type="synopsis">Gets the status of created videos: PENDING, PROCESSING, SUCCEEDED, FAILED and the others.</para>
    /// </summary>
    [Cmdlet(VerbsCommon.Get, "GanVideoStatus")]
    [OutputType(typeof(VideoStatus))]
    public sealed class GetGanVideoStatusCommand : GanVideoReferenceCmdlet
    {
        private ApiCaller? _caller;

        /// <summary>Time limit of one attempt of one request, in seconds.</summary>
        [Parameter]
        [ValidateRange(1, 3600)]
        public int TimeoutSec { get; set; } = 100;

        protected override string Activity => "Get-GanVideoStatus";

        protected override void BeginProcessing()
        {
            _caller = CreateCaller(ResolveConnection(), MaxRetries, TimeoutSec, text => Queue.Message(text));
        }

        protected override void ProcessRecord()
        {
            var video = CurrentVideo();
            var caller = _caller!;
            Submit(queue => Run(queue, caller, video), VideoErrors.For(video.UniqueId, video.InferenceId), video);
        }

        private static async System.Threading.Tasks.Task<object?> Run(Concurrency.WorkQueue queue, ApiCaller caller, VideoRef video) =>
            await queue.ThrottledAsync(ct => VideoStatusReader.GetAsync(caller, video, ct)).ConfigureAwait(false);
    }
}
