using System.Collections.Generic;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace GanAi.Api
{
    // Wire shapes of the service, kept internal: the public output types are plain classes mapped
    // from these, so the public surface never depends on which System.Text.Json copy loaded.

    internal sealed class BulkVideoItemDto
    {
        [JsonPropertyName("video_url")] public string? VideoUrl { get; set; }
        [JsonPropertyName("audio_url")] public string? AudioUrl { get; set; }
        [JsonPropertyName("inference_id")] public string? InferenceId { get; set; }
        [JsonPropertyName("project_id")] public string? ProjectId { get; set; }
        [JsonPropertyName("unique_id")] public string? UniqueId { get; set; }
        [JsonPropertyName("smart_url")] public string? SmartUrl { get; set; }
        [JsonPropertyName("permalink")] public string? Permalink { get; set; }
        [JsonPropertyName("thumbnail_url")] public string? ThumbnailUrl { get; set; }
    }

    internal sealed class ErrorBodyDto
    {
        [JsonPropertyName("detail")] public JsonElement Detail { get; set; }
    }

    [JsonSourceGenerationOptions(GenerationMode = JsonSourceGenerationMode.Metadata)]
    [JsonSerializable(typeof(List<BulkVideoItemDto>))]
    [JsonSerializable(typeof(ErrorBodyDto))]
    internal sealed partial class GanJsonContext : JsonSerializerContext
    {
        /// <summary>Answers are depth-capped before they are parsed: a hostile answer gives an error, not a stack dive.</summary>
        public const int MaxDepth = 16;

        public static GanJsonContext Strict { get; } = new GanJsonContext(new JsonSerializerOptions { MaxDepth = MaxDepth });
    }
}
