using GanAi.Batching;
using System.Diagnostics;
using GanAi.Journal;

namespace GanAi.Core.Tests;

/// <summary>
/// The journal as a file the module owns: its header, what it refuses to touch, and one run per
/// journal whatever name reaches it (the cross-process cases run in Pester, with real processes).
/// </summary>
public class JournalFileTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("ganai-journal-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    private string PathOf(string name) => Path.Combine(_folder, name);

    [Fact]
    public void A_new_journal_starts_with_its_header_which_is_not_a_row()
    {
        var path = PathOf("new.jsonl");
        RunJournal.Open(path, VideoBatchOptions.DefaultUniqueIdProperty).Dispose();
        Assert.Equal(RunJournal.HeaderLine("unique_id") + "\n", File.ReadAllText(path));

        using var reopened = RunJournal.Open(path, VideoBatchOptions.DefaultUniqueIdProperty);
        Assert.Equal(0, reopened.Count);
        Assert.False(reopened.TornLastLine);
        Assert.Equal(RunJournal.HeaderLine("unique_id") + "\n", File.ReadAllText(path)); // written once
    }

    [Fact]
    public void An_empty_file_gets_the_header()
    {
        var path = PathOf("empty.jsonl");
        File.WriteAllText(path, string.Empty);
        RunJournal.Open(path, VideoBatchOptions.DefaultUniqueIdProperty).Dispose();
        Assert.Equal(RunJournal.HeaderLine("unique_id") + "\n", File.ReadAllText(path));
    }

    public static TheoryData<string, string> NotJournals => new()
    {
        { "a CSV", "unique_id,names\nlead-1,Ann\nlead-2,Bo\nlead-3,Cy" }, // its last line has no newline: no "torn line" repair
        { "a CSV with a BOM", "\uFEFFunique_id,names\r\nlead-1,Ann\r\n" },
        { "one word", "hello" },
        { "JSON that is not a journal line", "{\"name\":\"x\"}\n" },
        { "journal lines, then something else", "{\"status\":\"created\",\"project_id\":\"p\",\"unique_id\":\"a\"}\nnot a journal line\n" },
    };

    [Theory]
    [MemberData(nameof(NotJournals))]
    public void A_file_that_is_not_a_journal_is_refused_and_left_as_it_was(string what, string content)
    {
        var path = PathOf("leads.csv");
        File.WriteAllText(path, content);
        var before = File.ReadAllBytes(path);

        var refused = Assert.ThrowsAny<IOException>(() => RunJournal.Open(path, VideoBatchOptions.DefaultUniqueIdProperty));
        Assert.Contains("is not a GanAi journal", refused.Message);
        Assert.ThrowsAny<IOException>(() => RunJournal.OpenForReading(path, VideoBatchOptions.DefaultUniqueIdProperty)); // -WhatIf refuses it too
        Assert.Equal(before, File.ReadAllBytes(path)); // what: a byte changed
        _ = what;
    }

    [Fact]
    public void A_journal_an_editor_saved_with_a_byte_order_mark_is_refused_saying_so()
    {
        var path = PathOf("edited.jsonl");
        File.WriteAllText(path, RunJournal.HeaderLine("unique_id") + "\r\n", new System.Text.UTF8Encoding(encoderShouldEmitUTF8Identifier: true));
        var before = File.ReadAllBytes(path);

        var refused = Assert.Throws<JournalFormatException>(() => RunJournal.Open(path, VideoBatchOptions.DefaultUniqueIdProperty));
        Assert.Contains("starts with a byte order mark", refused.Message); // once: "is not a GanAi journal", of its own journal
        Assert.Equal(before, File.ReadAllBytes(path));
    }

    [Fact]
    public void A_journal_from_before_the_header_is_taken_as_it_is_and_its_torn_line_dropped()
    {
        var path = PathOf("old.jsonl");
        const string Lines = "{\"status\":\"sending\",\"project_id\":\"p\",\"unique_id\":\"a\"}\n{\"status\":\"created\",\"project_id\":\"p\",\"unique_id\":\"a\",\"inference_id\":\"i\"}\n";
        File.WriteAllText(path, Lines + "{\"status\":\"crea");

        using (var journal = RunJournal.Open(path, VideoBatchOptions.DefaultUniqueIdProperty))
        {
            Assert.Equal(1, journal.Count);
            Assert.True(journal.Find("p", "a")?.IsCreated);
        }
        Assert.Equal(Lines, File.ReadAllText(path)); // no header added in front: it is still every line a journal line
    }

    [Fact]
    public void A_header_of_a_later_version_is_refused()
    {
        var path = PathOf("later.jsonl");
        File.WriteAllText(path, "{\"format\":\"GanAi.Journal\",\"version\":3}\n");
        var refused = Assert.ThrowsAny<IOException>(() => RunJournal.Open(path, VideoBatchOptions.DefaultUniqueIdProperty));
        Assert.Contains("version 3", refused.Message);
    }

    [Fact]
    public void A_header_torn_while_the_journal_was_made_is_written_again()
    {
        var path = PathOf("torn-header.jsonl");
        File.WriteAllText(path, RunJournal.HeaderLine("unique_id")[..10]);
        RunJournal.Open(path, VideoBatchOptions.DefaultUniqueIdProperty).Dispose();
        Assert.Equal(RunJournal.HeaderLine("unique_id") + "\n", File.ReadAllText(path));
    }

    [Fact]
    public void A_second_run_cannot_take_the_journal_by_its_name_a_symbolic_link_or_a_hard_link()
    {
        var path = PathOf("run.jsonl");
        using var first = RunJournal.Open(path, VideoBatchOptions.DefaultUniqueIdProperty);
        var symbolic = PathOf("symbolic.jsonl");
        File.CreateSymbolicLink(symbolic, path);
        var hard = PathOf("hard.jsonl");
        if (!OperatingSystem.IsWindows()) Assert.Equal(0, Run("ln", path, hard));

        foreach (var name in OperatingSystem.IsWindows() ? new[] { path, symbolic } : new[] { path, symbolic, hard })
        {
            var refused = Assert.ThrowsAny<IOException>(() => RunJournal.Open(name, VideoBatchOptions.DefaultUniqueIdProperty));
            Assert.Contains("in use by another run", refused.Message);
        }
        using var reading = RunJournal.OpenForReading(symbolic, VideoBatchOptions.DefaultUniqueIdProperty); // -WhatIf still reads it
        Assert.NotNull(reading);
        Assert.Equal(RunJournal.HeaderLine("unique_id"), File.ReadLines(path).First()); // and so does anything else
    }

    [Theory]
    [InlineData(unchecked((int)0x80070020), true)] // ERROR_SHARING_VIOLATION: Windows, the first run's handle shares reading only
    [InlineData(unchecked((int)0x80070021), true)] // ERROR_LOCK_VIOLATION
    [InlineData(unchecked((int)0x80070005), false)] // access denied
    [InlineData(unchecked((int)0x80070070), false)] // disk full
    [InlineData(unchecked((int)0x80070002), false)] // file not found
    [InlineData(unchecked((int)0x80131620), false)] // COR_E_IO: an IOException that says no more
    [InlineData(11, false)] // a Unix errno (EAGAIN) as .NET reports it there
    public void On_Windows_a_sharing_or_lock_violation_on_open_means_another_run_has_the_journal(int hresult, bool held)
    {
        Assert.Equal(held, JournalLock.IsHeldOpenByAnother(hresult));
    }

    [Fact]
    public void The_journal_is_free_again_once_its_run_ends()
    {
        var path = PathOf("again.jsonl");
        RunJournal.Open(path, VideoBatchOptions.DefaultUniqueIdProperty).Dispose();
        RunJournal.Open(path, VideoBatchOptions.DefaultUniqueIdProperty).Dispose();
        Assert.ThrowsAny<IOException>(() => { using var a = RunJournal.Open(path, VideoBatchOptions.DefaultUniqueIdProperty); using var b = RunJournal.Open(path, VideoBatchOptions.DefaultUniqueIdProperty); });
        RunJournal.Open(path, VideoBatchOptions.DefaultUniqueIdProperty).Dispose(); // the failed attempt let nothing stay held
    }

    [Fact]
    public void Deleting_the_lock_files_does_not_let_a_second_run_in()
    {
        var path = PathOf("deleted-lock.jsonl");
        using var first = RunJournal.Open(path, VideoBatchOptions.DefaultUniqueIdProperty);
        string identity;
        using (var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite)) identity = FileIdentity.Of(file);
        var lockFile = Path.Combine(JournalLock.Folder, identity + ".lock");
        Assert.True(File.Exists(lockFile));
        if (!OperatingSystem.IsWindows()) File.Delete(lockFile); // Windows refuses to delete a file held open
        Assert.ThrowsAny<IOException>(() => RunJournal.Open(path, VideoBatchOptions.DefaultUniqueIdProperty));
    }

    [Fact]
    public void A_file_and_its_links_share_an_identity_that_other_files_do_not()
    {
        var path = PathOf("a.txt");
        File.WriteAllText(path, "a");
        File.WriteAllText(PathOf("b.txt"), "a");
        File.CreateSymbolicLink(PathOf("s.txt"), path);
        string Identity(string name) { using var f = new FileStream(name, FileMode.Open, FileAccess.Read, FileShare.ReadWrite); return FileIdentity.Of(f); }

        Assert.Equal(Identity(path), Identity(PathOf("s.txt")));
        Assert.NotEqual(Identity(path), Identity(PathOf("b.txt")));
        Assert.DoesNotContain("path-", Identity(path)); // read from the operating system, not the name
        if (OperatingSystem.IsWindows()) return;
        Assert.Equal(0, Run("ln", path, PathOf("h.txt")));
        Assert.Equal(Identity(path), Identity(PathOf("h.txt")));
        if (OperatingSystem.IsLinux())
        {
            // The same device and inode that stat(1) reads.
            var stat = Output("stat", "-L", "--format=%d %i", path).Split(' ');
            Assert.Equal($"dev{ulong.Parse(stat[0]):x}-ino{ulong.Parse(stat[1]):x}", Identity(path));
        }
    }

    private static int Run(string file, params string[] arguments)
    {
        using var process = Process.Start(new ProcessStartInfo(file, arguments) { UseShellExecute = false })!;
        process.WaitForExit();
        return process.ExitCode;
    }

    private static string Output(string file, params string[] arguments)
    {
        using var process = Process.Start(new ProcessStartInfo(file, arguments) { UseShellExecute = false, RedirectStandardOutput = true })!;
        var text = process.StandardOutput.ReadToEnd().Trim();
        process.WaitForExit();
        return text;
    }
}
