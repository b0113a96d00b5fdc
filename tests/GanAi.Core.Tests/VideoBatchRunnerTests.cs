using GanAi.Batching;
using GanAi.Emulator;

namespace GanAi.Core.Tests;

/// <summary>The batch runner over real HTTP against the emulator on a free loopback port.</summary>
public class VideoBatchRunnerTests
{
    private static void AssertConservation(IReadOnlyList<VideoRow> rows, List<BatchOutcome> outcomes)
    {
        var seen = outcomes.SelectMany(o => o.Results.Select(r => r.UniqueId).Concat(o.Failures.Select(f => f.Key.UniqueId))).ToList();
        Assert.Equal(rows.Count, seen.Count);
        Assert.Equal(rows.Select(r => r.UniqueId).OrderBy(x => x, StringComparer.Ordinal), seen.OrderBy(x => x, StringComparer.Ordinal));
    }

    [Fact]
    public async Task Matches_results_to_rows_by_unique_id_when_the_answer_is_shuffled()
    {
        await using var emulator = await RunningEmulator.StartAsync(o => o.Faults = new FaultSettings { Shuffle = true });
        var rows = Runs.Rows(50);
        var outcomes = Runs.Run(emulator.Client(), "demo", rows);

        AssertConservation(rows, outcomes);
        var results = outcomes.SelectMany(o => o.Results).ToList();
        Assert.Equal(50, results.Count);
        foreach (var result in results)
        {
            var row = rows.Single(r => r.UniqueId == result.UniqueId);
            Assert.Equal(row.Number, result.RowNumber);
            Assert.Equal(row.Tags, result.GetTags());
            Assert.False(result.PossibleDuplicate);
            Assert.Equal("demo", result.ProjectId);
            Assert.EndsWith(result.InferenceId + ".mp4", result.VideoUrl);
        }
        var created = emulator.App.State.CreatedIds("demo").ToList();
        Assert.Equal(50, created.Count);
        Assert.All(created, c => Assert.Equal(1, c.Count));
    }

    [Fact]
    public async Task Fails_only_the_rows_a_422_points_at_and_sends_the_others_again()
    {
        await using var emulator = await RunningEmulator.StartAsync(o => o.Projects.Add(new ProjectSpec("acme", new[] { "first_name", "company" }, 1000)));
        var rows = new List<VideoRow>
        {
            Runs.Row(1, "ok-1", ("first_name", "Ann"), ("company", "Contoso")),
            Runs.Row(2, "bad-2", ("first_name", "Bo")),
            Runs.Row(3, "ok-3", ("first_name", "Cy"), ("company", "Fabrikam")),
            Runs.Row(4, "bad-4", ("company", "Litware")),
        };
        var outcomes = Runs.Run(emulator.Client(), "acme", rows);

        AssertConservation(rows, outcomes);
        var outcome = Assert.Single(outcomes);
        Assert.Equal(new[] { "ok-1", "ok-3" }, outcome.Results.Select(r => r.UniqueId).OrderBy(x => x));
        Assert.Equal(new[] { "bad-2", "bad-4" }, outcome.Failures.Select(f => f.Key.UniqueId).OrderBy(x => x));
        Assert.All(outcome.Failures, f => Assert.Equal(ErrorIds.ServiceRejectedRow, f.Value.ErrorId));
        Assert.All(outcome.Failures, f => Assert.Equal(f.Key.Number, f.Value.RowNumber));
        Assert.Contains("company: Field required", outcome.Failures.Single(f => f.Key.UniqueId == "bad-2").Value.Message);
        Assert.Contains("first_name: Field required", outcome.Failures.Single(f => f.Key.UniqueId == "bad-4").Value.Message);
        Assert.Equal(2, emulator.App.State.Stats().RowsCreated);
    }

    [Fact]
    public async Task Splits_a_batch_the_service_finds_too_large()
    {
        await using var emulator = await RunningEmulator.StartAsync(o => o.Faults = new FaultSettings { MaxBatchSize = 3 });
        var rows = Runs.Rows(10);
        var outcomes = Runs.Run(emulator.Client(), "demo", rows, batchSize: 10);

        AssertConservation(rows, outcomes);
        Assert.Equal(10, outcomes.Single().Results.Count);
        Assert.Equal(10, emulator.App.State.Stats().RowsCreated);
    }

