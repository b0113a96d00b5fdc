using System.Net;
using System.Text;
using GanAi.Api;
using Xunit;

namespace GanAi.Core.Tests;

/// <summary>
/// Reading an answer's body under the attempt's time limit. .NET Framework's response stream checks
/// the cancellation token only when a read starts; neither .NET nor Mono (whose streams honour the
/// token during a read) can show that, so <see cref="TokenBlindStream"/> behaves as .NET Framework's
/// does: a read that has started ends only when the stream is disposed.
/// </summary>
public class HttpExchangeTests
{
    [Fact]
    public async Task A_stalled_body_whose_stream_ignores_the_token_ends_when_the_time_limit_does()
    {
        var stream = new TokenBlindStream();
        using var response = new HttpResponseMessage(HttpStatusCode.OK) { Content = new StreamContent(stream) };
        using var limit = new CancellationTokenSource(TimeSpan.FromMilliseconds(200));

        var read = HttpExchange.ReadBodyAsync(response, body => body.ReadAsync(new byte[16], 0, 16, limit.Token), limit.Token);

        // Without the disposal at the deadline the read would wait for ever: a bound, not a timing target.
        Assert.Same(read, await Task.WhenAny(read, Task.Delay(TimeSpan.FromSeconds(30))));
        var cancelled = await Assert.ThrowsAnyAsync<OperationCanceledException>(() => read);
        Assert.Equal(limit.Token, cancelled.CancellationToken);
        Assert.True(stream.Disposed);
    }

    [Fact]
    public async Task A_body_that_arrives_in_time_is_read_and_the_answer_stays_usable()
    {
        using var response = new HttpResponseMessage(HttpStatusCode.OK) { Content = new StringContent("{\"ok\":true}", Encoding.UTF8) };
        using var limit = new CancellationTokenSource(TimeSpan.FromSeconds(30));

        var text = await HttpExchange.ReadBodyAsync(response, async body => await new StreamReader(body).ReadToEndAsync(), limit.Token);

        Assert.Equal("{\"ok\":true}", text);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    /// <summary>A body that sends nothing after its headers, whose reads ignore their token once started.</summary>
    private sealed class TokenBlindStream : Stream
    {
        private readonly TaskCompletionSource<int> _disposed = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public bool Disposed => _disposed.Task.IsCompleted;

        public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken)
        {
            cancellationToken.ThrowIfCancellationRequested(); // only when the read starts
            return WaitForDisposal();
        }

        public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
        {
            cancellationToken.ThrowIfCancellationRequested();
            return new ValueTask<int>(WaitForDisposal());
        }

        private async Task<int> WaitForDisposal()
        {
            await _disposed.Task.ConfigureAwait(false);
            throw new ObjectDisposedException(nameof(TokenBlindStream)); // what a read gets when its connection is closed under it
        }

        protected override void Dispose(bool disposing)
        {
            _disposed.TrySetResult(0);
            base.Dispose(disposing);
        }

        public override bool CanRead => true;
        public override bool CanSeek => false;
        public override bool CanWrite => false;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }
        public override void Flush() { }
        public override int Read(byte[] buffer, int offset, int count) => WaitForDisposal().GetAwaiter().GetResult();
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
