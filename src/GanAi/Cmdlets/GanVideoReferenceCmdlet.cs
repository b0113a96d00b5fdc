using System.Management.Automation;
using GanAi.Completion;
using GanAi.Status;

namespace GanAi.Cmdlets
{
    /// <summary>
    /// The input of Get-GanVideoStatus and Wait-GanVideo: a created video's ProjectId and
    /// InferenceId, bound by property name, so the results of New-GanVideoBatch pipe straight in.
    /// The service's own names (project_id, inference_id, unique_id, audio_url) are aliases, so the
    /// journal's lines (ConvertFrom-Json) and the bulk endpoint's answers pipe in as well.
    /// </summary>
    public abstract class GanVideoReferenceCmdlet : GanWorkCmdlet
    {
        /// <summary>
        /// The connection to use (the object <c>Connect-GanAi -PassThru</c> returned). Without it, the
        /// connection made by the last <c>Connect-GanAi</c> in this process is used.
        /// </summary>
        [Parameter]
        [ValidateNotNull]
        public GanConnection? Connection { get; set; }

        /// <summary>-Connection, else the session's connection, else a terminating NotConnected error.</summary>
        protected GanConnection ResolveConnection() => GanApiCmdlet.Resolve(this, Connection);

        /// <summary>The project the video belongs to.</summary>
        [Parameter(Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true)]
        [Alias("project_id")]
        [ValidateNotNullOrEmpty]
        [ArgumentCompleter(typeof(ProjectIdCompleter))]
        public string ProjectId { get; set; } = string.Empty;

        /// <summary>The service's id of the video (a result's InferenceId).</summary>
        [Parameter(Mandatory = true, Position = 1, ValueFromPipelineByPropertyName = true)]
        [Alias("inference_id")]
        [ValidateNotNullOrEmpty]
        public string InferenceId { get; set; } = string.Empty;

        /// <summary>The caller's id of the row, carried over to the output.</summary>
        [Parameter(ValueFromPipelineByPropertyName = true)]
        [Alias("unique_id")]
        [AllowNull]
        [AllowEmptyString]
        public string? UniqueId { get; set; }

        /// <summary>Carried over from a New-GanVideoBatch result (the status answer has no audio URL), for Save-GanVideo -IncludeAudio.</summary>
        [Parameter(ValueFromPipelineByPropertyName = true, DontShow = true)]
        [Alias("audio_url")]
        [AllowNull]
        [AllowEmptyString]
        public string? AudioUrl { get; set; }

        /// <summary>
        /// The bulk request that made the video (a New-GanVideoBatch result's RequestId, or the
        /// journal's and an exported CSV's request_id): Wait-GanVideo waits for the videos of one
        /// request as a group. Carried over to the output.
        /// </summary>
        [Parameter(ValueFromPipelineByPropertyName = true)]
        [Alias("request_id")]
        [AllowNull]
        [AllowEmptyString]
        public string? RequestId { get; set; }

        /// <summary>The current item as a reference; the optional ids are reset per item, since an input without them leaves the previous value bound.</summary>
        protected VideoRef CurrentVideo()
        {
            var video = new VideoRef(ProjectId, InferenceId, string.IsNullOrEmpty(UniqueId) ? null : UniqueId, string.IsNullOrEmpty(AudioUrl) ? null : AudioUrl,
                string.IsNullOrEmpty(RequestId) ? null : RequestId);
            UniqueId = null;
            AudioUrl = null;
            RequestId = null;
            return video;
        }

        protected override void WriteOutcome(object input, object? output) => WriteObject(output);
    }
}
