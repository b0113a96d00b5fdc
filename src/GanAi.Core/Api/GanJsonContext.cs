using System.Collections.Generic;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace GanAi.Api
{
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
