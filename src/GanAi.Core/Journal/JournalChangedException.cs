using System;
using System.Globalization;
using System.IO;

namespace GanAi.Journal
{
    /// <summary>
    /// Something else wrote to the journal, or cut it, during the run: its length is not where this
    /// run's last line left it. Most often the same file was also given to another command of the
    /// pipeline (<c>-JournalPath out.csv | Export-Csv out.csv</c>). Nothing more may be written to it.
    /// </summary>
    public sealed class JournalChangedException : IOException
    {
        /// <summary>Another handle of this process has the journal open for writing (<see cref="FileIdentity.IsOpenForWritingElsewhere"/>).</summary>
        internal JournalChangedException(string path)
            : base($"The journal '{path}' is also open for writing by another command of this PowerShell (Export-Csv, Out-File, Tee-Object or a > redirection given the same path, say): its output would be mixed into the journal. Give the journal a file of its own.")
        {
            Length = -1;
            Expected = -1;
        }

        internal JournalChangedException(string path, long length, long expected)
            : base(string.Format(CultureInfo.InvariantCulture,
                "The journal '{0}' was changed by something else during the run: it is {1:N0} bytes long, where this run's last line ended at {2:N0}. " +
                "Is the same file also written by another command (Export-Csv, Out-File, Tee-Object, another program)? Give the journal a file of its own.",
                path, length, expected))
        {
            Length = length;
            Expected = expected;
        }

        /// <summary>The file's length when the run was about to write (-1: not measured, another writer was found).</summary>
        public long Length { get; }

        /// <summary>Where the run's own last line ended.</summary>
        public long Expected { get; }
    }
}
