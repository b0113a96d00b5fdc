using System;
using System.Globalization;
using System.Linq;

namespace GanAi.Concurrency
{
    /// <summary>
    /// The pieces of every command's progress line, in one style: numbers first, grouped by thousands,
    /// joined by " · ", the time so far as h:mm:ss. PowerShell 7's minimal view gives the activity and
    /// this text one line of 120 columns ($PSStyle.Progress.MaxWidth) and cuts what does not fit, so
    /// each piece is short and the line stays well under that with six-digit counts.
    /// </summary>
    internal static class ProgressText
    {
        public const string Separator = " · ";

        /// <summary>The parts that are not null, joined.</summary>
        public static string Join(params string?[] parts) => string.Join(Separator, parts.Where(part => part != null));

        public static string Number(long value) => value.ToString("N0", CultureInfo.InvariantCulture);

        /// <summary>"1 row read", "1,999 rows read".</summary>
        public static string Count(long value, string one, string many) => Number(value) + " " + (value == 1 ? one : many);

        /// <summary>How many per second so far, whole above 10 ("1,420 rows/s"), with a tenth below ("0.4 reads/s").</summary>
        public static string Rate(double count, TimeSpan elapsed, string unit)
        {
            var rate = elapsed.TotalSeconds > 0 ? count / elapsed.TotalSeconds : 0;
            return rate.ToString(rate >= 10 ? "N0" : "0.#", CultureInfo.InvariantCulture) + " " + unit;
        }

        /// <summary>The time so far as h:mm:ss ("0:01:24"; "26:00:05" after a day).</summary>
        public static string Elapsed(TimeSpan elapsed) => string.Format(CultureInfo.InvariantCulture, "{0}:{1:00}:{2:00}",
            (long)elapsed.TotalHours, elapsed.Minutes, elapsed.Seconds);
    }
}
