using GanAi.Resilience;

namespace GanAi.Core.Tests;

/// <summary>The run's breaker rule, on a clock the test moves: 10 s without any answer and 3 or more attempts that could not connect.</summary>
public class ServiceReachabilityTests
{
    private TimeSpan _now;

    private ServiceReachability Breaker() => new(() => _now);

    [Fact]
    public void Opens_when_three_attempts_failed_to_connect_and_nothing_answered_for_ten_seconds()
    {
        using var breaker = Breaker();
        foreach (var _ in Enumerable.Range(0, 3)) breaker.OnConnectFailure("refused");
        Assert.False(breaker.IsOpen); // not yet 10 s

        _now = TimeSpan.FromSeconds(10);
        breaker.Check();
        Assert.True(breaker.IsOpen);
        Assert.True(breaker.Opened.IsCancellationRequested); // every wait ends
        Assert.Contains("the last 3 attempts could not connect (refused)", breaker.Reason);
    }

    [Fact]
    public void Does_not_open_on_two_failures_however_long_the_silence()
    {
        using var breaker = Breaker();
        breaker.OnConnectFailure("refused");
        breaker.OnConnectFailure("refused");
        _now = TimeSpan.FromMinutes(5);
        breaker.Check();
        Assert.False(breaker.IsOpen);
        breaker.OnConnectFailure("refused"); // the third, long after the last answer: at once
        Assert.True(breaker.IsOpen);
    }

    [Fact]
    public void Any_answer_restarts_the_count_and_the_silence()
    {
        using var breaker = Breaker();
        foreach (var _ in Enumerable.Range(0, 5)) breaker.OnConnectFailure("refused");
        _now = TimeSpan.FromSeconds(9);
        breaker.OnAnswer(); // a 503 is an answer: the service is there
        _now = TimeSpan.FromSeconds(15);
        foreach (var _ in Enumerable.Range(0, 5)) breaker.OnConnectFailure("refused");
        breaker.Check();
        Assert.False(breaker.IsOpen); // 6 s since the answer
        _now = TimeSpan.FromSeconds(19);
        breaker.Check();
        Assert.True(breaker.IsOpen);
    }

    [Fact]
    public void Opens_by_itself_once_the_silence_is_long_enough()
    {
        // The real clock: three quick failures, then the breaker's own timer opens it at 10 s.
        using var breaker = new ServiceReachability();
        foreach (var _ in Enumerable.Range(0, 3)) breaker.OnConnectFailure("refused");
        Assert.False(breaker.IsOpen);
        Assert.True(breaker.Opened.WaitHandle.WaitOne(TimeSpan.FromSeconds(20)));
    }

    [Theory]
    [InlineData(System.Net.Sockets.SocketError.ConnectionRefused, true)]
    [InlineData(System.Net.Sockets.SocketError.HostNotFound, true)]
    [InlineData(System.Net.Sockets.SocketError.TimedOut, true)]
    [InlineData(System.Net.Sockets.SocketError.ConnectionReset, false)]
    public void Tells_a_failure_to_connect_from_a_connection_that_broke(System.Net.Sockets.SocketError error, bool connectFailure)
    {
        var direct = new HttpRequestException("send", new System.Net.Sockets.SocketException((int)error));
        Assert.Equal(connectFailure, TransientFailure.IsConnectFailure(direct));
        // The same socket error behind an IOException happened on a connection that was made.
        var broken = new HttpRequestException("send", new IOException("read", new System.Net.Sockets.SocketException((int)error)));
        Assert.False(TransientFailure.IsConnectFailure(broken));
    }
}
