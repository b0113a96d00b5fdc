using GanAi.Resilience;

namespace GanAi.Core.Tests;

/// <summary>The adaptive number of batches in flight: slow start, halving on 429, the user's cap.</summary>
public class AdaptiveConcurrencyTests
{
    private static void CompleteRound(AdaptiveConcurrency concurrency, bool saturated = true)
    {
        var round = concurrency.Limit;
        for (var i = 0; i < round; i++)
        {
            if (saturated) concurrency.OnSaturated();
            concurrency.OnCompleted(rateLimited: false);
        }
    }

    [Fact]
    public void Doubles_per_round_while_the_sender_waits_for_slots_up_to_the_cap()
    {
        var concurrency = new AdaptiveConcurrency(4, 32);
        var seen = new List<int> { concurrency.Limit };
        for (var i = 0; i < 5; i++)
        {
            CompleteRound(concurrency);
            seen.Add(concurrency.Limit);
        }
        Assert.Equal(new[] { 4, 8, 16, 32, 32, 32 }, seen);
    }

    [Fact]
    public void Does_not_grow_when_the_input_is_the_bottleneck()
    {
        var concurrency = new AdaptiveConcurrency(4, 32);
        for (var i = 0; i < 10; i++) CompleteRound(concurrency, saturated: false);
        Assert.Equal(4, concurrency.Limit);
    }

    [Fact]
    public void Halves_at_once_on_a_429_and_then_grows_by_one_per_round()
    {
        var concurrency = new AdaptiveConcurrency(4, 64);
        CompleteRound(concurrency);
        CompleteRound(concurrency);
        Assert.Equal(16, concurrency.Limit);
        concurrency.OnCompleted(rateLimited: true);
        Assert.Equal(8, concurrency.Limit);
        CompleteRound(concurrency);
        Assert.Equal(9, concurrency.Limit);
        CompleteRound(concurrency);
        Assert.Equal(10, concurrency.Limit);
    }

    [Fact]
    public void Never_exceeds_the_users_throttle_limit_nor_goes_below_one()
    {
        var capped = new AdaptiveConcurrency(4, 2);
        Assert.Equal(2, capped.Limit);
        for (var i = 0; i < 5; i++) CompleteRound(capped);
        Assert.Equal(2, capped.Limit);

        var one = new AdaptiveConcurrency(1, 8);
        one.OnCompleted(rateLimited: true);
        one.OnCompleted(rateLimited: true);
        Assert.Equal(1, one.Limit);
    }
}
