using GanAi.Emulator;
using GanAi.Emulator.State;
using Xunit;

namespace GanAi.Core.Tests;

/// <summary>The emulator's render queue: a project's requests in turn, a request's videos together.</summary>
public class RenderQueueTests
{
    private static readonly KeyValuePair<string, string>[] NoTags = Array.Empty<KeyValuePair<string, string>>();

    [Fact]
    public void A_projects_requests_render_one_after_another_at_the_rate_and_each_requests_videos_finish_together()
    {
        var state = new EmulatorState(new EmulatorOptions { Seed = 1, RenderSeconds = 0, RenderRate = 100 });
        var project = state.FindProject("demo")!;

        var first = state.ScheduleRender(project, 50);  // 0.5 s of the queue
        var second = state.ScheduleRender(project, 100); // then 1 s more

        Assert.Equal(first.FinishesAt, second.StartsAt);
        Assert.Equal(1.0, (second.FinishesAt - second.StartsAt).TotalSeconds, 3);
        Assert.InRange((first.FinishesAt - first.StartsAt).TotalSeconds, 0.499, 0.501);
        var a = state.CreateVideo(project, "a", NoTags, second);
        var b = state.CreateVideo(project, "b", NoTags, second);
        Assert.Equal(a.Render, b.Render);
        Assert.Equal("PENDING", state.StatusOf(a)); // its turn starts after the first request's 0.5 s
    }

    [Fact]
    public void A_video_in_the_queue_still_takes_at_least_the_render_time_and_other_projects_have_their_own_queue()
    {
        var options = new EmulatorOptions { Seed = 1, RenderSeconds = 5, RenderRate = 1000 };
        options.Projects.Add(new ProjectSpec("one", new[] { "names" }, 1000));
        options.Projects.Add(new ProjectSpec("two", new[] { "names" }, 1000));
        var state = new EmulatorState(options);

        var before = DateTimeOffset.UtcNow;
        var fast = state.ScheduleRender(state.FindProject("one")!, 10); // 10 ms of queue, but 5 s at the least
        var busy = state.ScheduleRender(state.FindProject("one")!, 10_000); // 10 s of queue
        var other = state.ScheduleRender(state.FindProject("two")!, 10);

        Assert.True(fast.FinishesAt - before >= TimeSpan.FromSeconds(4.99));
        Assert.True(busy.FinishesAt - before >= TimeSpan.FromSeconds(10));
        Assert.True(other.FinishesAt - before < TimeSpan.FromSeconds(5.5), "project two does not wait for project one's queue");
    }

    [Fact]
    public void Without_a_rate_every_video_takes_the_render_time_alone()
    {
        var state = new EmulatorState(new EmulatorOptions { Seed = 1, RenderSeconds = 3 });
        var project = state.FindProject("demo")!;
        var before = DateTimeOffset.UtcNow;
        state.ScheduleRender(project, 10_000);
        var next = state.ScheduleRender(project, 10_000);
        Assert.InRange((next.FinishesAt - before).TotalSeconds, 3, 3.5);
        Assert.InRange((next.StartsAt - before).TotalSeconds, 1, 1.5); // PROCESSING after a third
    }

    [Fact]
    public void A_webhook_is_not_held_back_by_another_projects_videos_that_are_still_rendering()
    {
        var options = new EmulatorOptions { Seed = 1, RenderSeconds = 0, RenderRate = 1 };
        options.Projects.Add(new ProjectSpec("slow", new[] { "names" }, 1000));
        options.Projects.Add(new ProjectSpec("quick", new[] { "names" }, 1000));
        var state = new EmulatorState(options);
        var slow = state.FindProject("slow")!;
        var quick = state.FindProject("quick")!;
        state.CreateVideo(slow, "s", NoTags, state.ScheduleRender(slow, 600)); // ten minutes of queue
        var made = state.CreateVideo(quick, "q", NoTags, state.ScheduleRender(quick, 0));
        Assert.Equal(new[] { made }, state.TakeFinishedForWebhook("quick"));
    }

    [Theory]
    [InlineData(new long[] { }, 0)]
    [InlineData(new long[] { 5 }, 1)]
    [InlineData(new long[] { 0, 100, 999, 1000, 1999 }, 3)] // [0, 1000) holds 3, as does [1000, 2000)
    [InlineData(new long[] { 3000, 0, 2500, 2600, 2700 }, 4)]
    public void Finds_the_most_status_reads_in_any_one_second(long[] milliseconds, int peak)
    {
        var ticks = milliseconds.Select(ms => ms * System.Diagnostics.Stopwatch.Frequency / 1000).ToArray();
        Assert.Equal(peak, EmulatorState.PeakPerSecond(ticks));
    }
}
