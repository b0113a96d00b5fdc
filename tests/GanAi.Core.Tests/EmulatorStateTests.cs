using GanAi.Emulator;
using GanAi.Emulator.State;

namespace GanAi.Core.Tests;

/// <summary>The emulator's record of created videos: what the tests count doubled videos with.</summary>
public class EmulatorStateTests
{
    [Fact]
    public void Finds_every_video_made_from_many_threads_and_counts_each_unique_id()
    {
        var state = new EmulatorState(new EmulatorOptions { Seed = 1 });
        var project = state.FindProject("demo")!;
        var tags = new[] { new KeyValuePair<string, string>("names", "x") };
        var made = new EmulatedVideo[20_000];
        Parallel.For(0, made.Length, new ParallelOptions { MaxDegreeOfParallelism = 8 }, i => made[i] = state.CreateVideo(project, "id-" + i, tags));
        state.CreateVideo(project, "id-7", tags); // a doubled video

        Assert.All(made, video => Assert.Same(video, state.FindVideo(video.InferenceId)));
        Assert.Equal(made.Length, made.Select(v => v.InferenceId).Distinct(StringComparer.Ordinal).Count());
        var stats = state.Stats();
        Assert.Equal(made.Length + 1, stats.RowsCreated);
        Assert.Equal(made.Length, stats.UniqueIdsCreated);
        Assert.Equal(1, stats.UniqueIdsCreatedMoreThanOnce);
        Assert.Equal(2, state.CreatedIds("demo").Single(id => id.UniqueId == "id-7").Count);
        Assert.Equal(made.Length + 1, state.Videos("demo").Count());
    }

    [Fact]
    public void Finds_only_ids_it_handed_out_and_none_from_before_a_reset()
    {
        var state = new EmulatorState(new EmulatorOptions { Seed = 1 });
        var video = state.CreateVideo(state.FindProject("demo")!, "row-1", Array.Empty<KeyValuePair<string, string>>());
        Assert.Matches("^[0-9a-f]{32}$", video.InferenceId);
        Assert.Null(state.FindVideo(video.InferenceId.ToUpperInvariant()));
        Assert.Null(state.FindVideo(video.InferenceId[..31] + "1"));
        Assert.Null(state.FindVideo("not-an-id"));

        state.Reset();
        Assert.Null(state.FindVideo(video.InferenceId));
        var after = state.CreateVideo(state.FindProject("demo")!, "row-1", Array.Empty<KeyValuePair<string, string>>());
        Assert.NotEqual(video.InferenceId, after.InferenceId);
        Assert.Same(after, state.FindVideo(after.InferenceId));
        Assert.Equal(1, state.Stats().UniqueIdsCreated);
    }

    [Fact]
    public void Hands_each_finished_video_to_its_projects_webhook_once_and_none_before_it_is_finished()
    {
        var options = new EmulatorOptions { Seed = 1, RenderSeconds = 0.3 };
        options.Projects.Add(new ProjectSpec("one", new[] { "names" }, 1000));
        options.Projects.Add(new ProjectSpec("two", new[] { "names" }, 1000));
        var state = new EmulatorState(options);
        var tags = Array.Empty<KeyValuePair<string, string>>();
        var one = state.FindProject("one")!;
        var two = state.FindProject("two")!;
        var first = new[] { state.CreateVideo(one, "a", tags), state.CreateVideo(two, "b", tags), state.CreateVideo(one, "c", tags) };

        Assert.Empty(state.TakeFinishedForWebhook("one")); // still rendering
        Thread.Sleep(450);
        var later = state.CreateVideo(one, "d", tags);
        Assert.Equal(new[] { first[0], first[2] }, state.TakeFinishedForWebhook("one"));
        Assert.Empty(state.TakeFinishedForWebhook("one")); // each once; "d" is still rendering
        Assert.Equal(new[] { first[1] }, state.TakeFinishedForWebhook("two"));
        Thread.Sleep(450);
        Assert.Equal(new[] { later }, state.TakeFinishedForWebhook("one"));

        state.Reset();
        var afterReset = state.CreateVideo(one, "a", tags);
        Thread.Sleep(450);
        Assert.Equal(new[] { afterReset }, state.TakeFinishedForWebhook("one"));
    }
}
