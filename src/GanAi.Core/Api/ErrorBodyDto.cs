using System.Text.Json;
using System.Text.Json.Serialization;

namespace GanAi.Api
{
    internal sealed class ErrorBodyDto
    {
        [JsonPropertyName("detail")] public JsonElement Detail { get; set; }
    }
}
