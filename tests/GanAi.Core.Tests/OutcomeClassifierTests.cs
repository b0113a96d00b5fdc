using System.Net;
using GanAi.Api;
using GanAi.Resilience;
using Polly;
using Polly.Timeout;

namespace GanAi.Core.Tests;

/// <summary>
/// Rule 2 of docs/delivery.md, a row per answer: which answers prove nothing was made (clear), which
/// may have made videos (unclear), and which are worth another attempt. The expected values are
/// written out, so a change of the table is made twice, on purpose.
/// </summary>
public class OutcomeClassifierTests
{
    public static TheoryData<int, WorkVerdict, bool> Statuses => new()
    {
        { 200, WorkVerdict.Done, false },
        { 201, WorkVerdict.Done, false },
        { 100, WorkVerdict.MayHaveMade, false },
        { 300, WorkVerdict.NothingMade, false },
        { 301, WorkVerdict.NothingMade, false }, // a redirect of the request comes before any handler
        { 302, WorkVerdict.MayHaveMade, false }, // Post/Redirect/Get: how a processed POST is often answered
        { 303, WorkVerdict.MayHaveMade, false }, // See Other: the POST was processed (RFC 9110)
        { 307, WorkVerdict.NothingMade, false },
        { 308, WorkVerdict.NothingMade, false },
        { 400, WorkVerdict.MayHaveMade, false }, // part of a batch may have been made before the refusal
        { 401, WorkVerdict.NothingMade, false },
        { 402, WorkVerdict.MayHaveMade, false }, // credits ran out halfway through a batch
        { 403, WorkVerdict.NothingMade, false },
        { 404, WorkVerdict.NothingMade, false },
        { 405, WorkVerdict.NothingMade, false },
        { 408, WorkVerdict.NothingMade, true },
        { 409, WorkVerdict.MayHaveMade, false },
        { 410, WorkVerdict.MayHaveMade, false },
        { 413, WorkVerdict.NothingMade, false }, // assumed before the work (a gateway's)
        { 415, WorkVerdict.NothingMade, false },
        { 422, WorkVerdict.NothingMade, false }, // assumed before the work (FastAPI validates first)
        { 429, WorkVerdict.NothingMade, true },
        { 431, WorkVerdict.NothingMade, false },
        { 451, WorkVerdict.MayHaveMade, false },
        { 500, WorkVerdict.MayHaveMade, true },
        { 501, WorkVerdict.MayHaveMade, false },
        { 502, WorkVerdict.MayHaveMade, true },
        { 503, WorkVerdict.MayHaveMade, true },
        { 504, WorkVerdict.MayHaveMade, true },
        { 507, WorkVerdict.MayHaveMade, false },
        { 520, WorkVerdict.MayHaveMade, true }, // a proxy's "unknown error": the origin may have done the work
        { 521, WorkVerdict.NothingMade, true }, // Cloudflare: the origin is down
        { 522, WorkVerdict.NothingMade, true }, // Cloudflare: no connection to the origin
        { 523, WorkVerdict.NothingMade, true }, // Cloudflare: the origin is unreachable
        { 524, WorkVerdict.MayHaveMade, true }, // Cloudflare: the origin timed out after taking the request
        { 525, WorkVerdict.NothingMade, true }, // Cloudflare: TLS with the origin failed
        { 526, WorkVerdict.NothingMade, true },
        { 530, WorkVerdict.MayHaveMade, false },
    };

    [Theory]
    [MemberData(nameof(Statuses))]
    public void Each_status_proves_what_the_table_says(int status, WorkVerdict work, bool retryable)
    {
        var verdict = OutcomeClassifier.Classify(Outcome.FromResult(new ApiResponse((HttpStatusCode)status, null, null, Array.Empty<byte>())), bodyLeft: true);
        Assert.Equal((work, retryable), (verdict.Work, verdict.Retryable));
        Assert.Equal(work, OutcomeClassifier.ForStatus(status));
        Assert.False(verdict.NoAnswer);
    }

    public static TheoryData<string, Exception> Failures => new()
    {
        { "refused", new HttpRequestException("refused", new System.Net.Sockets.SocketException((int)System.Net.Sockets.SocketError.ConnectionRefused)) },
        { "reset", new HttpRequestException("reset", new IOException("broken pipe")) },
        { "dropped", new IOException("The connection closed after 10 of the answer's 100 bytes.") },
        { "time limit", new TimeoutRejectedException() },
        { "connect timeout", new ConnectTimeoutException(new TimeoutException()) },
    };

    [Theory]
    [MemberData(nameof(Failures))]
    public void A_failure_before_the_body_left_made_nothing_and_after_it_may_have(string what, Exception failure)
    {
        var before = OutcomeClassifier.Classify(Outcome.FromException<ApiResponse>(failure), bodyLeft: false);
        Assert.Equal((WorkVerdict.NothingMade, true, true, false), (before.Work, before.Retryable, before.NeverLeft, before.NoAnswer));
        var after = OutcomeClassifier.Classify(Outcome.FromException<ApiResponse>(failure), bodyLeft: true);
        Assert.Equal((WorkVerdict.MayHaveMade, true, false, true), (after.Work, after.Retryable, after.NeverLeft, after.NoAnswer));
        Assert.True(after.IsUnclearFailure, what);
    }

    [Theory]
    [InlineData(200, WorkVerdict.MayHaveMade)] // made, its results lost: never sent again
    [InlineData(503, WorkVerdict.MayHaveMade)]
    [InlineData(429, WorkVerdict.NothingMade)]
    public void An_answer_too_large_to_read_is_judged_by_its_status_and_never_retried(int status, WorkVerdict work)
    {
        var verdict = OutcomeClassifier.Classify(Outcome.FromException<ApiResponse>(new GanApiException("too large", status, null)), bodyLeft: true);
        Assert.Equal((work, false), (verdict.Work, verdict.Retryable));
    }

    [Fact]
    public void A_cancelled_request_made_nothing_only_if_nothing_left()
    {
        Assert.Equal(WorkVerdict.MayHaveMade, OutcomeClassifier.Classify(Outcome.FromException<ApiResponse>(new OperationCanceledException()), bodyLeft: true).Work);
        Assert.Equal(WorkVerdict.NothingMade, OutcomeClassifier.Classify(Outcome.FromException<ApiResponse>(new OperationCanceledException()), bodyLeft: false).Work);
    }

    [Fact]
    public void A_connect_timeout_and_a_refused_connect_are_connect_failures_and_a_reset_is_not()
    {
        Assert.True(TransientFailure.IsConnectFailure(new ConnectTimeoutException(new TimeoutException())));
        Assert.True(TransientFailure.IsConnectFailure(new HttpRequestException("x", new System.Net.Sockets.SocketException((int)System.Net.Sockets.SocketError.ConnectionRefused))));
        Assert.False(TransientFailure.IsConnectFailure(new HttpRequestException("reset", new IOException("broken pipe", new System.Net.Sockets.SocketException((int)System.Net.Sockets.SocketError.ConnectionReset)))));
    }
}
