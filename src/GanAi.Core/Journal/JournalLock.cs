using System;
using System.Collections.Generic;
using System.IO;
using System.Runtime.InteropServices;

namespace GanAi.Journal
{
    /// <summary>
    /// One run per journal, whatever name it is reached by. Three holds, each keyed by the file
    /// itself (<see cref="FileIdentity"/>), none of which keeps readers out:
    /// <list type="bullet">
    /// <item>a registry in this process, so two runspaces never share a journal;</item>
    /// <item>an exclusive lock file named by the identity, in the user's local application data
    /// (<c>GanAi/journal-locks</c>), where nobody tidies a journal's folder: on Linux and macOS .NET takes
    /// it with <c>flock(LOCK_EX)</c>, which the kernel drops when the process dies, even by kill -9;</item>
    /// <item>on Linux and macOS, an fcntl lock (<see cref="FileStream.Lock"/>) on a byte of the journal far
    /// past its end, which holds against other processes even if the lock file is deleted (on Windows
    /// the journal's own share mode already keeps every other writer out); on Linux an open file
    /// description lock, which no other handle's close releases.</item>
    /// </list>
    /// The journal itself is not locked exclusively: .NET would take <c>flock(LOCK_EX)</c> on it, and
    /// every reader (Get-Content, -WhatIf) takes <c>LOCK_SH</c>, so reading it during a run would fail.
    /// </summary>
    internal sealed class JournalLock : IDisposable
    {
        /// <summary>A byte no journal reaches: locking it blocks no read or append, only another run's lock.</summary>
        private const long LockedByte = 0x7FFF_FFFF_0000_0000;

        private static readonly HashSet<string> HeldInThisProcess = new HashSet<string>(StringComparer.Ordinal);

        private readonly string _identity;
        private readonly FileStream _lockFile;
        private int _disposed;

        private JournalLock(string identity, FileStream lockFile)
        {
            _identity = identity;
            _lockFile = lockFile;
        }

        /// <summary>The folder of the lock files; a test may point it elsewhere.</summary>
        internal static string Folder { get; set; } = DefaultFolder();

        /// <summary>Takes the journal for this run, or throws a <see cref="JournalBusyException"/>: another run has it.</summary>
        public static JournalLock Acquire(FileStream journal, string path)
        {
            var identity = FileIdentity.Of(journal);
            lock (HeldInThisProcess)
            {
                if (!HeldInThisProcess.Add(identity)) throw InUse(path, null);
            }
            FileStream? lockFile = null;
            try
            {
                Directory.CreateDirectory(Folder);
                try
                {
                    lockFile = new FileStream(System.IO.Path.Combine(Folder, identity + ".lock"), FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None, 1);
                    LockAgainstOtherProcesses(journal);
                }
                catch (IOException ex)
                {
                    throw InUse(path, ex);
                }
                return new JournalLock(identity, lockFile);
            }
            catch
            {
                lockFile?.Dispose();
                lock (HeldInThisProcess) HeldInThisProcess.Remove(identity);
                throw;
            }
        }

        /// <summary>
        /// The lock on the journal's far byte. On Linux it is an open file description lock
        /// (<c>F_OFD_SETLK</c>): a classic fcntl lock, which <see cref="FileStream.Lock"/> takes, is the
        /// process's and goes when the process closes <em>any</em> handle to the file, so a
        /// <c>Get-Content</c> of the journal in the same session would let a second run in. macOS has
        /// no such lock, and .NET's <see cref="FileStream.Lock"/> is not supported there (it throws):
        /// on macOS the lock file alone holds the journal.
        /// </summary>
        private static void LockAgainstOtherProcesses(FileStream journal)
        {
            if (RuntimeInformation.IsOSPlatform(OSPlatform.Windows) || RuntimeInformation.IsOSPlatform(OSPlatform.OSX)) return;
            if (RuntimeInformation.IsOSPlatform(OSPlatform.Linux) && IntPtr.Size == 8 && OpenFileDescriptionLock.TryLock(journal, LockedByte)) return;
#if NET8_0_OR_GREATER
            if (!OperatingSystem.IsMacOS()) journal.Lock(LockedByte, 1); // the analyzer's form of the macOS check above
#else
            journal.Lock(LockedByte, 1);
#endif
        }

        /// <summary>
        /// Lets the journal go. The lock file stays (an empty file per journal ever used): deleting it
        /// on close would let a run that opened it just before lock a name no later run sees.
        /// </summary>
        public void Dispose()
        {
            if (System.Threading.Interlocked.Exchange(ref _disposed, 1) != 0) return;
            _lockFile.Dispose();
            lock (HeldInThisProcess) HeldInThisProcess.Remove(_identity);
        }

        /// <summary>
        /// Whether a failed open of the journal means another run has it open: on Windows the first
        /// run's handle shares reading only, so a second run's open for writing fails with a sharing
        /// violation (HResult 0x80070020) or, over some file systems, a lock violation (0x80070021)
        /// before any lock is tried.
        /// </summary>
        internal static bool IsHeldOpenByAnother(int hresult) => hresult == SharingViolation || hresult == LockViolation;

        private const int SharingViolation = unchecked((int)0x80070020);
        private const int LockViolation = unchecked((int)0x80070021);

        internal static JournalBusyException InUse(string path, Exception? inner) =>
            new JournalBusyException($"The journal '{path}' is in use by another run (through this name or another one: a link to the same file counts); two runs cannot write one journal at once.", inner);

        private static string DefaultFolder()
        {
            var data = Environment.GetFolderPath(Environment.SpecialFolder.LocalApplicationData);
            if (string.IsNullOrEmpty(data)) data = System.IO.Path.GetTempPath(); // no home folder: a service account
            return System.IO.Path.Combine(data, "GanAi", "journal-locks");
        }
    }
}
