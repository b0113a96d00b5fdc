using GanAi.Batching;
using GanAi.Emulator;

namespace GanAi.Core.Tests;

/// <summary>
/// A bounded, seeded soak: several runs, each under a random mix of faults that prove nothing was
/// made (a rate limit and 429s, 413s), with rows the service refuses mixed in. Every run must account
/// for every row exactly once, and the emulator must have created each accepted unique_id exactly
/// once. (Faults whose answers are unclear, a 5xx or a drop, are the fault fuzz's: a row may then
/// end OutcomeUnknown at its cap of sends.)
/// </summary>
public class SoakTests
{
    [Fact]
    public async Task Every_row_ends_once_and_no_video_is_made_twice_under_mixed_faults()
    {
        await using var emulator = await RunningEmulator.StartAsync();
        var dice = new Random(20261126);
        for (var run = 0; run < 8; run++)
        {
            var faults = new FaultSettings
            {
                TooManyRequestsRate = dice.Next(3) == 0 ? 0.05 : 0,
                MaxBatchSize = dice.Next(2) == 0 ? 0 : dice.Next(3, 12),
                Shuffle = dice.Next(2) == 0,
                RateLimit = dice.Next(3) == 0 ? 40 : 0,
                LatencyMs = dice.Next(0, 5),
            };
            emulator.App.State.Reset();
            emulator.App.State.SetFaults(faults);

            var rows = new List<VideoRow>();
            for (var i = 1; i <= 150; i++)
            {
                rows.Add(dice.Next(15) == 0
                    ? Runs.Row(i, $"soak{run}-{i}", ("wrong_tag", "refused by the service"))
                    : Runs.Row(i, $"soak{run}-{i}", ("names", "Name " + i)));
            }
            var settings = Runs.FastSettings(maxRetries: 20);
            settings.ThrottleLimit = dice.Next(1, 8);
            var outcomes = Runs.Run(emulator.Client(), "demo", rows, batchSize: dice.Next(5, 40), settings: settings);

            var results = outcomes.SelectMany(o => o.Results).ToList();
            var failures = outcomes.SelectMany(o => o.Failures).ToList();
            Assert.Equal(rows.Count, results.Count + failures.Count);
            Assert.Equal(rows.Select(r => r.UniqueId).OrderBy(x => x, StringComparer.Ordinal),
                results.Select(r => r.UniqueId).Concat(failures.Select(f => f.Key.UniqueId)).OrderBy(x => x, StringComparer.Ordinal));
            Assert.All(failures, f => Assert.Equal(ErrorIds.ServiceRejectedRow, f.Value.ErrorId));

            var created = emulator.App.State.CreatedIds("demo").ToList();
            Assert.All(created, c => Assert.Equal(1, c.Count));
            Assert.Equal(results.Select(r => r.UniqueId).OrderBy(x => x, StringComparer.Ordinal), created.Select(c => c.UniqueId).OrderBy(x => x, StringComparer.Ordinal));
        }
    }
}
