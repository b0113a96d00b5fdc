using GanAi.Batching;
using GanAi.Journal;

namespace GanAi.Core.Tests;

/// <summary>The journal on its own: what a resumed run finds in the file an earlier run wrote.</summary>
public class RunJournalTests
{
    private static BatchOutcome Outcome(IReadOnlyList<VideoRow> created, IReadOnlyList<VideoRow>? unknown = null, string urlPadding = "")
    {
        var outcome = new BatchOutcome(1, created.Concat(unknown ?? Array.Empty<VideoRow>()).ToList());
        foreach (var row in created)
        {
            row.Apply(RowEvent.Sending);
            outcome.Answered(row, new GanAi.Api.BulkVideoItemDto
            {
                InferenceId = "inf-" + row.UniqueId, VideoUrl = "https://v.example/" + row.UniqueId + urlPadding, Permalink = "https://p.example/" + row.UniqueId,
            }, "ignored", "run-1");
        }
        foreach (var row in unknown ?? Array.Empty<VideoRow>())
        {
            row.Apply(RowEvent.Sending);
            row.Apply(RowEvent.MaybeProcessed);
            outcome.Abandon(row, RowBuilder.Fail(row, ErrorIds.OutcomeUnknown, FailureCategory.InvalidResult, " may or may not exist."));
        }
        return outcome;
    }

    [Fact]
    public void A_reopened_journal_gives_each_rows_latest_line_per_project()
    {
        using var journal = new TemporaryJournal();
        var rows = Runs.Rows(3);
        journal.Journal.Record("p1", Outcome(created: new[] { rows[0] }, unknown: new[] { rows[1] }));
        journal.Journal.Record("p1", Outcome(created: new[] { Runs.Rows(3)[1] })); // sent again by a later run with -RetryUnknown
        journal.Journal.Record("p2", Outcome(created: Array.Empty<VideoRow>(), unknown: new[] { Runs.Rows(3)[0] })); // the same id in another project

        var resumed = journal.Reopen();

        Assert.Equal(3, resumed.Count);
        Assert.False(resumed.TornLastLine);
        var first = resumed.Find("p1", rows[0].UniqueId);
        Assert.True(first?.IsCreated);
        Assert.Equal("https://v.example/" + rows[0].UniqueId, first!.Latest.VideoUrl);
        Assert.Equal("inf-" + rows[0].UniqueId, first.Latest.InferenceId);
        Assert.True(resumed.Find("p1", rows[1].UniqueId)?.IsCreated);
        Assert.Equal(RunJournal.Unknown, resumed.Find("p2", rows[0].UniqueId)?.Status);
        Assert.Null(resumed.Find("p2", rows[1].UniqueId));
        Assert.Null(resumed.Find("p1", rows[2].UniqueId));
    }

