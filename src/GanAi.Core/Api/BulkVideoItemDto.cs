using System.Text.Json.Serialization;

namespace GanAi.Api
{
    internal sealed class BulkVideoItemDto
    {
        [JsonPropertyName("video_url")] public string? VideoUrl { get; set; }
        [JsonPropertyName("audio_url")] public string? AudioUrl { get; set; }
        [JsonPropertyName("inference_id")] public string? InferenceId { get; set; }
        [JsonPropertyName("project_id")] public string? ProjectId { get; set; }
        /// <summary>The field of a video's id, the caller's key, in the API's JSON (request and answer).</summary>
        public const string UniqueIdField = "unique_id";

        [JsonPropertyName(UniqueIdField)] public string? UniqueId { get; set; }
        [JsonPropertyName("smart_url")] public string? SmartUrl { get; set; }
        [JsonPropertyName("permalink")] public string? Permalink { get; set; }
        [JsonPropertyName("thumbnail_url")] public string? ThumbnailUrl { get; set; }
    }
}
