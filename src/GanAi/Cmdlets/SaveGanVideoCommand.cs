using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Management.Automation;
using System.Threading.Tasks;
using GanAi.Batching;
using GanAi.Concurrency;
using GanAi.Downloads;
using GanAi.Status;

namespace GanAi.Cmdlets
{
    /// <summary>
    /// <para type="synopsis">Downloads finished videos (and, with switches, their thumbnails and audio) to files named after each UniqueId.</para>
    /// </summary>
    /// <remarks>
    /// Needs no connection: media URLs carry their own access, and the API token is never sent to them.
    /// </remarks>
    [Cmdlet(VerbsData.Save, "GanVideo", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Low)]
    [OutputType(typeof(FileInfo))]
    public sealed class SaveGanVideoCommand : GanWorkCmdlet
    {
        private MediaDownloader? _downloader;
        private FileNamePlanner? _planner;

        /// <summary>The folder to save into; created when missing.</summary>
        [Parameter(Mandatory = true, Position = 0)]
        [ValidateNotNullOrEmpty]
        public string Path { get; set; } = string.Empty;

        /// <summary>The caller's id of the row: the file's name (made safe for any file system). Without it, the InferenceId names the file.</summary>
        [Parameter(ValueFromPipelineByPropertyName = true)]
        [Alias("unique_id")]
        [AllowNull]
        [AllowEmptyString]
        public string? UniqueId { get; set; }

        /// <summary>The service's id of the video.</summary>
        [Parameter(ValueFromPipelineByPropertyName = true)]
        [Alias("inference_id")]
        [AllowNull]
        [AllowEmptyString]
        public string? InferenceId { get; set; }

        /// <summary>The video's URL (a result's or a status's VideoUrl).</summary>
        [Parameter(ValueFromPipelineByPropertyName = true)]
        [Alias("video_url")]
        [AllowNull]
        [AllowEmptyString]
        public string? VideoUrl { get; set; }

        /// <summary>The thumbnail's URL, for -IncludeThumbnail.</summary>
        [Parameter(ValueFromPipelineByPropertyName = true)]
        [Alias("thumbnail_url")]
        [AllowNull]
        [AllowEmptyString]
        public string? ThumbnailUrl { get; set; }

        /// <summary>The audio's URL, for -IncludeAudio.</summary>
        [Parameter(ValueFromPipelineByPropertyName = true)]
        [Alias("audio_url")]
        [AllowNull]
        [AllowEmptyString]
        public string? AudioUrl { get; set; }

        /// <summary>Also saves the thumbnail (UniqueId.jpg).</summary>
        [Parameter]
        public SwitchParameter IncludeThumbnail { get; set; }

        /// <summary>Also saves the audio (UniqueId.mp3).</summary>
        [Parameter]
        public SwitchParameter IncludeAudio { get; set; }

        /// <summary>Downloads again and replaces files that already exist (otherwise they are kept and written to the output as they are).</summary>
        [Parameter]
        public SwitchParameter Force { get; set; }

        /// <summary>Time limit of one attempt of one download, in seconds.</summary>
        [Parameter]
        [ValidateRange(1, 24 * 3600)]
        public int TimeoutSec { get; set; } = 600;

        protected override string Activity => "Save-GanVideo";

        protected override void BeginProcessing()
        {
            var folder = FileSystemPath(Path, nameof(Path));
            try
            {
                if (!IsWhatIf()) Directory.CreateDirectory(folder); // a dry run makes no folder either
                _planner = new FileNamePlanner(folder);
            }
            catch (Exception ex) when (ex is IOException || ex is UnauthorizedAccessException || ex is ArgumentException || ex is NotSupportedException)
            {
                ThrowTerminatingError(new ErrorRecord(ex, ErrorIds.FolderUnavailable, ErrorCategory.WriteError, folder));
            }
            _downloader = new MediaDownloader(Settings(MaxRetries, TimeoutSec));
            WriteVerbose($"Saving into {_planner!.Folder}, up to {ThrottleLimit} downloads at once.");
        }

