namespace GanAi.Batching
{
    /// <summary>
    /// UTF-8 text that was read as Windows-1252 or Latin-1 ("café" arriving as "cafÃ©"): what
    /// Windows PowerShell 5.1's Import-Csv makes of a UTF-8 file without a byte order mark, and what
    /// Excel does with one. Such a row would get a video that says a broken name, and its id would not
    /// match the same row read right (a journal would send it again as new).
    /// </summary>
    /// <remarks>
    /// Found by shape: a character that is a UTF-8 lead byte read as one character (U+00C2 to U+00F4)
    /// followed by as many characters as that lead byte needs continuation bytes, each a continuation
    /// byte (0x80 to 0xBF) as Latin-1 or Windows-1252 read it. Real text almost never has that shape
    /// ("Ã©", "â€™"); Portuguese "São", French "Ça" or Danish "Ærø" do not.
    /// </remarks>
    internal static class MisreadUtf8
    {
        /// <summary>The first such sequence in <paramref name="text"/>, and what it was meant to say; null when there is none.</summary>
        public static (string Found, string Meant)? Find(string text)
        {
            for (var i = 0; i < text.Length; i++)
            {
                var lead = text[i];
                if (lead < '\u00C2' || lead > '\u00F4') continue; // the usual case: ASCII, or no lead byte
                var needed = lead <= '\u00DF' ? 1 : lead <= '\u00EF' ? 2 : 3;
                if (i + needed >= text.Length) continue;
                var bytes = new byte[needed + 1];
                bytes[0] = (byte)lead;
                var all = true;
                for (var k = 1; k <= needed && all; k++) all = TryContinuation(text[i + k], out bytes[k]);
                if (!all) continue;
                string meant;
                try
                {
                    meant = new System.Text.UTF8Encoding(false, throwOnInvalidBytes: true).GetString(bytes);
                }
                catch (System.ArgumentException)
                {
                    continue; // not a character UTF-8 can encode (an overlong or surrogate form)
                }
                return (text.Substring(i, needed + 1), meant);
            }
            return null;
        }

        /// <summary>The byte 0x80 to 0xBF that Latin-1 or Windows-1252 read as <paramref name="c"/>.</summary>
        private static bool TryContinuation(char c, out byte value)
        {
            if (c >= '\u0080' && c <= '\u00BF')
            {
                value = (byte)c;
                return true;
            }
            var at = c == '\0' ? -1 : Windows1252High.IndexOf(c);
            value = (byte)(0x80 + at);
            return at >= 0;
        }

        /// <summary>Windows-1252's characters for the bytes 0x80 to 0x9F, in order ('\0' where it has none: those read as U+0080 to U+009F, above).</summary>
        private const string Windows1252High =
            "\u20AC\0\u201A\u0192\u201E\u2026\u2020\u2021\u02C6\u2030\u0160\u2039\u0152\0\u017D\0" +
            "\0\u2018\u2019\u201C\u201D\u2022\u2013\u2014\u02DC\u2122\u0161\u203A\u0153\0\u017E\u0178";
    }
}
