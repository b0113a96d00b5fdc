using System;
using System.Collections.Generic;
using System.Globalization;
using System.Text;
using System.Text.Json;

namespace GanAi.Api
{
    /// <summary>Reads FastAPI error bodies: <c>{"detail": "text"}</c> or <c>{"detail": [{"loc": [...], "msg": "...", "type": "..."}]}</c>.</summary>
    internal static class ErrorBodyReader
    {
        public static GanApiException ToException(ApiResponse response, string what)
        {
            var (detail, issues) = Read(response.Body); // the token is out of the body already (GanApiClient)
            var message = new StringBuilder();
            message.Append(what).Append(": the service answered ").Append(response.StatusText);
            if (!string.IsNullOrEmpty(detail)) message.Append(": ").Append(detail);
            else if (issues.Count > 0) message.Append(": ").Append(issues[0].Message);
            return new GanApiException(message.ToString(), response.Status, detail, issues, retryAfter: response.RetryAfter);
        }

        public static (string? Detail, IReadOnlyList<ValidationIssue> Issues) Read(byte[] body)
        {
            if (body.Length == 0) return (null, Array.Empty<ValidationIssue>());
            ErrorBodyDto? dto;
            try
            {
                dto = JsonSerializer.Deserialize(body, GanJsonContext.Strict.ErrorBodyDto);
            }
            catch (JsonException)
            {
                return (Snippet(body), Array.Empty<ValidationIssue>());
            }
            if (dto is null) return (null, Array.Empty<ValidationIssue>());

            var detail = dto.Detail;
            switch (detail.ValueKind)
            {
                case JsonValueKind.String:
                    return (detail.GetString(), Array.Empty<ValidationIssue>());
                case JsonValueKind.Array:
                    var issues = new List<ValidationIssue>();
                    foreach (var item in detail.EnumerateArray())
                    {
                        if (item.ValueKind == JsonValueKind.Object) issues.Add(ReadIssue(item));
                    }
                    return (null, issues);
                case JsonValueKind.Undefined:
                case JsonValueKind.Null:
                    return (null, Array.Empty<ValidationIssue>());
                default:
                    return (detail.GetRawText(), Array.Empty<ValidationIssue>());
            }
        }

        private static ValidationIssue ReadIssue(JsonElement item)
        {
            var location = new List<string>();
            int? index = null;
            if (item.TryGetProperty("loc", out var loc) && loc.ValueKind == JsonValueKind.Array)
            {
                var position = 0;
                foreach (var part in loc.EnumerateArray())
                {
                    if (part.ValueKind == JsonValueKind.Number && part.TryGetInt32(out var n))
                    {
                        // ["body", i, ...]: the item index is the number right after "body".
                        if (position == 1 && location.Count == 1 && location[0] == "body") index = n;
                        location.Add(n.ToString(CultureInfo.InvariantCulture));
                    }
                    else
                    {
                        location.Add(part.ValueKind == JsonValueKind.String ? part.GetString() ?? string.Empty : part.GetRawText());
                    }
                    position++;
                }
            }
            var message = item.TryGetProperty("msg", out var msg) && msg.ValueKind == JsonValueKind.String ? msg.GetString() ?? string.Empty : "invalid";
            var type = item.TryGetProperty("type", out var t) && t.ValueKind == JsonValueKind.String ? t.GetString() : null;
            return new ValidationIssue(location, index, message, type);
        }

        /// <summary>The start of a body that is not JSON (a proxy's HTML page, say), for the message.</summary>
        public static string Snippet(byte[] body)
        {
            var text = Encoding.UTF8.GetString(body, 0, Math.Min(body.Length, 200));
            var builder = new StringBuilder(text.Length);
            foreach (var c in text) builder.Append(char.IsControl(c) ? ' ' : c);
            return builder.ToString().Trim() + (body.Length > 200 ? "..." : string.Empty);
        }
    }
}
