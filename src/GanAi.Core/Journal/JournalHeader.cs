using System.Text.Json.Serialization;

namespace GanAi.Journal
{
    /// <summary>The journal's first line: what the file is, its format's version, and the property the rows' ids came from.</summary>
    internal sealed class JournalHeader
    {
        public const string FormatName = "GanAi.Journal";

        /// <summary>2: each line counts its row's sends (send_count), and a sending line is written before every send.</summary>
        public const int CurrentVersion = 2;

        [JsonPropertyName("format")] public string? Format { get; set; }
        [JsonPropertyName("version")] public int Version { get; set; }
        [JsonPropertyName("unique_id_property")] public string? UniqueIdProperty { get; set; }
    }
}
