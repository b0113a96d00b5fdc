using System.Diagnostics;
using GanAi.Status;
using Xunit;

namespace GanAi.Core.Tests;

/// <summary>The pure parts of Wait-GanVideo's polling: the ceiling's order and pace, the groups, the backoff at an age.</summary>
public class StatusPollingTests
{
    [Fact]
    public async Task The_ceiling_lets_the_earliest_input_read_first_when_several_wait()
    {
        var gate = new StatusReadGate(readsPerSecond: 20);
        var first = gate.WaitTurnAsync(order: 0, CancellationToken.None); // takes the first turn at once
        var order = new List<long>();
        var waiting = new[] { 7L, 3L, 5L, 1L }.Select(o => gate.WaitTurnAsync(o, CancellationToken.None).ContinueWith(_ => { lock (order) order.Add(o); })).ToArray();
        await first;
        await Task.WhenAll(waiting);
        Assert.Equal(new long[] { 1, 3, 5, 7 }, order);
    }

    [Fact]
    public async Task The_ceiling_spaces_the_reads_so_no_second_holds_more_than_it()
    {
        var gate = new StatusReadGate(readsPerSecond: 50);
        var given = new List<long>();
        gate.TurnGiven = at => given.Add(at);
        var clock = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, 120).Select(i => gate.WaitTurnAsync(i, CancellationToken.None)));
        Assert.True(GanAi.Emulator.State.EmulatorState.PeakPerSecond(given.ToArray()) <= 50, "at most 50 turns in any second");
        Assert.True(clock.Elapsed >= TimeSpan.FromSeconds(2.3), $"120 turns at 50 a second take about 2.4 s, not {clock.Elapsed}");
        Assert.Equal(120, gate.Granted);
    }

    [Fact]
    public async Task A_turn_given_late_after_an_idle_spell_does_not_let_a_second_hold_more_than_the_ceiling()
    {
        var gate = new StatusReadGate(readsPerSecond: 5);
        var given = new List<long>();
        gate.TurnGiven = at => given.Add(at);
        await gate.WaitTurnAsync(0, CancellationToken.None);
        await Task.Delay(700); // idle, then a crowd: the grid starts again, the last second still counts
        await Task.WhenAll(Enumerable.Range(1, 9).Select(i => gate.WaitTurnAsync(i, CancellationToken.None)));
        Assert.Equal(10, given.Count);
        Assert.True(GanAi.Emulator.State.EmulatorState.PeakPerSecond(given.ToArray()) <= 5, "at most 5 turns in any second");
    }

    [Fact]
    public async Task A_stopped_read_leaves_its_turn_to_the_next()
    {
        var gate = new StatusReadGate(readsPerSecond: 2);
        await gate.WaitTurnAsync(0, CancellationToken.None);
        using var stop = new CancellationTokenSource();
        var stopped = gate.WaitTurnAsync(1, stop.Token);
        var next = gate.WaitTurnAsync(2, CancellationToken.None);
        stop.Cancel();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => stopped);
        await next;
        Assert.Equal(2, gate.Granted);
    }

    [Fact]
    public void The_first_video_of_each_request_leads_its_group_and_a_video_without_one_is_on_its_own()
    {
        var polling = new StatusPolling(10);
        var a1 = polling.Add(new VideoRef("p", "i1", requestId: "r-1"));
        var b1 = polling.Add(new VideoRef("p", "i2", requestId: "r-2"));
        var a2 = polling.Add(new VideoRef("p", "i3", requestId: "r-1"));
        var other = polling.Add(new VideoRef("q", "i4", requestId: "r-1")); // another project: another group
        var loose = polling.Add(new VideoRef("p", "i5"));

        Assert.True(a1.IsLeader);
        Assert.True(b1.IsLeader);
        Assert.True(a2.IsMember);
        Assert.Same(a1.Group, a2.Group);
        Assert.True(other.IsLeader);
        Assert.Null(loose.Group);
        Assert.False(loose.IsMember);
        Assert.Equal(new long[] { 0, 1, 2, 3, 4 }, new[] { a1, b1, a2, other, loose }.Select(v => v.Order));
    }

    [Fact]
    public void When_a_leader_is_done_its_members_may_read_and_the_projects_next_group_is_woken_once()
    {
        var polling = new StatusPolling(10);
        (PolledVideo Leader, PolledVideo Member) Group(string project, string request) =>
            (polling.Add(new VideoRef(project, request + "-a", requestId: request)), polling.Add(new VideoRef(project, request + "-b", requestId: request)));
        var first = Group("p", "r-1");
        var elsewhere = Group("q", "r-9"); // another project's: its queue is its own
        var second = Group("p", "r-2");
        var third = Group("p", "r-3");
        var alone = polling.Add(new VideoRef("p", "solo", requestId: "r-4")); // a group of one: never woken
        var secondWake = second.Leader.Group!.WakeTask;
        var thirdWake = third.Leader.Group!.WakeTask;

        first.Leader.Group!.EndLeader();

        Assert.True(first.Member.Group!.LeaderDoneTask.IsCompleted);
        Assert.False(elsewhere.Leader.Group!.WakeTask.IsCompleted);
        Assert.True(secondWake.IsCompleted);
        Assert.False(thirdWake.IsCompleted); // only the next one

        var secondAgain = second.Leader.Group.WakeTask;
        elsewhere.Leader.Group.EndLeader(); // another project's group is done: not ours to wake
        Assert.False(secondAgain.IsCompleted);

        second.Leader.Group.EndLeader();
        Assert.True(thirdWake.IsCompleted);
        var thirdAgain = third.Leader.Group.WakeTask;
        third.Leader.Group.EndLeader();
        Assert.False(alone.Group!.WakeTask.IsCompleted);
        Assert.False(thirdAgain.IsCompleted);
    }

    [Fact]
    public void The_second_video_of_a_group_is_its_probe_and_a_member_that_finds_its_video_final_ends_the_groups_wait()
    {
        var polling = new StatusPolling(10);
        var leader = polling.Add(new VideoRef("p", "i1", requestId: "r-1"));
        var probe = polling.Add(new VideoRef("p", "i2", requestId: "r-1"));
        var member = polling.Add(new VideoRef("p", "i3", requestId: "r-1"));
        Assert.False(leader.IsProbe);
        Assert.True(probe.IsProbe);
        Assert.False(member.IsProbe);

        probe.Group!.SeenFinal(); // the leader is stuck rendering, the request has finished
        Assert.True(member.Group!.DoneTask.IsCompleted);
        Assert.False(member.Group.LeaderDoneTask.IsCompleted);
    }

    [Fact]
    public void Only_the_probe_reads_on_its_own_before_the_last_look_at_the_deadline()
    {
        var settings = new WaitSettings();
        var now = DateTime.UtcNow;
        var probe = settings.MemberPatience(now, now.AddHours(1), isProbe: true);
        var member = settings.MemberPatience(now, now.AddHours(1), isProbe: false);
        Assert.InRange(probe.TotalSeconds, 63, 65); // 2 + 3 + 4.5 + ... until the pause is 30 s
        Assert.InRange(member.TotalSeconds, 3595, 3598.1); // a last look 2 s before the deadline
        Assert.InRange(settings.MemberPatience(now, now.AddSeconds(5), isProbe: true).TotalSeconds, 4.4, 4.51);
    }

    [Fact]
    public void A_request_id_of_blanks_is_no_request_id()
    {
        var polling = new StatusPolling(10);
        Assert.Null(polling.Add(new VideoRef("p", "i1", requestId: "  ")).Group);
        Assert.Same(polling.Add(new VideoRef("p", "i2", requestId: " r-1")).Group, polling.Add(new VideoRef("p", "i3", requestId: "r-1 ")).Group);
    }

    [Theory]
    [InlineData(0, 2)]
    [InlineData(1.9, 2)]
    [InlineData(2, 3)]      // after the first pause of 2 s
    [InlineData(5, 4.5)]    // 2 + 3
    [InlineData(9.5, 6.75)] // 2 + 3 + 4.5
    [InlineData(3600, 30)]  // the longest pause
    public void A_member_goes_on_with_the_pause_it_would_have_had_at_its_age(double ageSeconds, double pauseSeconds)
    {
        var settings = new WaitSettings();
        Assert.Equal(pauseSeconds, settings.IntervalAt(TimeSpan.FromSeconds(ageSeconds)).TotalSeconds, 6);
    }
}
