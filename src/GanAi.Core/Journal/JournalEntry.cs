using System;
using System.Text.Json.Serialization;

namespace GanAi.Journal
{
    /// <summary>One line of the journal: a row's status (<see cref="RunJournal"/>'s constants), its ids, its result when created, and its count of sends.</summary>
    public sealed class JournalEntry
    {
        [JsonPropertyName("status")] public string? Status { get; set; }
        /// <summary>The journal's fields of a row's ids (its own format, not the API's; a torn line is read by them).</summary>
        internal const string ProjectIdField = "project_id", UniqueIdField = "unique_id";

        [JsonPropertyName(ProjectIdField)] public string? ProjectId { get; set; }
        [JsonPropertyName(UniqueIdField)] public string? UniqueId { get; set; }
        [JsonPropertyName("inference_id")] public string? InferenceId { get; set; }
        [JsonPropertyName("video_url")] public string? VideoUrl { get; set; }
        [JsonPropertyName("audio_url")] public string? AudioUrl { get; set; }
        [JsonPropertyName("thumbnail_url")] public string? ThumbnailUrl { get; set; }
        [JsonPropertyName("smart_url")] public string? SmartUrl { get; set; }
        [JsonPropertyName("permalink")] public string? Permalink { get; set; }
        [JsonPropertyName("possible_duplicate")] public bool PossibleDuplicate { get; set; }

        /// <summary>The bulk request that made the video (a created line's; absent from lines written before it was kept).</summary>
        [JsonPropertyName("request_id")] public string? RequestId { get; set; }

        /// <summary>
        /// The row's sends that may have made its video, in every run of the journal so far (a sending
        /// line counts its own send). Null in lines of version 1, which did not count.
        /// </summary>
        [JsonPropertyName("send_count")] public int? SendCount { get; set; }

        [JsonPropertyName("recorded_at")] public DateTimeOffset RecordedAt { get; set; }

        [JsonIgnore] public bool IsCreated => Status == RunJournal.Created;
    }
}
