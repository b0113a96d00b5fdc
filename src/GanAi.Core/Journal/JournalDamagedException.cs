using System.Collections.Generic;
using System.IO;

namespace GanAi.Journal
{
    /// <summary>
    /// Lines of the journal that cannot be read, elsewhere than at its end: a row they named might be
    /// sent again as if never sent, so nothing is sent until the journal is mended. It was not changed.
    /// </summary>
    public sealed class JournalDamagedException : IOException
    {
        internal JournalDamagedException(string message, IReadOnlyList<long> lines)
            : base(message)
        {
            Lines = lines;
        }

        /// <summary>The numbers (from 1, the header's line included) of the first unreadable lines.</summary>
        public IReadOnlyList<long> Lines { get; }
    }
}
