using GanAi.Journal;

namespace GanAi.Core.Tests;

/// <summary>A journal in a file of its own, deleted afterwards.</summary>
internal sealed class TemporaryJournal : IDisposable
{
    public TemporaryJournal() => Journal = RunJournal.Open(FilePath);

    public string FilePath { get; } = Path.Combine(Path.GetTempPath(), "ganai-test-" + Guid.NewGuid().ToString("N") + ".jsonl");

    /// <summary>The journal as it is open now (<see cref="Reopen"/> replaces it).</summary>
    public RunJournal Journal { get; private set; }

    /// <summary>Closes the journal and opens it again, as the next run would.</summary>
    public RunJournal Reopen(int? scanBufferSize = null, Func<string, string, ulong>? keyHash = null)
    {
        Journal.Dispose();
        Journal = scanBufferSize is null && keyHash is null
            ? RunJournal.Open(FilePath)
            : RunJournal.Open(FilePath, scanBufferSize ?? 1 << 20, keyHash ?? JournalIndex.DefaultKeyHash);
        return Journal;
    }

    public void Dispose()
    {
        Journal.Dispose();
        File.Delete(FilePath);
    }
}
