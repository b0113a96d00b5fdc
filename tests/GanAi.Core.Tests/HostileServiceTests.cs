using System.Net.Http;
using System.Text;
using GanAi.Api;
using GanAi.Batching;
using GanAi.Journal;

namespace GanAi.Core.Tests;

/// <summary>
/// Answers only a broken service gives (<see cref="BrokenPeer"/>): what .NET makes of them must not
/// carry the token, must keep the status it had, and must end a run that a refusal ends.
/// </summary>
public class HostileServiceTests
{
    private const string Token = "sekrit/TOKEN+123-abcdef/ghijkl";

    private static byte[] Ascii(string text) => Encoding.ASCII.GetBytes(text);

    private static GanApiClient Client(BrokenPeer peer) => new(peer.BaseUri, RunningEmulator.Secure(Token));

    [Theory]
    [InlineData("{0}\r\n")] // a header line without a colon: "Received an invalid header line: '...'"
    [InlineData("X-Echo {0}: x\r\n")] // a header name with a space: "Received an invalid header name: '...'"
    public async Task A_transport_error_that_quotes_the_request_does_not_carry_the_token(string echo)
    {
        using var peer = new BrokenPeer(head => Ascii("HTTP/1.1 200 OK\r\n" + string.Format(echo, BrokenPeer.Header(head, "Authorization")) + "Content-Length: 2\r\n\r\n[]"));

        var failure = await Assert.ThrowsAnyAsync<Exception>(() => Client(peer).SendAsync(HttpMethod.Post, "bulk", new ArraySegment<byte>(Ascii("[]")), CancellationToken.None));

        Assert.IsAssignableFrom<HttpRequestException>(failure); // still a transport failure (unclear, retried under the cap)
        for (var e = failure; e != null; e = e.InnerException)
        {
            Assert.DoesNotContain("TOKEN+123", e.Message, StringComparison.OrdinalIgnoreCase);
            Assert.DoesNotContain("abcdef/ghijkl", e.Message, StringComparison.OrdinalIgnoreCase);
        }
        Assert.Contains(TokenRedactor.Placeholder, failure.ToString()); // the message is kept, the token replaced
        Assert.Equal(1, peer.Requests);
    }

    [Fact]
    public void A_copy_without_the_token_keeps_what_failures_are_told_apart_by()
    {
        var redactor = new TokenRedactor(Token);
        var quoted = new HttpRequestException("bad header 'Bearer " + Token + "'", new IOException("inner " + Token, new System.Net.Sockets.SocketException(10054)));

        var copy = redactor.WithoutToken(quoted);

        Assert.IsType<HttpRequestException>(copy);
        Assert.IsType<IOException>(copy.InnerException);
        Assert.IsType<System.Net.Sockets.SocketException>(copy.InnerException!.InnerException);
        Assert.DoesNotContain(Token, copy.ToString(), StringComparison.Ordinal);
        var clean = new HttpRequestException("refused");
        Assert.Same(clean, redactor.WithoutToken(clean));
    }

    [Theory]
    [InlineData(401)]
    [InlineData(503)]
    [InlineData(200)]
    public async Task A_compressed_body_that_does_not_decompress_keeps_its_status(int status)
    {
        using var peer = new BrokenPeer(_ => Ascii($"HTTP/1.1 {status} X\r\nContent-Encoding: gzip\r\nContent-Length: 12\r\n\r\nnot gzip at!"));

        var failure = await Assert.ThrowsAsync<GanApiException>(() => Client(peer).SendAsync(HttpMethod.Get, "projects", null, CancellationToken.None));

        Assert.Equal(status, failure.StatusCode);
        Assert.Contains("could not be decoded", failure.Message);
    }

    [Theory]
    [InlineData("HTTP/1.1 401 Unauthorized\r\nContent-Length: 40000000\r\n\r\n{}")] // refused, with more than is read
    [InlineData("HTTP/1.1 401 Unauthorized\r\nContent-Encoding: gzip\r\nContent-Length: 12\r\n\r\nnot gzip at!")] // refused, undecodable
    public void A_refusal_whose_body_cannot_be_read_still_ends_the_run(string answer)
    {
        using var peer = new BrokenPeer(_ => Ascii(answer));
        var options = new VideoBatchOptions("demo") { BatchSize = 5, SkipPreflight = true, Resilience = Runs.FastSettings().Resilience };
        var host = new RecordingHost();
        var rows = Enumerable.Range(1, 40).Select(i => new Dictionary<string, object?> { ["unique_id"] = "r" + i, ["names"] = "x" }).ToList();

        using var cancellation = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        using var session = new VideoBatchSession(options, host, cancellation.Token);
        var ended = Assert.Throws<RunEndedException>(() =>
        {
            session.Begin(GanConnections.Create(peer.BaseUri, RunningEmulator.Secure(Token), "test"));
            foreach (var row in rows) session.Add(row, row.ToList());
            session.End();
        });

        Assert.Equal(ErrorIds.TokenRefused, ended.ErrorId);
        Assert.True(peer.Requests < 40 / 5, $"{peer.Requests} requests: every batch was sent after the refusal");
    }
}
