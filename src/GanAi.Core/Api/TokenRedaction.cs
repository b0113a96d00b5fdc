using System;
using System.Collections.Generic;
using System.Text;

namespace GanAi.Api
{
    /// <summary>
    /// Takes the caller's token out of what the service wrote (a reason phrase, an error's detail, a
    /// 200 answer's fields), should it ever echo the request: in any case, URL-encoded or
    /// JSON-escaped, and cut short (any run of at least <see cref="MinRun"/> characters from the
    /// start of one of those forms). Nothing the service wrote reaches a message, a result or the
    /// journal without passing here.
    /// </summary>
    internal static class TokenRedaction
    {
        public const string Placeholder = "[the token]";

        /// <summary>An echo cut shorter than this is not taken for the token (it would match too much).</summary>
        public const int MinRun = 8;

        public static string Redact(string text, string token)
        {
            if (string.IsNullOrEmpty(text) || string.IsNullOrEmpty(token)) return text;
            var forms = FormsOf(token);
            var at = 0;
            while (at < text.Length)
            {
                // The earliest echo of any form; there, the longest run any form matches (the raw and
                // the encoded token start alike and part where a character is escaped).
                var found = -1;
                foreach (var form in forms)
                {
                    var hit = text.IndexOf(Start(form), at, StringComparison.OrdinalIgnoreCase);
                    if (hit >= 0 && (found < 0 || hit < found)) found = hit;
                }
                if (found < 0) break;
                var length = 0;
                foreach (var form in forms) length = Math.Max(length, MatchedRun(text, found, form));
                text = text.Substring(0, found) + Placeholder + text.Substring(found + length);
                at = found + Placeholder.Length;
            }
            return text;
        }

        private static string Start(string form) => form.Substring(0, Math.Min(MinRun, form.Length));

        /// <summary>How many characters of <paramref name="form"/> (any case) <paramref name="text"/> holds at <paramref name="at"/>; 0 when fewer than its start.</summary>
        private static int MatchedRun(string text, int at, string form)
        {
            var length = 0;
            while (length < form.Length && at + length < text.Length && char.ToUpperInvariant(text[at + length]) == char.ToUpperInvariant(form[length])) length++;
            return length >= Start(form).Length ? length : 0;
        }

        /// <summary>
        /// A UTF-8 body with the token taken out. A success's body (a bulk answer is ~50 KB) is first
        /// searched with a few vectorized byte searches for the start of a form as written, upper- or
        /// lower-cased, and returned as it is when none is there; only then is it decoded and redacted
        /// (an echo in mixed case is missed there). An error's body, small and rare, is always redacted.
        /// </summary>
        public static byte[] Redact(byte[] body, string token, bool thorough)
        {
            if (body.Length == 0 || string.IsNullOrEmpty(token) || (!thorough && !MayHold(body, token))) return body;
            var text = Encoding.UTF8.GetString(body);
            var redacted = Redact(text, token);
            return ReferenceEquals(text, redacted) || text == redacted ? body : Encoding.UTF8.GetBytes(redacted);
        }

        private static bool MayHold(byte[] body, string token)
        {
            var span = new ReadOnlySpan<byte>(body);
            foreach (var form in FormsOf(token))
            {
                var start = Start(form);
                foreach (var variant in new[] { start, start.ToUpperInvariant(), start.ToLowerInvariant() })
                {
                    if (span.IndexOf(Encoding.UTF8.GetBytes(variant)) >= 0) return true;
                }
            }
            return false;
        }

        /// <summary>The token as written, URL-encoded, and JSON-escaped (each once).</summary>
        private static List<string> FormsOf(string token)
        {
            var forms = new List<string>(3) { token };
            var escaped = Uri.EscapeDataString(token);
            if (!forms.Contains(escaped)) forms.Add(escaped);
            var json = System.Text.Json.JsonEncodedText.Encode(token).ToString();
            if (!forms.Contains(json)) forms.Add(json);
            return forms;
        }
    }
}
