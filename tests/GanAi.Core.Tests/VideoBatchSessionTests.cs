using GanAi.Api;
using GanAi.Batching;
using GanAi.Concurrency;
using GanAi.Emulator;
using GanAi.Journal;

namespace GanAi.Core.Tests;

/// <summary>
/// A whole run through <see cref="VideoBatchSession"/> without PowerShell: a fake host records what
/// the cmdlet would write; the service is the emulator, over real HTTP.
/// </summary>
public class VideoBatchSessionTests
{
    private static Dictionary<string, object?> Row(string id, string names = "x") => new() { ["unique_id"] = id, ["names"] = names };

    private static VideoBatchOptions Options(string project = "demo", string? journal = null) => new(project)
    {
        BatchSize = 10,
        JournalPath = journal,
        Resilience = Runs.FastSettings().Resilience,
    };

    /// <summary>Runs the rows through a session as the cmdlet does; returns the RunEndedException, if the run ended early.</summary>
    private static RunEndedException? Run(VideoBatchOptions options, GanConnection? connection, RecordingHost host, IEnumerable<Dictionary<string, object?>> rows)
    {
        using var cancellation = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        using var session = new VideoBatchSession(options, host, cancellation.Token);
        try
        {
            session.Begin(connection);
            foreach (var row in rows) session.Add(row, row.Select(p => new KeyValuePair<string, object?>(p.Key, p.Value)).ToList());
            session.End();
            return null;
        }
        catch (RunEndedException ended)
        {
            return ended;
        }
    }

    private static GanConnection Connect(RunningEmulator emulator, string token = EmulatorOptions.DefaultToken) =>
        GanConnections.Create(emulator.App.BaseUri, RunningEmulator.Secure(token), "test");

    /// <summary>Each row read ended exactly once: as a result or as one error that carries the row.</summary>
    private static void AssertEachRowOnce(RecordingHost host, int rowsRead)
    {
        var numbers = host.Results.Select(r => r.RowNumber).Concat(host.Errors.Select(e => e.Failure.RowNumber!.Value)).OrderBy(n => n).ToList();
        Assert.Equal(Enumerable.Range(1, rowsRead).Select(n => (long)n), numbers);
        Assert.All(host.Errors, e => Assert.Equal(e.Failure.UniqueId, ((Dictionary<string, object?>)e.Target)["unique_id"]));
    }

    [Fact]
    public async Task A_run_gives_each_row_one_result_and_checks_them_before_sending()
    {
        await using var emulator = await RunningEmulator.StartAsync();
        var host = new RecordingHost();
        var rows = Enumerable.Range(1, 45).Select(i => Row("r-" + i)).Append(Row("r-7")).Append(new Dictionary<string, object?> { ["unique_id"] = "lacks-tag" }).ToList();

        Assert.Null(Run(Options(), Connect(emulator), host, rows));

        AssertEachRowOnce(host, rows.Count);
        Assert.Equal(45, host.Results.Count);
        Assert.Equal(new[] { ErrorIds.DuplicateUniqueId, ErrorIds.MissingTag }, host.Errors.Select(e => e.Failure.ErrorId));
        Assert.Equal(45, emulator.App.State.Stats().RowsCreated);
        Assert.Equal(5, host.Confirmed.Count); // ShouldProcess once per batch
    }

    [Fact]
    public async Task A_dry_run_checks_and_counts_and_sends_nothing()
    {
        await using var emulator = await RunningEmulator.StartAsync();
        var host = new RecordingHost { AnswerShouldProcess = false };
        var options = Options();
        options.WhatIf = true;

        Assert.Null(Run(options, Connect(emulator), host, Enumerable.Range(1, 25).Select(i => Row("w-" + i))));

        Assert.Empty(host.Results);
        Assert.Equal("25 row(s) in 3 batch(es) of up to 10 to project 'demo'", Assert.Single(host.Confirmed));
        Assert.Equal(0, emulator.App.State.Stats().BulkRequests);
    }

    [Fact]
    public async Task A_refused_token_gives_each_row_read_and_not_ended_its_error_then_ends_the_run()
    {
        await using var emulator = await RunningEmulator.StartAsync();
        var host = new RecordingHost();
        var options = Options();
        options.SkipPreflight = true;
        var rows = Enumerable.Range(1, 35).Select(i => Row("t-" + i)).ToList();

        var ended = Run(options, Connect(emulator, "wrong-token"), host, rows);

        Assert.Equal(ErrorIds.TokenRefused, ended?.ErrorId);
        Assert.IsType<UnauthorizedAccessException>(ended!.Reported);
        Assert.Empty(host.Results);
        Assert.NotEmpty(host.Errors);
        Assert.All(host.Errors, e => Assert.Equal(ErrorIds.TokenRefused, e.Failure.ErrorId));
        AssertEachRowOnce(host, host.Errors.Count); // rows 1..N read, each once; rows not read got nothing
    }