        protected override void ProcessRecord()
        {
            var uniqueId = string.IsNullOrEmpty(UniqueId) ? null : UniqueId;
            var inferenceId = string.IsNullOrEmpty(InferenceId) ? null : InferenceId;
            var files = new List<(string Kind, string? Url)> { ("video", VideoUrl) };
            if (IncludeThumbnail) files.Add(("thumbnail", ThumbnailUrl));
            if (IncludeAudio) files.Add(("audio", AudioUrl));
            UniqueId = InferenceId = VideoUrl = ThumbnailUrl = AudioUrl = null; // an input without a property leaves the previous value bound
            var name = uniqueId ?? inferenceId;
            var target = (object?)uniqueId ?? inferenceId ?? "(no input)";

            if (name is null)
            {
                FailItem(Error(ErrorIds.InvalidVideoReference, "The input has neither a UniqueId nor an InferenceId to name its file.", null, null), target);
                return;
            }
            var plan = new List<(string Kind, Uri Url, string Path)>();
            foreach (var (kind, url) in files)
            {
                if (string.IsNullOrEmpty(url))
                {
                    FailItem(Error(ErrorIds.VideoNotReady, $"Video {name} has no {kind} URL yet; wait for it first (Wait-GanVideo).", uniqueId, inferenceId), target);
                    return;
                }
                Uri checkedUrl;
                try
                {
                    checkedUrl = MediaDownloader.CheckUrl(url!);
                }
                catch (ArgumentException ex)
                {
                    FailItem(Error(ErrorIds.InvalidMediaUrl, $"Video {name}: {ex.Message}", uniqueId, inferenceId), target);
                    return;
                }
                plan.Add((kind, checkedUrl, _planner!.PathFor(name, Extension(checkedUrl, kind))));
            }

            // -WhatIf says which files each video would be saved to; -Confirm asks per video. A video
            // declined is left alone (no output, no error), as PowerShell's own cmdlets do.
            if (!ShouldProcess(string.Join(", ", plan.Select(p => p.Path)), Force ? "Save video, replacing files that exist" : "Save video")) return;
            var downloader = _downloader!;
            var force = Force.IsPresent;
            Submit(queue => DownloadAllAsync(queue, downloader, plan, name, uniqueId, inferenceId, force), VideoErrors.For(uniqueId, inferenceId), target);
        }

        protected override void WriteOutcome(object input, object? output)
        {
            foreach (var (path, uniqueId, inferenceId, kind) in (List<(string, string?, string?, string)>)output!)
            {
                // The object Get-Item gives (the provider's PSPath and friends, so the default view shows
                // Mode, size and the rest), with the video's ids added.
                var file = InvokeProvider.Item.Get(new[] { path }, true, true).FirstOrDefault() ?? PSObject.AsPSObject(new FileInfo(path));
                file.Properties.Add(new PSNoteProperty("UniqueId", uniqueId));
                file.Properties.Add(new PSNoteProperty("InferenceId", inferenceId));
                file.Properties.Add(new PSNoteProperty("MediaKind", kind));
                WriteObject(file);
            }
        }

        protected override void Dispose(bool disposing)
        {
            if (disposing) _downloader?.Dispose();
            base.Dispose(disposing);
        }

        /// <summary>All files of one video, or one error: its files are written to the output only when all of them are there.</summary>
        private static async Task<object?> DownloadAllAsync(WorkQueue queue, MediaDownloader downloader, List<(string Kind, Uri Url, string Path)> plan, string name, string? uniqueId, string? inferenceId, bool force)
        {
            var saved = new List<(string, string?, string?, string)>();
            foreach (var (kind, url, path) in plan)
            {
                var what = $"Downloading the {kind} of {name}";
                DownloadOutcome outcome;
                try
                {
                    outcome = await queue.ThrottledAsync(ct => downloader.DownloadAsync(url, path, force, what, text => queue.Message(text), ct)).ConfigureAwait(false);
                }
                catch (Api.GanApiException refused)
                {
                    // Storage's answer (403, 404 ...), after the retries: not an API error of the service.
                    throw new VideoException(ErrorIds.DownloadFailed, refused.Message + " The file was not saved.", uniqueId, inferenceId, null, refused);
                }
                catch (MediaRedirectRefusedException redirect)
                {
                    throw new VideoException(ErrorIds.InvalidMediaUrl, $"Video {name}: {redirect.Message} The file was not saved.", uniqueId, inferenceId, null, redirect);
                }
                queue.Message(outcome == DownloadOutcome.Skipped ? $"{path} exists; kept (use -Force to download again)." : $"Saved {path}.");
                saved.Add((path, uniqueId, inferenceId, kind));
            }
            return saved;
        }

        /// <summary>The URL's own extension when it has a usual one, else the kind's.</summary>
        private static string Extension(Uri url, string kind)
        {
            var extension = System.IO.Path.GetExtension(url.AbsolutePath).ToLowerInvariant();
            var allowed = kind switch
            {
                "thumbnail" => new[] { ".jpg", ".jpeg", ".png", ".webp", ".gif" },
                "audio" => new[] { ".mp3", ".wav", ".m4a", ".aac", ".ogg" },
                _ => new[] { ".mp4", ".mov", ".webm", ".mkv" },
            };
            return Array.IndexOf(allowed, extension) >= 0 ? extension : allowed[0];
        }

        private static ItemError Error(string errorId, string message, string? uniqueId, string? inferenceId) =>
            new ItemError(errorId, VideoErrors.CategoryOf(errorId), new VideoException(errorId, message, uniqueId, inferenceId));
    }
}
