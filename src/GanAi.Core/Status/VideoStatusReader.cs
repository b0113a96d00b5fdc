using System;
using System.Globalization;
using System.Text.Json;
using System.Threading;
using System.Threading.Tasks;
using GanAi.Api;

namespace GanAi.Status
{
    /// <summary>GET /projects/{project_id}/inference/{inference_id}/video_status, read into a <see cref="VideoStatus"/>.</summary>
    internal static class VideoStatusReader
    {
        public static async Task<VideoStatus> GetAsync(ApiCaller caller, VideoRef video, CancellationToken cancellationToken, Func<Task>? beforeEachAttempt = null)
        {
            var path = ApiPaths.VideoStatus(video.ProjectId, video.InferenceId);
            var answer = await caller.GetAsync(path, "Status of video " + (video.UniqueId ?? video.InferenceId), cancellationToken, beforeEachAttempt).ConfigureAwait(false);
            return Parse(answer.Body, video);
        }

        internal static VideoStatus Parse(byte[] body, VideoRef video)
        {
            using var document = JsonDocument.Parse(body, new JsonDocumentOptions { MaxDepth = GanJsonContext.MaxDepth });
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
                throw new GanApiException("The video status is not the documented JSON object.", 200, null);

            var text = Text(root, "gen_status");
            return new VideoStatus(video.ProjectId, video.InferenceId, video.UniqueId)
            {
                RequestId = video.RequestId,
                GenStatusText = text,
                GenStatus = ParseStatus(text),
                VideoUrl = Text(root, "video_url"),
                AudioUrl = Text(root, "audio_url") ?? video.AudioUrl,
                Permalink = Text(root, "permalink"),
                ThumbnailUrl = Text(root, "thumbnail_url"),
                SmartUrl = Text(root, "smart_url"),
                Error = root.TryGetProperty("error", out var error) ? ReadError(error) : null,
                CheckedAt = DateTimeOffset.Now,
            };
        }

        /// <summary>SUCCEEDED -> Succeeded, LIPSYNC_PENDING -> LipsyncPending; anything else -> Unrecognized.</summary>
        internal static GenStatus ParseStatus(string? text) => GanModelFactory.GenStatusFrom(text);

        /// <summary>null, {}, "" and "None" mean no error (all three are documented); a message is taken from an object when it has one.</summary>
        internal static string? ReadError(JsonElement error)
        {
            switch (error.ValueKind)
            {
                case JsonValueKind.Null:
                case JsonValueKind.Undefined:
                case JsonValueKind.False:
                    return null;
                case JsonValueKind.String:
                    var text = error.GetString();
                    return string.IsNullOrWhiteSpace(text) || string.Equals(text!.Trim(), "None", StringComparison.OrdinalIgnoreCase) ||
                        string.Equals(text.Trim(), "null", StringComparison.OrdinalIgnoreCase) ? null : text;
                case JsonValueKind.Object:
                    var any = false;
                    foreach (var _ in error.EnumerateObject())
                    {
                        any = true;
                        break;
                    }
                    if (!any) return null;
                    var message = Text(error, "message") ?? Text(error, "detail");
                    var code = error.TryGetProperty("status_code", out var c) ? c.GetRawText() : null;
                    if (message is null) return error.GetRawText();
                    return code is null ? message : string.Format(CultureInfo.InvariantCulture, "{0} (status {1})", message, code);
                default:
                    return error.GetRawText();
            }
        }

        private static string? Text(JsonElement item, string name) =>
            item.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String && value.GetString() is { Length: > 0 } text ? text : null;
    }
}
