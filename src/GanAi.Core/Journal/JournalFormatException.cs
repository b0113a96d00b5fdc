using System.IO;

namespace GanAi.Journal
{
    /// <summary>A file given as a journal that is not one this version reads; it was not changed.</summary>
    public sealed class JournalFormatException : IOException
    {
        internal JournalFormatException(string message)
            : base(message)
        {
        }
    }
}
