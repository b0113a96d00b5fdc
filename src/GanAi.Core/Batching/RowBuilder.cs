using System;
using System.Collections.Generic;
using System.Globalization;

namespace GanAi.Batching
{
    /// <summary>
    /// Checks one input row and turns it into a <see cref="VideoRow"/>: every property becomes a tag
    /// (text), the id property gives <c>unique_id</c>. A row that cannot be sent as it is gets a
    /// <see cref="RowFailure"/> that says which property and why; the other rows go on.
    /// </summary>
    public sealed class RowBuilder
    {
        /// <summary>
        /// Longest accepted <c>unique_id</c>, in UTF-16 code units. Gan.ai documents no limit; ids are
        /// also used for file names (Save-GanVideo) and journal keys, so they are kept short.
        /// </summary>
        public const int MaxUniqueIdLength = 256;

        private readonly string _idProperty;
        private readonly bool _idIsCustom;

        /// <param name="uniqueIdProperty">The property holding the id; null or empty means <c>unique_id</c>.</param>
        public RowBuilder(string? uniqueIdProperty)
        {
            _idProperty = string.IsNullOrEmpty(uniqueIdProperty) ? VideoBatchOptions.DefaultUniqueIdProperty : uniqueIdProperty!;
            // Any other id column leaves a column named like the API's field unsent: the API's field is the id.
            _idIsCustom = !string.Equals(_idProperty, Api.BulkVideoItemDto.UniqueIdField, StringComparison.OrdinalIgnoreCase);
        }

        /// <summary>
        /// Set once a row had its own <c>unique_id</c> property while <c>-UniqueIdProperty</c> named
        /// another one: that column is not sent (the named property gives the id).
        /// </summary>
        public bool IgnoredUniqueIdColumn { get; private set; }

        /// <summary>
        /// After a MissingUniqueId: the row had no id property at all (absent, not blank), and the
        /// names of the properties it did have. For the first row this means no row can be sent.
        /// </summary>
        public IReadOnlyList<string>? ColumnsWithoutId { get; private set; }

