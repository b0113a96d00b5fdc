using System;
using System.Collections;
using System.Globalization;

namespace GanAi.Batching
{
    /// <summary>
    /// Turns one property value into the text the service receives. Strings go as given, byte for
    /// byte; numbers, dates, booleans and other scalars as invariant-culture text; arrays, nested
    /// objects and dictionaries are refused (the service takes one string per tag), and so are a
    /// database's NULL (<see cref="DBNull"/>, as null) and numbers that are no number (NaN, ±Infinity).
    /// </summary>
    public static class TagValueFormatter
    {
        /// <summary>What a refused value was, for the error message.</summary>
        public enum Refusal
        {
            None,
            Null,
            Array,
            Dictionary,
            NestedObject,
            /// <summary>NaN or ±Infinity: a video would say "NaN" where a number was meant.</summary>
            NotFinite,
        }

        public static bool TryFormat(object? value, out string text, out Refusal refusal)
        {
            refusal = Refusal.None;
            text = string.Empty;
            switch (value)
            {
                case null:
                case DBNull _: // a NULL from a database (a DataRow's column, Invoke-Sqlcmd)
                    refusal = Refusal.Null;
                    return false;
                case string s:
                    text = s;
                    return true;
                case bool b:
                    text = b ? "True" : "False";
                    return true;
                case char c:
                    text = c.ToString();
                    return true;
                case DateTime dateTime:
                    text = FormatDate(dateTime);
                    return true;
                case DateTimeOffset offset:
                    text = offset.ToString(offset.TimeOfDay == TimeSpan.Zero && offset.Offset == TimeSpan.Zero ? "yyyy-MM-dd" : "yyyy-MM-dd'T'HH:mm:ss.FFFFFFFzzz", CultureInfo.InvariantCulture);
                    return true;
                case double d when double.IsNaN(d) || double.IsInfinity(d):
                case float f when float.IsNaN(f) || float.IsInfinity(f):
#if NET5_0_OR_GREATER
                case Half h when Half.IsNaN(h) || Half.IsInfinity(h):
#endif
                    refusal = Refusal.NotFinite;
                    return false;
                case double d:
                    text = d.ToString("R", CultureInfo.InvariantCulture);
                    return true;
                case float f:
                    text = f.ToString("R", CultureInfo.InvariantCulture);
                    return true;
                case Uri uri:
                    text = uri.OriginalString;
                    return true;
                case IDictionary _:
                    refusal = Refusal.Dictionary;
                    return false;
                case IEnumerable _:
                    refusal = Refusal.Array;
                    return false;
                case IFormattable formattable:
                    // Integers, decimal, BigInteger, Guid, TimeSpan, enums (by name).
                    text = formattable.ToString(null, CultureInfo.InvariantCulture);
                    return true;
                default:
                    refusal = Refusal.NestedObject;
                    return false;
            }
        }

        /// <summary>ISO 8601: a date alone when there is no time of day, else date and time (Z for UTC).</summary>
        private static string FormatDate(DateTime value)
        {
            if (value.TimeOfDay == TimeSpan.Zero) return value.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
            var text = value.ToString("yyyy-MM-dd'T'HH:mm:ss.FFFFFFF", CultureInfo.InvariantCulture);
            return value.Kind == DateTimeKind.Utc ? text + "Z" : text;
        }

        public static string Describe(Refusal refusal) => refusal switch
        {
            Refusal.Null => "null",
            Refusal.Array => "an array",
            Refusal.Dictionary => "a dictionary",
            Refusal.NotFinite => "a number that is not finite (NaN or Infinity)",
            _ => "a nested object",
        };
    }
}
