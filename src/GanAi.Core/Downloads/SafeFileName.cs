using System;
using System.Collections.Generic;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace GanAi.Downloads
{
    /// <summary>
    /// File names made from ids (unique_id holds whatever the CSV held: '/', ':', '..', control
    /// characters, reserved names). The name is safe on Windows, macOS and Linux and never leaves
    /// its folder: every character that is not allowed somewhere, and '%' itself, is written as
    /// %XX (its UTF-8 bytes), so different ids always give different names; names too long for a
    /// file system are shortened and end with a hash of the whole id.
    /// </summary>
    public static class SafeFileName
    {
        /// <summary>Bytes kept for the name before its extension: well under the 255 of common file systems.</summary>
        public const int MaxStemBytes = 180;

        private static readonly HashSet<string> ReservedNames = new HashSet<string>(StringComparer.OrdinalIgnoreCase)
        {
            "CON", "PRN", "AUX", "NUL", "CONIN$", "CONOUT$",
            "COM0", "COM1", "COM2", "COM3", "COM4", "COM5", "COM6", "COM7", "COM8", "COM9",
            "LPT0", "LPT1", "LPT2", "LPT3", "LPT4", "LPT5", "LPT6", "LPT7", "LPT8", "LPT9",
        };

        /// <summary>The file name stem for <paramref name="id"/> (without extension).</summary>
        public static string Stem(string id)
        {
            if (string.IsNullOrEmpty(id)) throw new ArgumentException("An empty id cannot name a file.", nameof(id));
            var builder = new StringBuilder(id.Length + 8);
            for (var i = 0; i < id.Length; i++)
            {
                var c = id[i];
                var edge = i == 0 || i == id.Length - 1;
                if (char.IsHighSurrogate(c) && i + 1 < id.Length && char.IsLowSurrogate(id[i + 1]))
                {
                    builder.Append(c).Append(id[i + 1]);
                    i++;
                }
                else if (char.IsSurrogate(c))
                {
                    builder.Append("%u").Append(((int)c).ToString("X4", CultureInfo.InvariantCulture));
                }
                else if (NeedsEscape(c) || (edge && (c == ' ' || c == '.')) )
                {
                    foreach (var b in Encoding.UTF8.GetBytes(new[] { c })) builder.Append('%').Append(b.ToString("X2", CultureInfo.InvariantCulture));
                }
                else
                {
                    builder.Append(c);
                }
            }

            var stem = builder.ToString();
            var baseName = stem.Split('.')[0];
            if (ReservedNames.Contains(baseName.TrimEnd(' '))) stem = "%" + ((int)stem[0]).ToString("X2", CultureInfo.InvariantCulture) + stem.Substring(1);
            if (Encoding.UTF8.GetByteCount(stem) > MaxStemBytes) return Shorten(stem, id);
            // An id that is literally another id's shortened (or disambiguated) form, "<cut>~<hash>",
            // would share its file: its '~' is escaped. Only that form changes, so other files keep their names.
            return LooksShortened(stem) ? stem.Substring(0, stem.Length - HashLength - 1) + "%7E" + stem.Substring(stem.Length - HashLength) : stem;
        }

        private const int HashLength = 16;

        /// <summary>Ends with '~' and 16 lowercase hex digits: the form <see cref="Shorten"/> and <see cref="Disambiguated"/> give.</summary>
        private static bool LooksShortened(string stem)
        {
            if (stem.Length < HashLength + 1 || stem[stem.Length - HashLength - 1] != '~') return false;
            for (var i = stem.Length - HashLength; i < stem.Length; i++)
            {
                var c = stem[i];
                if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) return false;
            }
            return true;
        }

        /// <summary>A different, still deterministic stem for an id whose name collides with another id's on a case-insensitive file system.</summary>
        public static string Disambiguated(string id) => Cut(Stem(id), MaxStemBytes - 18) + "~" + Hash(id);

        private static bool NeedsEscape(char c) =>
            c < 0x20 || c == 0x7F || c == '%' || c == '/' || c == '\\' || c == ':' || c == '*' || c == '?' || c == '"' || c == '<' || c == '>' || c == '|' ||
            (c >= 0x80 && c <= 0x9F) || c == '\u2028' || c == '\u2029' || c == '\uFEFF' || c == '\u202E' || c == '\u202D';

        private static string Shorten(string stem, string id) => Cut(stem, MaxStemBytes - 18) + "~" + Hash(id);

        /// <summary>At most <paramref name="maxBytes"/> UTF-8 bytes, never cutting a %XX escape or a surrogate pair.</summary>
        private static string Cut(string stem, int maxBytes)
        {
            var bytes = 0;
            var end = 0;
            while (end < stem.Length)
            {
                var length = stem[end] == '%' && end + 1 < stem.Length ? (stem[end + 1] == 'u' ? 6 : 3) : char.IsHighSurrogate(stem[end]) ? 2 : 1;
                var size = Encoding.UTF8.GetByteCount(stem.Substring(end, Math.Min(length, stem.Length - end)));
                if (bytes + size > maxBytes) break;
                bytes += size;
                end += length;
            }
            return stem.Substring(0, Math.Min(end, stem.Length)).TrimEnd('.', ' ');
        }

        private static string Hash(string id)
        {
            using var sha = SHA256.Create();
            var digest = sha.ComputeHash(Encoding.UTF8.GetBytes(id));
            var text = new StringBuilder(16);
            for (var i = 0; i < 8; i++) text.Append(digest[i].ToString("x2", CultureInfo.InvariantCulture));
            return text.ToString();
        }
    }
}
