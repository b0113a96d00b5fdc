using GanAi.Resilience;

namespace GanAi.Core.Tests;

/// <summary>The adaptive number of batches in flight: slow start, back-off, probing, the user's cap.</summary>
public class AdaptiveConcurrencyTests
{
    /// <summary>A fake clock and a model of the service: a round takes one second, and finishes rowsPerRound(limit) rows.</summary>
    private sealed class Service
    {
        private TimeSpan _now;

        public Service(int initial, int max) => Concurrency = new AdaptiveConcurrency(initial, max, () => _now);

        public AdaptiveConcurrency Concurrency { get; }

        public void Round(Func<int, int> rowsPerRound, bool saturated = true)
        {
            var limit = Concurrency.Limit;
            var rows = rowsPerRound(limit);
            for (var i = 0; i < limit; i++)
            {
                if (saturated) Concurrency.OnSaturated();
                if (i == limit - 1) _now += TimeSpan.FromSeconds(1);
                Concurrency.OnCompleted(rateLimited: false, rows: rows / limit);
            }
        }
    }

    private static int LatencyBound(int limit) => limit * 100;         // each slot adds a batch per second
    private static int ServerBound(int limit) => 400;                   // the server does 400 rows a second however many wait

    [Fact]
    public void Doubles_per_round_while_more_requests_bring_more_throughput_up_to_the_cap()
    {
        var service = new Service(4, 32);
        var seen = new List<int> { service.Concurrency.Limit };
        for (var i = 0; i < 5; i++)
        {
            service.Round(LatencyBound);
            seen.Add(service.Concurrency.Limit);
        }
        Assert.Equal(new[] { 4, 8, 16, 32, 32, 32 }, seen);
    }

    [Fact]
    public void Takes_a_step_back_when_more_requests_bring_no_more_throughput()
    {
        var service = new Service(4, 32);
        service.Round(ServerBound);
        Assert.Equal(8, service.Concurrency.Limit); // the first step is always tried
        service.Round(ServerBound);
        Assert.Equal(4, service.Concurrency.Limit); // 8 did no better than 4: back
        for (var i = 0; i < 7; i++) service.Round(ServerBound);
        Assert.Equal(4, service.Concurrency.Limit); // held at the plateau
        service.Round(ServerBound);
        Assert.Equal(5, service.Concurrency.Limit); // now and then one step up is tried
        service.Round(ServerBound);
        Assert.Equal(4, service.Concurrency.Limit); // and taken back when it brings nothing
    }

    [Fact]
    public void Does_not_grow_when_the_input_is_the_bottleneck()
    {
        var service = new Service(4, 32);
        for (var i = 0; i < 10; i++) service.Round(LatencyBound, saturated: false);
        Assert.Equal(4, service.Concurrency.Limit);
    }

    [Fact]
    public void Halves_at_once_on_a_429_and_then_grows_by_one_per_round()
    {
        var service = new Service(4, 64);
        service.Round(LatencyBound);
        service.Round(LatencyBound);
        Assert.Equal(16, service.Concurrency.Limit);
        service.Concurrency.OnCompleted(rateLimited: true);
        Assert.Equal(8, service.Concurrency.Limit);
        service.Round(LatencyBound);
        Assert.Equal(9, service.Concurrency.Limit);
        service.Round(LatencyBound);
        Assert.Equal(10, service.Concurrency.Limit);
    }

    [Fact]
    public void Never_exceeds_the_users_throttle_limit_nor_goes_below_one()
    {
        var capped = new Service(4, 2);
        Assert.Equal(2, capped.Concurrency.Limit);
        for (var i = 0; i < 5; i++) capped.Round(LatencyBound);
        Assert.Equal(2, capped.Concurrency.Limit);

        var one = new AdaptiveConcurrency(1, 8);
        one.OnCompleted(rateLimited: true);
        one.OnCompleted(rateLimited: true);
        Assert.Equal(1, one.Limit);
    }
}