    [Fact]
    public async Task Rows_a_run_never_sent_get_no_journal_line_when_the_service_is_unreachable()
    {
        var port = Runs.ClosedPort();
        using var journal = new TemporaryJournal();
        journal.Journal.Dispose();
        var host = new RecordingHost();
        var options = Options(journal: journal.FilePath);
        options.SkipPreflight = true;
        options.BatchSize = 5;
        options.Resilience.MaxRetries = 20; // retries that would take minutes: the breaker ends them after 10 s
        options.Resilience.BaseDelay = TimeSpan.FromSeconds(1);
        options.Resilience.MaxDelay = TimeSpan.FromSeconds(30);
        var connection = GanConnections.Create(new Uri($"http://127.0.0.1:{port}"), RunningEmulator.Secure("t"), "test");
        var rows = Enumerable.Range(1, 200).Select(i => Row("u-" + i)).ToList();

        var ended = Run(options, connection, host, rows);

        Assert.Equal(ErrorIds.ServiceUnreachable, ended?.ErrorId);
        AssertEachRowOnce(host, host.Errors.Count);
        var lines = File.ReadAllLines(journal.FilePath).Skip(1).Select(l => System.Text.Json.JsonDocument.Parse(l).RootElement.GetProperty("unique_id").GetString()).ToHashSet();
        Assert.True(lines.Count <= 4 * 5, $"{lines.Count} rows journaled: only rows of batches sent (at most 4 batches of 5) get lines");
        Assert.True(host.Errors.Count > lines.Count);
    }

    [Fact]
    public async Task A_row_a_version_1_journal_left_possibly_made_is_held_not_sent_a_third_time()
    {
        // Version 1 wrote one sending line per run whatever its retries: a row it left may_exist may
        // have been made up to six times. Once a resume read "1 send" and made it again.
        await using var emulator = await RunningEmulator.StartAsync();
        using var journal = new TemporaryJournal();
        journal.Journal.Dispose();
        File.WriteAllText(journal.FilePath, RunJournal.HeaderLine("unique_id").Replace("\"version\":2", "\"version\":1") + "\n" +
            "{\"status\":\"sending\",\"project_id\":\"demo\",\"unique_id\":\"v1\"}\n" +
            "{\"status\":\"may_exist\",\"project_id\":\"demo\",\"unique_id\":\"v1\"}\n");
        var host = new RecordingHost();

        Assert.Null(Run(Options(journal: journal.FilePath), Connect(emulator), host, new[] { Row("v1"), Row("v2") }));

        Assert.Equal(ErrorIds.OutcomeUnknown, Assert.Single(host.Errors).Failure.ErrorId);
        Assert.Equal("v2", Assert.Single(host.Results).UniqueId);
        Assert.Equal(new[] { "v2" }, emulator.App.State.CreatedIds("demo").Select(c => c.UniqueId));
    }

    [Fact]
    public async Task Canonically_equivalent_ids_are_one_row_in_a_run_and_across_a_journal()
    {
        // "café" typed (é) and pasted from a Mac (e + U+0301): one person. Once each form made a video.
        await using var emulator = await RunningEmulator.StartAsync();
        using var journal = new TemporaryJournal();
        journal.Journal.Dispose();
        const string Composed = "caf\u00E9-1", Decomposed = "cafe\u0301-1";
        var first = new RecordingHost();
        Assert.Null(Run(Options(journal: journal.FilePath), Connect(emulator), first, new[] { Row(Composed), Row(Decomposed) }));
        Assert.Equal(Composed, Assert.Single(first.Results).UniqueId);
        Assert.Equal(ErrorIds.DuplicateUniqueId, Assert.Single(first.Errors).Failure.ErrorId);

        var resumed = new RecordingHost();
        Assert.Null(Run(Options(journal: journal.FilePath), Connect(emulator), resumed, new[] { Row(Decomposed) }));

        Assert.True(Assert.Single(resumed.Results).FromJournal);
        Assert.Equal(1, Assert.Single(emulator.App.State.CreatedIds("demo")).Count);
    }
}