    [Fact]
    public async Task Sends_again_after_5xx_answered_before_anything_was_created()
    {
        await using var emulator = await RunningEmulator.StartAsync(o => o.Faults = new FaultSettings { ErrorRate = 0.5 });
        var rows = Runs.Rows(100);
        var outcomes = Runs.Run(emulator.Client(), "demo", rows, settings: Runs.FastSettings(maxRetries: 12));

        AssertConservation(rows, outcomes);
        Assert.Equal(100, outcomes.Sum(o => o.Results.Count));
        Assert.True(outcomes.Sum(o => o.Requests) > 10, "the error rate should have forced retries");
        Assert.All(emulator.App.State.CreatedIds("demo"), c => Assert.Equal(1, c.Count));
        Assert.Contains(outcomes.SelectMany(o => o.Results), r => r.PossibleDuplicate); // 5xx after sending is ambiguous to the client
    }

    [Fact]
    public async Task Gives_each_row_an_error_when_the_answer_leaves_it_out()
    {
        await using var emulator = await RunningEmulator.StartAsync(o => o.Faults = new FaultSettings { OmitRate = 1 });
        var rows = Runs.Rows(5);
        var outcomes = Runs.Run(emulator.Client(), "demo", rows);

        AssertConservation(rows, outcomes);
        Assert.All(outcomes.Single().Failures, f => Assert.Equal(ErrorIds.NoResultReturned, f.Value.ErrorId));
    }

    [Fact]
    public async Task Gives_each_row_an_error_when_the_answer_is_not_json()
    {
        await using var emulator = await RunningEmulator.StartAsync(o => o.Faults = new FaultSettings { MalformedRate = 1 });
        var rows = Runs.Rows(5);
        var outcomes = Runs.Run(emulator.Client(), "demo", rows);

        AssertConservation(rows, outcomes);
        Assert.All(outcomes.Single().Failures, f => Assert.Equal(ErrorIds.MalformedAnswer, f.Value.ErrorId));
    }

    [Fact]
    public async Task Gives_each_row_ProjectNotFound_for_an_unknown_project_and_stops_asking()
    {
        await using var emulator = await RunningEmulator.StartAsync();
        var rows = Runs.Rows(30);
        var settings = Runs.FastSettings();
        settings.ThrottleLimit = 1;
        var outcomes = Runs.Run(emulator.Client(), "no-such-project", rows, settings: settings);

        AssertConservation(rows, outcomes);
        Assert.All(outcomes.SelectMany(o => o.Failures), f => Assert.Equal(ErrorIds.ProjectNotFound, f.Value.ErrorId));
        Assert.True(emulator.App.State.Stats().BulkRequests < 3, "after a 404 the other batches are not sent");
    }

    [Fact]
    public async Task Reports_a_refused_token_instead_of_row_errors()
    {
        await using var emulator = await RunningEmulator.StartAsync();
        var outcomes = Runs.Run(emulator.Client("wrong-token"), "demo", Runs.Rows(5));
        var outcome = Assert.Single(outcomes);
        Assert.NotNull(outcome.TokenRefused);
        Assert.DoesNotContain("wrong-token", outcome.TokenRefused!.ToString());
        Assert.Equal(0, emulator.App.State.Stats().RowsCreated);
    }

    [Fact]
    public async Task Gives_each_row_an_error_when_the_connection_keeps_dropping()
    {
        await using var emulator = await RunningEmulator.StartAsync(o => o.Faults = new FaultSettings { DropRate = 1 });
        var rows = Runs.Rows(4);
        var outcomes = Runs.Run(emulator.Client(), "demo", rows, settings: Runs.FastSettings(maxRetries: 2));

        AssertConservation(rows, outcomes);
        var failure = outcomes.Single().Failures.First().Value;
        Assert.Equal(ErrorIds.ConnectionFailed, failure.ErrorId);
        Assert.Contains("3 attempts", failure.Message);
        Assert.Equal(3, emulator.App.State.Stats().BulkRequests);
    }
}