    [Fact]
    public void A_recorded_line_that_another_writer_destroyed_is_an_IOException_and_never_a_miss()
    {
        using var journal = new TemporaryJournal();
        var rows = Runs.Rows(2);
        journal.Journal.Record("p1", Outcome(created: rows));
        var resumed = journal.Reopen();
        var cleared = TryTruncate(journal.FilePath);
        if (OperatingSystem.IsWindows())
        {
            // The run holds the file against other writers: nothing else can destroy its lines.
            Assert.False(cleared);
            Assert.True(resumed.Find("p1", rows[0].UniqueId)?.IsCreated);
            return;
        }
        // Elsewhere nothing stops another writer. A miss would send a created row again, unflagged.
        Assert.True(cleared);
        var ex = Assert.Throws<IOException>(() => resumed.Find("p1", rows[0].UniqueId));
        Assert.Contains("changed while this run used it", ex.Message);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void A_journal_cut_or_grown_by_another_writer_is_never_written_to_again(bool grown)
    {
        using var journal = new TemporaryJournal();
        var rows = Runs.Rows(3);
        journal.Journal.RecordSending("p1", new[] { rows[0] });
        journal.Journal.Record("p1", Outcome(created: new[] { rows[0] })); // its own lines move its end along
        var before = new FileInfo(journal.FilePath).Length;
        if (OperatingSystem.IsWindows() && !grown) return; // the run holds the file against other writers there
        const string Csv = "\"unique_id\",\"names\"\n\"r-1\",\"Ann\"\n";
        if (grown) File.AppendAllText(journal.FilePath, Csv); // Export-Csv -Append
        else Assert.True(TryTruncate(journal.FilePath)); // Export-Csv

        var ex = Assert.Throws<JournalChangedException>(() => journal.Journal.RecordSending("p1", new[] { rows[1] }));
        Assert.IsAssignableFrom<IOException>(ex);
        Assert.Equal(before, ex.Expected);
        Assert.Equal(grown ? before + Csv.Length : 0, ex.Length);
        Assert.Contains("was changed by something else during the run", ex.Message);
        Assert.Throws<JournalChangedException>(() => journal.Journal.Record("p1", Outcome(created: new[] { rows[2] })));
        Assert.Equal(grown ? before + Csv.Length : 0, new FileInfo(journal.FilePath).Length); // nothing written into the other file
    }

    private static bool TryTruncate(string path)
    {
        try
        {
            using var other = new FileStream(path, FileMode.Open, FileAccess.Write, FileShare.ReadWrite);
            other.SetLength(0);
            return true;
        }
        catch (IOException)
        {
            return false;
        }
    }

    [Fact]
    public void A_row_that_failed_after_a_request_that_may_have_made_it_is_recorded_as_may_exist_and_other_failures_are_not()
    {
        using var journal = new TemporaryJournal();
        var rows = Runs.Rows(3);
        var outcome = new BatchOutcome(1, rows);
        foreach (var row in rows) row.Apply(RowEvent.Sending);
        rows[0].Apply(RowEvent.MaybeProcessed); // say, a 5xx after the service made the video, and no retry left
        outcome.Fail(rows[0], RowBuilder.Fail(rows[0], ErrorIds.ServiceError, FailureCategory.ResourceUnavailable, " was not rendered."));
        outcome.Fail(rows[1], RowBuilder.Fail(rows[1], ErrorIds.ServiceRejectedRow, FailureCategory.InvalidData, " was refused (422)."));
        rows[2].Apply(RowEvent.MaybeProcessed); // -NoRetryAfterSend gave up on it
        outcome.Abandon(rows[2], RowBuilder.Fail(rows[2], ErrorIds.OutcomeUnknown, FailureCategory.InvalidResult, " may or may not exist."));
        journal.Journal.Record("p1", outcome);

        var resumed = journal.Reopen();

        Assert.Equal(RunJournal.MayExist, resumed.Find("p1", rows[0].UniqueId)?.Status);
        Assert.Equal(RunJournal.NotCreated, resumed.Find("p1", rows[1].UniqueId)?.Status); // surely not made: a resume simply sends it
        Assert.Equal(RunJournal.Unknown, resumed.Find("p1", rows[2].UniqueId)?.Status);
    }

    [Fact]
    public void A_row_recorded_as_sending_and_never_finished_stays_sending_for_the_next_run()
    {
        using var journal = new TemporaryJournal();
        var rows = Runs.Rows(2);
        journal.Journal.RecordSending("p1", rows);
        journal.Journal.Record("p1", Outcome(created: new[] { rows[0] })); // the other was in flight when the run was killed

        var resumed = journal.Reopen();

        Assert.True(resumed.Find("p1", rows[0].UniqueId)?.IsCreated);
        Assert.Equal(RunJournal.Sending, resumed.Find("p1", rows[1].UniqueId)?.Status);
    }

    [Fact]
    public void A_sent_row_that_ended_without_a_result_gets_its_final_line()
    {
        using var journal = new TemporaryJournal();
        var rows = Runs.Rows(4);
        rows[2].Resume(1, 0); // an earlier run may have made it
        journal.Journal.RecordSending("p1", rows.Take(3).ToList());
        foreach (var row in rows.Take(3)) row.Apply(RowEvent.Sending);
        var outcome = new BatchOutcome(1, rows);
        foreach (var row in rows.Take(3))
        {
            outcome.Fail(row, RowBuilder.Fail(row, ErrorIds.ServiceRejectedRow, FailureCategory.InvalidData, " was refused (422)."));
        }
        journal.Journal.Record("p1", outcome); // rows[3]: never sent (a stopped run), no result, no failure

        var resumed = journal.Reopen();

        Assert.Equal(RunJournal.NotCreated, resumed.Find("p1", rows[0].UniqueId)?.Status); // sent and surely not made
        Assert.Equal(RunJournal.NotCreated, resumed.Find("p1", rows[1].UniqueId)?.Status);
        Assert.Equal(RunJournal.MayExist, resumed.Find("p1", rows[2].UniqueId)?.Status); // the earlier run's request still may have made it
        Assert.Null(resumed.Find("p1", rows[3].UniqueId));
    }

    [Fact]
    public void Lines_this_run_appends_are_not_kept_for_lookup()
    {
        // Memory stays flat over a long run: within one run each id is looked up once, before its
        // row is sent, so what the run itself records is written to the file only.
        using var journal = new TemporaryJournal();
        var rows = Runs.Rows(2);
        journal.Journal.Record("p1", Outcome(created: rows));

        Assert.Null(journal.Journal.Find("p1", rows[0].UniqueId));
        Assert.True(journal.Reopen().Find("p1", rows[0].UniqueId)?.IsCreated);
    }

    [Fact]
    public void A_torn_last_line_is_cut_off_and_the_rest_read()
    {
        using var journal = new TemporaryJournal();
        var rows = Runs.Rows(2);
        journal.Journal.Record("p1", Outcome(created: new[] { rows[0] }));
        journal.Journal.Record("p1", Outcome(created: new[] { rows[1] }));
        journal.Journal.Dispose();
        var intact = File.ReadAllText(journal.FilePath);
        var lines = intact.Split('\n');
        Assert.Equal(RunJournal.HeaderLine("unique_id"), lines[0]);
        File.WriteAllText(journal.FilePath, intact + lines[2][..40]); // a crash in mid-write

        var resumed = journal.Reopen();

        Assert.True(resumed.TornLastLine);
        Assert.Equal(2, resumed.Count);
        Assert.True(resumed.Find("p1", rows[0].UniqueId)?.IsCreated);
        Assert.True(resumed.Find("p1", rows[1].UniqueId)?.IsCreated);
        resumed.Dispose();
        Assert.Equal(intact, File.ReadAllText(journal.FilePath));
    }

    [Theory]
    [InlineData("{not json")]
    [InlineData("{\"status\":\"created\",\"project_id\":\"p1\"}")] // no unique_id
    [InlineData("{\"status\":\"sent-ish\",\"project_id\":\"p1\",\"unique_id\":\"id-1\"}")] // no status this version knows
    [InlineData("{\"status\":\"unknown\",\"project_id\":\"p1\",\"unique_id\":\"id-1\",\"send_count\":2147483647}")] // once: its next send counted -2147483648, and -RetryUnknown made 10 videos
    [InlineData("{\"status\":\"may_exist\",\"project_id\":\"p1\",\"unique_id\":\"id-1\",\"send_count\":-1}")] // no run writes a negative count
    public void A_line_that_cannot_be_read_before_the_end_stops_the_resume_naming_it(string damage)
    {
        // Once such lines were skipped: 40 rows in flight at a kill -9, their sending lines damaged, were
        // made again unflagged. A line lost in the middle is no torn last line.
        using var journal = new TemporaryJournal();
        var rows = Runs.Rows(2);
        journal.Journal.RecordSending("p1", rows);
        journal.Journal.Record("p1", Outcome(created: new[] { rows[0] }));
        journal.Journal.Dispose();
        var lines = File.ReadAllLines(journal.FilePath).ToList();
        lines[2] = damage; // the second row's sending line
        lines.Insert(1, damage);
        File.WriteAllText(journal.FilePath, string.Join("\n", lines) + "\n");
        var before = File.ReadAllBytes(journal.FilePath);

        var damaged = Assert.Throws<JournalDamagedException>(() => RunJournal.Open(journal.FilePath, VideoBatchOptions.DefaultUniqueIdProperty));
        Assert.Equal(new long[] { 2, 4 }, damaged.Lines);
        Assert.Contains("2 line(s) cannot be read (lines 2, 4)", damaged.Message);
        Assert.Throws<JournalDamagedException>(() => RunJournal.OpenForReading(journal.FilePath, VideoBatchOptions.DefaultUniqueIdProperty)); // -WhatIf says so too
        Assert.Equal(before, File.ReadAllBytes(journal.FilePath));
    }

    [Fact]
    public void A_whole_last_line_that_only_lacks_its_newline_is_kept()
    {
        using var journal = new TemporaryJournal();
        var rows = Runs.Rows(2);
        journal.Journal.Record("p1", Outcome(created: rows));
        journal.Journal.Dispose();
        var text = File.ReadAllText(journal.FilePath).TrimEnd('\n');
        File.WriteAllText(journal.FilePath, text);

        var resumed = journal.Reopen();
        Assert.False(resumed.TornLastLine);
        Assert.True(resumed.Find("p1", rows[1].UniqueId)?.IsCreated); // once it was cut, and its row made again
        resumed.Record("p1", Outcome(created: Runs.Rows(3).Skip(2).ToList()));
        resumed.Dispose();
        Assert.Equal(text + "\n", File.ReadAllText(journal.FilePath)[..(text.Length + 1)]); // its newline restored before the next line
        Assert.True(journal.Reopen().Find("p1", Runs.Rows(3)[2].UniqueId)?.IsCreated);
    }

    [Fact]
    public void A_torn_last_line_of_a_row_recorded_before_makes_it_count_as_possibly_made()
    {
        using var journal = new TemporaryJournal();
        var rows = Runs.Rows(2);
        var refused = new BatchOutcome(1, rows);
        foreach (var row in rows) row.Apply(RowEvent.Sending);
        foreach (var row in rows) refused.Fail(row, RowBuilder.Fail(row, ErrorIds.ServiceRejectedRow, FailureCategory.InvalidData, " was refused (422)."));
        journal.Journal.Record("p1", refused); // both not_created
        journal.Journal.Dispose();
        File.AppendAllText(journal.FilePath, "{\"status\":\"sending\",\"project_id\":\"p1\",\"unique_id\":\"" + rows[0].UniqueId + "\",\"send_co");

        var resumed = journal.Reopen();
        Assert.True(resumed.TornLastLine);
        Assert.Equal(RunJournal.MayExist, resumed.Find("p1", rows[0].UniqueId)!.Status);
        Assert.Equal(1, resumed.Find("p1", rows[0].UniqueId)!.Sends);
        Assert.Equal(RunJournal.NotCreated, resumed.Find("p1", rows[1].UniqueId)!.Status);
    }

    [Fact]
    public void Each_line_carries_the_rows_sends_and_the_latest_counts()
    {
        using var journal = new TemporaryJournal();
        var rows = Runs.Rows(1);
        journal.Journal.RecordSending("p1", rows); // send 1
        rows[0].Apply(RowEvent.Sending);
        rows[0].Apply(RowEvent.MaybeProcessed); // no clear answer
        journal.Journal.RecordSending("p1", rows); // send 2
        rows[0].Apply(RowEvent.Sending);
        var outcome = new BatchOutcome(1, rows);
        outcome.Answered(rows[0], new GanAi.Api.BulkVideoItemDto { InferenceId = "i-1" }, "p1", "run-1");
        journal.Journal.Record("p1", outcome);

        var lines = File.ReadAllLines(journal.FilePath).Skip(1).Select(l => System.Text.Json.JsonDocument.Parse(l).RootElement).ToList();
        Assert.Equal(new[] { 1, 2, 2 }, lines.Select(l => l.GetProperty("send_count").GetInt32()));
        var found = journal.Reopen().Find("p1", rows[0].UniqueId)!;
        Assert.Equal(2, found.Sends);
        Assert.True(found.Latest.PossibleDuplicate);
        Assert.Equal(2, outcome.Results[0].SendCount);
    }

    [Fact]
    public void A_version_1_journal_counts_a_row_that_may_exist_as_at_the_cap_and_gets_the_current_header()
    {
        using var journal = new TemporaryJournal();
        journal.Journal.Dispose();
        var v1Header = RunJournal.HeaderLine("unique_id").Replace("\"version\":2", "\"version\":1");
        File.WriteAllText(journal.FilePath, v1Header + "\n" +
            "{\"status\":\"sending\",\"project_id\":\"p\",\"unique_id\":\"twice\"}\n" +
            "{\"status\":\"may_exist\",\"project_id\":\"p\",\"unique_id\":\"twice\"}\n" +
            "{\"status\":\"sending\",\"project_id\":\"p\",\"unique_id\":\"twice\"}\n" +
            "{\"status\":\"may_exist\",\"project_id\":\"p\",\"unique_id\":\"twice\"}\n" +
            "{\"status\":\"may_exist\",\"project_id\":\"p\",\"unique_id\":\"once\"}\n" +
            "{\"status\":\"unknown\",\"project_id\":\"p\",\"unique_id\":\"held\"}\n");

        var resumed = journal.Reopen();
        // Version 1 wrote one sending line per row per run, not per send: a run that retried five times
        // left one line. Once "once" counted 1 and a resume sent it again: a third video, or a seventh.
        Assert.Equal(2, resumed.Find("p", "twice")!.Sends);
        Assert.Equal(2, resumed.Find("p", "once")!.Sends);
        Assert.Equal(2, resumed.Find("p", "held")!.Sends);
        resumed.Dispose();
        Assert.Equal(RunJournal.HeaderLine("unique_id"), File.ReadAllLines(journal.FilePath)[0]); // an older module now refuses it rather than misread it
    }

    [Fact]
    public void Lines_longer_than_the_read_buffer_and_across_its_edges_are_all_read()
    {
        using var journal = new TemporaryJournal();
        var rows = Runs.Rows(60);
        journal.Journal.Record("p1", Outcome(created: rows.Take(30).ToList(), unknown: rows.Skip(30).Take(20).ToList(), urlPadding: new string('x', 300)));

        var resumed = journal.Reopen(scanBufferSize: 64); // every line is longer than the buffer

        Assert.False(resumed.TornLastLine);
        Assert.Equal(50, resumed.Count);
        Assert.All(rows.Take(30), row => Assert.Equal("https://v.example/" + row.UniqueId + new string('x', 300), resumed.Find("p1", row.UniqueId)?.Latest.VideoUrl));
        Assert.All(rows.Skip(30).Take(20), row => Assert.Equal(RunJournal.Unknown, resumed.Find("p1", row.UniqueId)?.Status));
        Assert.All(rows.Skip(50), row => Assert.Null(resumed.Find("p1", row.UniqueId)));
    }

    [Fact]
    public void Ids_that_share_a_hash_are_told_apart()
    {
        using var journal = new TemporaryJournal();
        var rows = Runs.Rows(20);
        journal.Journal.Record("p1", Outcome(created: rows.Take(10).ToList(), unknown: rows.Skip(10).Take(5).ToList()));
        journal.Journal.Record("p2", Outcome(created: rows.Skip(5).Take(5).ToList()));

        var resumed = journal.Reopen(keyHash: (_, _) => 42); // every key collides

        Assert.All(rows.Take(10), row => Assert.Equal("https://v.example/" + row.UniqueId, resumed.Find("p1", row.UniqueId)?.Latest.VideoUrl));
        Assert.All(rows.Skip(10).Take(5), row => Assert.Equal(RunJournal.Unknown, resumed.Find("p1", row.UniqueId)?.Status));
        Assert.All(rows.Skip(15), row => Assert.Null(resumed.Find("p1", row.UniqueId)));
        Assert.All(rows.Skip(5).Take(5), row => Assert.Equal("p2", resumed.Find("p2", row.UniqueId)?.Latest.ProjectId));
        Assert.Null(resumed.Find("p2", rows[0].UniqueId));
    }
}
