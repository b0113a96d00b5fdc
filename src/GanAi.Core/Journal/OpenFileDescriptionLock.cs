using System;
using System.IO;
using System.Runtime.InteropServices;

namespace GanAi.Journal
{
    /// <summary>
    /// An exclusive open file description lock (Linux 3.15 and later, 64-bit): held by the open file
    /// itself, so closing another handle to the same file in this process does not release it, and
    /// the kernel drops it when the last handle goes (the process dies, even by kill -9). It
    /// conflicts with classic fcntl locks on the same bytes, so older runs are kept out as well.
    /// </summary>
    internal static class OpenFileDescriptionLock
    {
        private const int F_OFD_SETLK = 37;
        private const short F_WRLCK = 1;
        private const short SEEK_SET = 0;
        private const int EINVAL = 22;
        private const int EAGAIN = 11;
        private const int EACCES = 13;

        // struct flock on 64-bit Linux (x64, arm64 and the other LP64 ABIs): 32 bytes.
        [StructLayout(LayoutKind.Sequential)]
        private struct Flock
        {
            public short Type;
            public short Whence;
            public long Start;
            public long Length;
            public int Pid; // 0: required for open file description locks
        }

        [DllImport("libc", EntryPoint = "fcntl", SetLastError = true)]
        private static extern int Fcntl(int fd, int command, ref Flock flock);

        /// <summary>
        /// Locks one byte of <paramref name="file"/> at <paramref name="offset"/>. False when the
        /// system has no such locks (an older kernel, another C library): take a classic lock instead.
        /// </summary>
        /// <exception cref="IOException">Another open file holds the byte.</exception>
        public static bool TryLock(FileStream file, long offset)
        {
            var handle = file.SafeFileHandle;
            var added = false;
            try
            {
                handle.DangerousAddRef(ref added);
                var request = new Flock { Type = F_WRLCK, Whence = SEEK_SET, Start = offset, Length = 1 };
                if (Fcntl(handle.DangerousGetHandle().ToInt32(), F_OFD_SETLK, ref request) == 0) return true;
                var error = Marshal.GetLastWin32Error();
                if (error == EAGAIN || error == EACCES) throw new IOException("The file is locked by another process.");
                if (error == EINVAL) return false;
                throw new IOException("fcntl(F_OFD_SETLK) failed: error " + error.ToString(System.Globalization.CultureInfo.InvariantCulture) + ".");
            }
            catch (Exception ex) when (ex is EntryPointNotFoundException || ex is DllNotFoundException)
            {
                return false;
            }
            finally
            {
                if (added) handle.DangerousRelease();
            }
        }
    }
}
