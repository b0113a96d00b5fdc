using System.Net;
using GanAi.Api;
using GanAi.Resilience;
using Polly;

namespace GanAi.Core.Tests;

/// <summary>Which answers may come after the service did the work: only a 4xx says it did not.</summary>
public class TransientFailureTests
{
    [Theory]
    [InlineData(500, true)]
    [InlineData(503, true)]
    [InlineData(501, true)]
    [InlineData(507, true)]
    [InlineData(520, true)]  // a proxy's "unknown error": the origin may have done the work
    [InlineData(524, true)]  // a proxy's "the origin timed out"
    [InlineData(302, true)]  // not an answer the API gives: it says nothing either way
    [InlineData(400, false)]
    [InlineData(404, false)]
    [InlineData(408, false)]
    [InlineData(409, false)]
    [InlineData(422, false)]
    [InlineData(429, false)]
    [InlineData(200, false)] // not a failure
    public void A_failed_answer_may_have_been_processed_unless_it_is_a_4xx(int status, bool mayHaveBeenProcessed)
    {
        var answer = new ApiResponse((HttpStatusCode)status, null, null, Array.Empty<byte>());
        Assert.Equal(mayHaveBeenProcessed, TransientFailure.MayHaveBeenProcessed(Outcome.FromResult(answer)));
    }

    [Fact]
    public void A_connection_that_was_refused_never_carried_the_body()
    {
        var refused = new HttpRequestException("refused", new System.Net.Sockets.SocketException((int)System.Net.Sockets.SocketError.ConnectionRefused));
        Assert.False(TransientFailure.MayHaveBeenProcessed(Outcome.FromException<ApiResponse>(refused)));
        var reset = new HttpRequestException("reset", new IOException("broken pipe"));
        Assert.True(TransientFailure.MayHaveBeenProcessed(Outcome.FromException<ApiResponse>(reset)));
    }
}
