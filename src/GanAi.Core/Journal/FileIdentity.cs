using System;
using System.Globalization;
using System.IO;
using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;

namespace GanAi.Journal
{
    /// <summary>
    /// What makes a file itself, whatever name it was opened by: the device and inode on Linux and
    /// macOS, the volume serial number and file index on Windows. A symbolic link and a hard link to
    /// a journal give the journal's identity, so one lock keyed by it covers every name.
    /// </summary>
    /// <remarks>
    /// .NET has no public API for it, so it is read from the operating system: <c>fstat</c> (libc) on
    /// 64-bit Linux and macOS, where <c>st_dev</c> is the first field and <c>st_ino</c> the 64-bit
    /// field at offset 8 on every such ABI (x64 and arm64, glibc and musl; macOS with 64-bit inodes);
    /// <c>GetFileInformationByHandle</c> on Windows. Where neither applies (a 32-bit Unix process, a
    /// C library without the entry point), the identity is the full path, and only that name is
    /// covered: docs/delivery.md says so.
    /// </remarks>
    internal static class FileIdentity
    {
        /// <summary>The identity of the open file, as text usable in a file name.</summary>
        public static string Of(FileStream file)
        {
            try
            {
                if (RuntimeInformation.IsOSPlatform(OSPlatform.Windows)) return OfWindowsFile(file.SafeFileHandle);
                if (IntPtr.Size == 8) return OfUnixFile(file.SafeFileHandle);
            }
            catch (Exception ex) when (ex is EntryPointNotFoundException || ex is DllNotFoundException || ex is IOException)
            {
            }
            return ByPath(file.Name);
        }

        /// <summary>The fallback: the full path, hashed to a file name's length.</summary>
        internal static string ByPath(string path) =>
            "path-" + Ids.IdHash.Of(Path.GetFullPath(path)).ToString("x16", CultureInfo.InvariantCulture);

        private static string OfUnixFile(SafeFileHandle handle)
        {
            // 256 bytes: larger than struct stat on every 64-bit ABI (144 on Linux x64, 128 on arm64, 144 on macOS).
            var buffer = Marshal.AllocHGlobal(256);
            var added = false;
            try
            {
                handle.DangerousAddRef(ref added);
                var fd = handle.DangerousGetHandle().ToInt32();
                if (FStat(fd, buffer) != 0) throw new IOException("fstat failed: error " + Marshal.GetLastWin32Error().ToString(CultureInfo.InvariantCulture) + ".");
                var isMac = RuntimeInformation.IsOSPlatform(OSPlatform.OSX);
                var device = isMac ? (ulong)(uint)Marshal.ReadInt32(buffer, 0) : (ulong)Marshal.ReadInt64(buffer, 0);
                var inode = (ulong)Marshal.ReadInt64(buffer, 8);
                return string.Format(CultureInfo.InvariantCulture, "dev{0:x}-ino{1:x}", device, inode);
            }
            finally
            {
                if (added) handle.DangerousRelease();
                Marshal.FreeHGlobal(buffer);
            }
        }

        /// <summary>
        /// Linux: whether this process has the file of <paramref name="handle"/> open for writing through another
        /// handle, as another command of the same pipeline does when given the journal's path
        /// (Export-Csv, Out-File -Append, Tee-Object, a &gt;&gt; redirection). Those open their file before
        /// the run's first write, and Linux enforces no FileShare, so nothing else stops them; some
        /// write only when the pipeline ends, after the run's last line. False where it cannot be told
        /// (no /proc: macOS; Windows, where FileShare keeps other writers out).
        /// </summary>
        /// <remarks>
        /// Takes the handle, not the FileStream: reading <c>FileStream.SafeFileHandle</c> flushes the
        /// stream and makes it take its position from the operating system again, which must not
        /// happen while another thread writes through it.
        /// </remarks>
        public static bool IsOpenForWritingElsewhere(SafeFileHandle handle)
        {
            const string Descriptors = "/proc/self/fd";
            if (!RuntimeInformation.IsOSPlatform(OSPlatform.Linux) || IntPtr.Size != 8 || !Directory.Exists(Descriptors)) return false;
            var added = false;
            var buffer = Marshal.AllocHGlobal(256);
            try
            {
                handle.DangerousAddRef(ref added);
                var own = handle.DangerousGetHandle().ToInt32();
                if (FStat(own, buffer) != 0) return false;
                // Compared by st_dev and st_ino (see OfUnixFile): an fstat per descriptor, no file read until one matches.
                var device = Marshal.ReadInt64(buffer, 0);
                var inode = Marshal.ReadInt64(buffer, 8);
                foreach (var entry in Directory.EnumerateFileSystemEntries(Descriptors))
                {
                    if (!int.TryParse(Path.GetFileName(entry), NumberStyles.None, CultureInfo.InvariantCulture, out var fd) || fd == own) continue;
                    if (FStat(fd, buffer) != 0 || Marshal.ReadInt64(buffer, 0) != device || Marshal.ReadInt64(buffer, 8) != inode) continue;
                    if (OpensForWriting(fd)) return true;
                }
                return false;
            }
            catch (Exception ex) when (ex is IOException || ex is UnauthorizedAccessException || ex is EntryPointNotFoundException || ex is DllNotFoundException)
            {
                return false;
            }
            finally
            {
                if (added) handle.DangerousRelease();
                Marshal.FreeHGlobal(buffer);
            }
        }