        /// <summary>Builds the row, or says why it cannot be sent. Property names compare case-insensitively, as in PowerShell.</summary>
        public bool TryBuild(long number, object source, IEnumerable<KeyValuePair<string, object?>> properties, out VideoRow? row, out RowFailure? failure)
        {
            row = null;
            failure = null;
            ColumnsWithoutId = null;
            string? uniqueId = null;
            var idSeen = false;
            var spareIdSeen = false;
            var tags = new List<KeyValuePair<string, string>>(properties is ICollection<KeyValuePair<string, object?>> known ? known.Count : 4);

            foreach (var property in properties)
            {
                var name = property.Key;
                if (string.IsNullOrWhiteSpace(name))
                {
                    failure = Fail(ErrorIds.InvalidTagName, number,
                        "has a property with an empty name; every tag needs a name. Give the column a header.");
                    return false;
                }
                if (FindFlaw(name, out var flawAt) is var flaw && flaw != TextFlaw.None)
                {
                    failure = Fail(ErrorIds.InvalidTagName, number, flaw == TextFlaw.LoneSurrogate
                        ? "has a property name that is not valid Unicode (a lone surrogate); it cannot be sent as JSON. Rename the column."
                        : string.Format(CultureInfo.InvariantCulture, "has a property name with the control character U+{0:X4}; no tag is named so. Rename the column.", (int)name[flawAt]));
                    return false;
                }
                if (name.IndexOf(ReplacementCharacter) >= 0)
                {
                    failure = Misdecoded(number, "the name of its property '" + name + "'");
                    return false;
                }
                if (MisreadUtf8.Find(name) is { } misreadName)
                {
                    failure = Misread(number, "the name of its property '" + name + "'", misreadName);
                    return false;
                }
                var isId = IsName(name, _idProperty);
                var isSpareIdColumn = _idIsCustom && IsName(name, Api.BulkVideoItemDto.UniqueIdField);
                // A case twin of a name already read: the id, the spare unique_id column, or a tag.
                if (isId ? idSeen : isSpareIdColumn ? spareIdSeen : ContainsName(tags, name))
                {
                    failure = Fail(ErrorIds.DuplicateTagName, number,
                        $"has two properties named '{name}' that differ only by case; the service would not know which to use. Rename or remove one.");
                    return false;
                }

                if (isSpareIdColumn)
                {
                    spareIdSeen = true;
                    IgnoredUniqueIdColumn = true;
                    continue;
                }
                if (isId) idSeen = true;

                if (!TagValueFormatter.TryFormat(property.Value, out var text, out var refusal))
                {
                    failure = refusal switch
                    {
                        TagValueFormatter.Refusal.Null => Fail(ErrorIds.TagValueNull, number, isId
                            ? $"has no value (null, or a database's NULL) for its id '{name}'; every row needs its own id."
                            : $"has no value (null, or a database's NULL) for '{name}'. Give it a value, or an empty string if that is really meant."),
                        TagValueFormatter.Refusal.NotFinite => Fail(ErrorIds.TagValueNotRenderable, number,
                            $"has {TagValueFormatter.Describe(refusal)} as the value of '{name}'; its video would say '{property.Value}'. Give it a number or a text."),
                        _ => Fail(ErrorIds.TagValueNotScalar, number,
                            $"has {TagValueFormatter.Describe(refusal)} as the value of '{name}'; a tag takes one text value. Join or pick the value before sending."),
                    };
                    return false;
                }
                switch (FindFlaw(text, out var at))
                {
                    case TextFlaw.LoneSurrogate:
                        failure = Fail(ErrorIds.TagValueInvalidText, number,
                            $"has text in '{name}' that is not valid Unicode (a lone surrogate); it cannot be sent as JSON.");
                        return false;
                    case TextFlaw.ControlCharacter:
                        failure = Fail(ErrorIds.TagValueNotRenderable, number, string.Format(CultureInfo.InvariantCulture,
                            "has the control character U+{0:X4} at position {1} of '{2}'; its video would say a broken text. {3}", (int)text[at], at + 1, name,
                            text[at] >= '\u0080'
                                ? "U+0080 to U+009F are most often a UTF-8 file read as Latin-1: read it again with Import-Csv -Encoding UTF8."
                                : "Remove it (tab, CR and LF are kept)."));
                        return false;
                }
                if (text.IndexOf(ReplacementCharacter) >= 0)
                {
                    failure = Misdecoded(number, $"'{name}' ('{Shorten(text)}')");
                    return false;
                }
                if (MisreadUtf8.Find(text) is { } misread)
                {
                    failure = Misread(number, $"'{name}' ('{Shorten(text)}')", misread);
                    return false;
                }

                if (isId)
                {
                    uniqueId = text;
                    // The id column is a tag too, unless it is unique_id itself (sent once, as the id).
                    if (!_idIsCustom) continue;
                }
                tags.Add(new KeyValuePair<string, string>(name, text));
            }

            if (string.IsNullOrWhiteSpace(uniqueId))
            {
                failure = Fail(ErrorIds.MissingUniqueId, number,
                    idSeen && tags.TrueForAll(tag => string.IsNullOrWhiteSpace(tag.Value))
                        ? "is blank (every value is empty), as from an empty line at the end of a spreadsheet's CSV; nothing was sent for it."
                        : idSeen
                        ? $"has an empty '{_idProperty}'; every row needs its own id."
                        : $"has no '{_idProperty}' property; every row needs its own id." + (DelimiterHint(tags.ConvertAll(tag => tag.Key), _idProperty) ??
                            " Add a unique_id column, or name the id column with -UniqueIdProperty."));
                if (!idSeen) ColumnsWithoutId = tags.ConvertAll(tag => tag.Key);
                return false;
            }
            if (uniqueId!.Length > MaxUniqueIdLength)
            {
                failure = Fail(ErrorIds.UniqueIdTooLong, number,
                    $"has a '{_idProperty}' of {uniqueId.Length} characters; at most {MaxUniqueIdLength} are accepted.");
                return false;
            }

            row = new VideoRow(number, source, uniqueId, tags);
            return true;
        }

        private static bool IsName(string a, string b) => string.Equals(a, b, StringComparison.OrdinalIgnoreCase);

        /// <summary>What a decoder puts where it could not read a byte: a sign the file was read with the wrong encoding.</summary>
        private const char ReplacementCharacter = '\uFFFD';

        /// <summary>
        /// Text with U+FFFD: most likely a file saved in another encoding (Excel on Windows writes
        /// Windows-1252) and read as UTF-8, "Björn" arriving as "Bj\uFFFDrn". Refused, so no paid video
        /// says a broken name; one that is meant is refused too (docs say so).
        /// </summary>
        private static RowFailure Misdecoded(long number, string where) => Fail(ErrorIds.MisdecodedText, number,
            $"has the replacement character U+FFFD in {where}: the file was most likely read with the wrong encoding, and its video would say a broken name. " +
            "Read it again with its encoding, e.g. Import-Csv -Encoding 1252 (a CSV saved by Excel on Windows) or -Encoding Latin1; a U+FFFD that is meant cannot be sent.");

