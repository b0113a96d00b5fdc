using System.Runtime.CompilerServices;
using GanAi.Journal;

namespace GanAi.Core.Tests;

internal static class TestSetup
{
    /// <summary>The journals' lock files of these tests go to a temporary folder, not the user's application data.</summary>
    [ModuleInitializer]
    internal static void UseTemporaryLockFolder() =>
        JournalLock.Folder = Path.Combine(Path.GetTempPath(), "ganai-test-journal-locks-" + Environment.ProcessId);
}
