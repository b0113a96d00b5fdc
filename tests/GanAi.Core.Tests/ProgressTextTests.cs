using GanAi.Batching;

namespace GanAi.Core.Tests;

/// <summary>
/// The progress line, at the sizes a Pester run cannot reach: a million rows, a day and more of run.
/// PowerShell 7's minimal view draws "&lt;activity&gt; [&lt;status&gt; ]" in at most 120 columns.
/// </summary>
public class ProgressTextTests
{
    private static int MinimalViewWidth(string activity, string status) => activity.Length + " [".Length + status.Length + " ]".Length;

    [Fact]
    public void PutsTheNumbersFirstInTheIssuesShape()
    {
        var text = RunMessages.Progress(1999, 1995, 0, 4, TimeSpan.FromSeconds(84));
        Assert.Equal("1,999 rows read · 1,995 made · 4 errors · 24 rows/s · 0:01:24", text);
        Assert.Equal("1 row read · 1 made · 1 error · 0.5 rows/s · 0:00:02", RunMessages.Progress(1, 1, 0, 1, TimeSpan.FromSeconds(2)));
    }

    [Theory]
    [InlineData(100_000, 60_000, 39_000, 1_000, 70.0)]
    [InlineData(1_000_000, 499_000, 499_000, 2_000, 26 * 3600.0 + 5)]
    [InlineData(1_000_000, 999_999, 0, 1, 100 * 3600.0)]
    public void FitsTheMinimalViewWithLargeCountsAndALongRun(long read, long made, long fromJournal, long errors, double seconds)
    {
        var elapsed = TimeSpan.FromSeconds(seconds);
        var text = RunMessages.Progress(read, made, fromJournal, errors, elapsed);
        Assert.True(MinimalViewWidth("New-GanVideoBatch", text) <= 120, text);
        Assert.EndsWith(Concurrency.ProgressText.Elapsed(elapsed), text);
        Assert.StartsWith(read.ToString("N0", System.Globalization.CultureInfo.InvariantCulture) + " rows read", text);
    }

    [Fact]
    public void GivesTheTimeSoFarInHoursPastADay() =>
        Assert.Equal("26:00:05", Concurrency.ProgressText.Elapsed(TimeSpan.FromHours(26) + TimeSpan.FromSeconds(5)));
}