        /// <summary>The descriptor's access mode, from the octal "flags:" line of /proc/self/fdinfo (O_WRONLY 1, O_RDWR 2).</summary>
        private static bool OpensForWriting(int fd)
        {
            foreach (var line in File.ReadLines("/proc/self/fdinfo/" + fd.ToString(CultureInfo.InvariantCulture)))
            {
                if (!line.StartsWith("flags:", StringComparison.Ordinal)) continue;
                var octal = line.Substring("flags:".Length).Trim();
                var flags = 0L;
                foreach (var digit in octal)
                {
                    if (digit < '0' || digit > '7') return false;
                    flags = flags * 8 + (digit - '0');
                }
                return (flags & 3) != 0;
            }
            return false;
        }

        private static int FStat(int fd, IntPtr buffer) =>
            CallStat(() => UnixFStat(fd, buffer), () => MacFStat64(fd, buffer), version => GlibcFxStat(version, fd, buffer));

        private static int Stat(string path, IntPtr buffer) =>
            CallStat(() => UnixStat(path, buffer), () => MacStat64(path, buffer), version => GlibcXStat(version, path, buffer));

        /// <summary>
        /// The stat call of this system: the 64-bit-inode form on macOS x64, else the plain one, or on a
        /// C library too old to export it (glibc before 2.33) its versioned form.
        /// </summary>
        private static int CallStat(Func<int> plain, Func<int> macX64, Func<int, int> glibcVersioned)
        {
            if (RuntimeInformation.IsOSPlatform(OSPlatform.OSX))
            {
                return RuntimeInformation.ProcessArchitecture == Architecture.X64 ? macX64() : plain();
            }
            try
            {
                return plain();
            }
            catch (EntryPointNotFoundException)
            {
                // _STAT_VER: 1 on x86-64, 0 on arm64.
                return glibcVersioned(RuntimeInformation.ProcessArchitecture == Architecture.X64 ? 1 : 0);
            }
        }

        private static string OfWindowsFile(SafeFileHandle handle)
        {
            if (!GetFileInformationByHandle(handle, out var info))
                throw new IOException("GetFileInformationByHandle failed: error " + Marshal.GetLastWin32Error().ToString(CultureInfo.InvariantCulture) + ".");
            return string.Format(CultureInfo.InvariantCulture, "vol{0:x8}-file{1:x8}{2:x8}", info.VolumeSerialNumber, info.FileIndexHigh, info.FileIndexLow);
        }

        /// <summary>
        /// Whether <paramref name="path"/> (through links) is a regular file, as a journal must be: not
        /// a device such as /dev/null (a journal that forgets), a pipe or a socket. Null when it cannot
        /// be told (Windows, a 32-bit process, an ABI whose <c>st_mode</c> offset is not known here).
        /// </summary>
        public static bool? IsRegularFile(string path)
        {
            if (RuntimeInformation.IsOSPlatform(OSPlatform.Windows) || IntPtr.Size != 8) return null;
            var isMac = RuntimeInformation.IsOSPlatform(OSPlatform.OSX);
            // st_mode: after st_dev (4 bytes) on macOS; after st_dev, st_ino and st_nlink (8 each) on
            // Linux x64; after st_dev and st_ino on the generic layout (arm64).
            var offset = isMac ? 4 : RuntimeInformation.ProcessArchitecture == Architecture.X64 ? 24 : RuntimeInformation.ProcessArchitecture == Architecture.Arm64 ? 16 : -1;
            if (offset < 0) return null;
            var buffer = Marshal.AllocHGlobal(256);
            try
            {
                if (Stat(path, buffer) != 0) return null;
                var mode = isMac ? (uint)(ushort)Marshal.ReadInt16(buffer, offset) : (uint)Marshal.ReadInt32(buffer, offset);
                return (mode & 0xF000) == 0x8000; // S_IFMT, S_IFREG
            }
            catch (Exception ex) when (ex is EntryPointNotFoundException || ex is DllNotFoundException)
            {
                return null;
            }
            finally
            {
                Marshal.FreeHGlobal(buffer);
            }
        }

        [DllImport("libc", EntryPoint = "stat", SetLastError = true)]
        private static extern int UnixStat(string path, IntPtr buffer);

        [DllImport("libc", EntryPoint = "stat$INODE64", SetLastError = true)]
        private static extern int MacStat64(string path, IntPtr buffer);

        [DllImport("libc", EntryPoint = "__xstat", SetLastError = true)]
        private static extern int GlibcXStat(int version, string path, IntPtr buffer);

        [DllImport("libc", EntryPoint = "fstat", SetLastError = true)]
        private static extern int UnixFStat(int fd, IntPtr buffer);

        [DllImport("libc", EntryPoint = "fstat$INODE64", SetLastError = true)]
        private static extern int MacFStat64(int fd, IntPtr buffer);

        [DllImport("libc", EntryPoint = "__fxstat", SetLastError = true)]
        private static extern int GlibcFxStat(int version, int fd, IntPtr buffer);

        [DllImport("kernel32.dll", SetLastError = true)]
        [return: MarshalAs(UnmanagedType.Bool)]
        private static extern bool GetFileInformationByHandle(SafeFileHandle file, out ByHandleFileInformation information);

        [StructLayout(LayoutKind.Sequential)]
        private struct ByHandleFileInformation
        {
            public uint FileAttributes;
            public System.Runtime.InteropServices.ComTypes.FILETIME CreationTime;
            public System.Runtime.InteropServices.ComTypes.FILETIME LastAccessTime;
            public System.Runtime.InteropServices.ComTypes.FILETIME LastWriteTime;
            public uint VolumeSerialNumber;
            public uint FileSizeHigh;
            public uint FileSizeLow;
            public uint NumberOfLinks;
            public uint FileIndexHigh;
            public uint FileIndexLow;
        }
    }
}
