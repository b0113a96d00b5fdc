using System;
using System.Threading.Tasks;

namespace GanAi.Downloads
{
    /// <summary>
    /// A media file could not be written on this machine (a full disk, a folder removed or made
    /// read-only during the run, a file held by another program). Not an IOException on purpose: the
    /// retry pipeline retries IOExceptions (a connection dropped mid-body), and downloading the file
    /// again cannot make room on the disk.
    /// </summary>
    internal sealed class LocalFileException : Exception
    {
        public LocalFileException(string path, Exception inner)
            : base($"'{path}' could not be written: {inner.Message.TrimEnd().TrimEnd('.')}.", inner)
        {
            Path = path;
        }

        /// <summary>The file's final path (not its temporary name).</summary>
        public string Path { get; }

        /// <summary>Runs a file operation; what the file system throws (IOException, UnauthorizedAccessException) becomes a LocalFileException naming <paramref name="path"/>.</summary>
        public static T Guard<T>(Func<T> fileOperation, string path)
        {
            try
            {
                return fileOperation();
            }
            catch (Exception ex) when (IsFileSystemFailure(ex))
            {
                throw new LocalFileException(path, ex);
            }
        }

        /// <summary>The same for an operation without a value (a rename).</summary>
        public static void Guard(Action fileOperation, string path) => Guard(() => { fileOperation(); return true; }, path);

        /// <summary>The same for an asynchronous write.</summary>
        public static async Task GuardAsync(Func<Task> fileOperation, string path)
        {
            try
            {
                await fileOperation().ConfigureAwait(false);
            }
            catch (Exception ex) when (IsFileSystemFailure(ex))
            {
                throw new LocalFileException(path, ex);
            }
        }

        private static bool IsFileSystemFailure(Exception exception) => exception is System.IO.IOException || exception is UnauthorizedAccessException;
    }
}
