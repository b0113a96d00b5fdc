using System.Collections.Generic;

namespace GanAi.Api
{
    /// <summary>One entry of a FastAPI 422 <c>detail</c> array.</summary>
    public sealed class ValidationIssue
    {
        internal ValidationIssue(IReadOnlyList<string> location, int? itemIndex, string message, string? type)
        {
            Location = location;
            ItemIndex = itemIndex;
            Message = message;
            Type = type;
        }

        /// <summary>The <c>loc</c> path, as text (e.g. body, 3, names).</summary>
        public IReadOnlyList<string> Location { get; }

        /// <summary>The index of the item in the request body that the issue is about, when <c>loc</c> says so.</summary>
        public int? ItemIndex { get; }

        /// <summary>The service's message (<c>msg</c>).</summary>
        public string Message { get; }

        /// <summary>The service's error type (<c>type</c>), e.g. missing or string_type.</summary>
        public string? Type { get; }

        /// <summary>The field the issue is about: the last element of the location after the item index.</summary>
        public string? Field => ItemIndex.HasValue && Location.Count > 2 ? Location[Location.Count - 1] : null;
    }
}
