using System;
using System.IO;

namespace GanAi.Journal
{
    /// <summary>The journal is held by another run (in this process or another, through any name).</summary>
    public sealed class JournalBusyException : IOException
    {
        internal JournalBusyException(string message, Exception? inner)
            : base(message, inner)
        {
        }
    }
}