        /// <summary>
        /// UTF-8 read as Windows-1252 (<see cref="MisreadUtf8"/>): refused like U+FFFD, and for one
        /// more reason: its id would not match the row read right, so a journal would send it again.
        /// </summary>
        private static RowFailure Misread(long number, string where, (string Found, string Meant) misread) => Fail(ErrorIds.MisdecodedText, number,
            $"has '{misread.Found}' in {where}, which is how '{misread.Meant}' looks when a UTF-8 file is read as Windows-1252 (Windows PowerShell's Import-Csv does that with a file that has no byte order mark): its video would say a broken name. " +
            "Read the file again with Import-Csv -Encoding UTF8.");

        private static string Shorten(string text) => text.Length <= 40 ? text : text.Substring(0, 40) + "...";

        private static readonly char[] Delimiters = { ';', '\t', '|', ',' };

        /// <summary>
        /// A CSV read with the wrong delimiter (Excel writes ';' in many locales) gives one column
        /// named like "unique_id;first_name": says which delimiter to give Import-Csv. Null otherwise.
        /// The row's error and the run's end (<see cref="RunEndedException.NoIdColumn"/>) both use it, so they name one fix.
        /// </summary>
        internal static string? DelimiterHint(IEnumerable<string> columns, string idProperty)
        {
            foreach (var column in columns)
            {
                if (column.IndexOf(idProperty, StringComparison.OrdinalIgnoreCase) < 0) continue;
                var at = column.IndexOfAny(Delimiters);
                if (at < 0) continue;
                var delimiter = column[at] == '\t' ? "\"`t\"" : "'" + column[at] + "'";
                return $" Its column '{column}' looks like several columns in one: read the file with Import-Csv -Delimiter {delimiter}.";
            }
            return null;
        }

        private static bool ContainsName(List<KeyValuePair<string, string>> tags, string name)
        {
            for (var i = 0; i < tags.Count; i++)
            {
                if (IsName(tags[i].Key, name)) return true;
            }
            return false;
        }

        private enum TextFlaw
        {
            None,
            /// <summary>Half of a surrogate pair: not Unicode, so not JSON.</summary>
            LoneSurrogate,
            /// <summary>
            /// NUL, BEL, ESC and the other C0 and C1 controls (DEL too): nothing a video can say, most
            /// often a paste from a terminal or a binary column. Tab, CR and LF are text (docs/security.md).
            /// </summary>
            ControlCharacter,
        }

        /// <summary>The first flaw in <paramref name="text"/> and where it is, in one pass (it runs on every value of every row).</summary>
        private static TextFlaw FindFlaw(string text, out int at)
        {
            for (var i = 0; i < text.Length; i++)
            {
                var c = text[i];
                if (c < '\u0020')
                {
                    if (c == '\t' || c == '\r' || c == '\n') continue;
                    at = i;
                    return TextFlaw.ControlCharacter;
                }
                if (c < '\u007F') continue;
                if (c <= '\u009F')
                {
                    at = i;
                    return TextFlaw.ControlCharacter;
                }
                if (!char.IsSurrogate(c)) continue;
                if (char.IsHighSurrogate(c) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]))
                {
                    i++;
                    continue;
                }
                at = i;
                return TextFlaw.LoneSurrogate;
            }
            at = -1;
            return TextFlaw.None;
        }

        /// <summary>A failure of a checked row: "Row N (unique_id 'x')" followed by <paramref name="rest"/>.</summary>
        internal static RowFailure Fail(VideoRow row, string errorId, string rest, Exception? exception = null) =>
            Fail(row, errorId, Failures.CategoryOf(errorId), rest, exception);

        /// <summary>As above, in the category of the API failure behind it (a 429 is LimitsExceeded; docs/errors.md).</summary>
        internal static RowFailure Fail(VideoRow row, string errorId, FailureCategory category, string rest, Exception? exception = null) =>
            new RowFailure(errorId, category, string.Format(CultureInfo.InvariantCulture, "Row {0} (unique_id '{1}'){2}", row.Number, row.UniqueId, rest), exception, row.Number, row.UniqueId);

        internal static RowFailure Fail(string errorId, long number, string what, string? uniqueId = null) =>
            new RowFailure(errorId, string.Format(CultureInfo.InvariantCulture, "Row {0} {1}", number, what), rowNumber: number, uniqueId: uniqueId);
    }
}
