using GanAi.Batching;
using GanAi.Journal;

namespace GanAi.Core.Tests;

/// <summary>A journal in a file of its own, deleted afterwards.</summary>
internal sealed class TemporaryJournal : IDisposable
{
    public TemporaryJournal() => Journal = RunJournal.Open(FilePath, VideoBatchOptions.DefaultUniqueIdProperty);

    public string FilePath { get; } = Path.Combine(Path.GetTempPath(), "ganai-test-" + Guid.NewGuid().ToString("N") + ".jsonl");

    /// <summary>The journal as it is open now (<see cref="Reopen"/> replaces it).</summary>
    public RunJournal Journal { get; private set; }

    /// <summary>Closes the journal and opens it again, as the next run would.</summary>
    public RunJournal Reopen(int? scanBufferSize = null, Func<string, string, ulong>? keyHash = null)
    {
        Journal.Dispose();
        Journal = scanBufferSize is null && keyHash is null
            ? RunJournal.Open(FilePath, VideoBatchOptions.DefaultUniqueIdProperty)
            : RunJournal.Open(FilePath, scanBufferSize ?? 1 << 20, keyHash ?? JournalIndex.DefaultKeyHash, VideoBatchOptions.DefaultUniqueIdProperty);
        return Journal;
    }

    public void Dispose()
    {
        Journal.Dispose();
        File.Delete(FilePath);
    }
}

/// <summary>The lines a run writes for rows and batches (Batching's JournalLines), as the tests write them.</summary>
internal static class JournalTestLines
{
    /// <summary>A finished batch's final lines.</summary>
    public static void Record(this RunJournal journal, string projectId, BatchOutcome outcome) => journal.Append(JournalLines.Final(projectId, outcome));

    /// <summary>The write-ahead lines of a send of <paramref name="rows"/>.</summary>
    public static void RecordSending(this RunJournal journal, string projectId, IEnumerable<VideoRow> rows) => journal.AppendAhead(JournalLines.Sending(projectId, rows));
}
