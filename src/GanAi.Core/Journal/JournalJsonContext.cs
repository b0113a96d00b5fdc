using System.Text.Json.Serialization;

namespace GanAi.Journal
{
    [JsonSourceGenerationOptions(GenerationMode = JsonSourceGenerationMode.Metadata, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
    [JsonSerializable(typeof(JournalEntry))]
    [JsonSerializable(typeof(JournalHeader))]
    internal sealed partial class JournalJsonContext : JsonSerializerContext
    {
    }
}
