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
            outcome.Results.Add(new VideoResult(row.UniqueId, "ignored", "inf-" + row.UniqueId, "https://v.example/" + row.UniqueId + urlPadding,
                null, null, null, "https://p.example/" + row.UniqueId, outcome.Answered(row), row.Number, row.Tags));
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
        Assert.Equal(0, resumed.SkippedLines);
        var first = resumed.Find("p1", rows[0].UniqueId);
        Assert.True(first?.IsCreated);
        Assert.Equal("https://v.example/" + rows[0].UniqueId, first!.VideoUrl);
        Assert.Equal("inf-" + rows[0].UniqueId, first.InferenceId);
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
        rows[2].Apply(RowEvent.ResumedMayExist); // an earlier run may have made it
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
    public void A_torn_last_line_is_cut_off_and_damaged_lines_are_skipped_and_counted()
    {
        using var journal = new TemporaryJournal();
        var rows = Runs.Rows(2);
        journal.Journal.Record("p1", Outcome(created: new[] { rows[0] }));
        journal.Journal.Record("p1", Outcome(created: new[] { rows[1] }));
        journal.Journal.Dispose();
        var lines = File.ReadAllLines(journal.FilePath); // the header, then a line per row
        Assert.Equal(RunJournal.HeaderLine("unique_id"), lines[0]);
        var intact = lines[0] + "\n" + lines[1] + "\n" + "{not json\n" + "{\"status\":\"created\",\"project_id\":\"p1\"}\n" + lines[2] + "\n"; // damage; a line without unique_id
        File.WriteAllText(journal.FilePath, intact + lines[2][..40]); // a crash in mid-write

        var resumed = journal.Reopen();

        Assert.Equal(3, resumed.SkippedLines);
        Assert.Equal(2, resumed.Count);
        Assert.True(resumed.Find("p1", rows[0].UniqueId)?.IsCreated);
        Assert.True(resumed.Find("p1", rows[1].UniqueId)?.IsCreated);
        resumed.Dispose();
        Assert.Equal(intact, File.ReadAllText(journal.FilePath));
    }

    [Fact]
    public void Lines_longer_than_the_read_buffer_and_across_its_edges_are_all_read()
    {
        using var journal = new TemporaryJournal();
        var rows = Runs.Rows(60);
        journal.Journal.Record("p1", Outcome(created: rows.Take(30).ToList(), unknown: rows.Skip(30).Take(20).ToList(), urlPadding: new string('x', 300)));

        var resumed = journal.Reopen(scanBufferSize: 64); // every line is longer than the buffer

        Assert.Equal(0, resumed.SkippedLines);
        Assert.Equal(50, resumed.Count);
        Assert.All(rows.Take(30), row => Assert.Equal("https://v.example/" + row.UniqueId + new string('x', 300), resumed.Find("p1", row.UniqueId)?.VideoUrl));
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

        Assert.All(rows.Take(10), row => Assert.Equal("https://v.example/" + row.UniqueId, resumed.Find("p1", row.UniqueId)?.VideoUrl));
        Assert.All(rows.Skip(10).Take(5), row => Assert.Equal(RunJournal.Unknown, resumed.Find("p1", row.UniqueId)?.Status));
        Assert.All(rows.Skip(15), row => Assert.Null(resumed.Find("p1", row.UniqueId)));
        Assert.All(rows.Skip(5).Take(5), row => Assert.Equal("p2", resumed.Find("p2", row.UniqueId)?.ProjectId));
        Assert.Null(resumed.Find("p2", rows[0].UniqueId));
    }
}
