using System.Net;
using System.Net.Sockets;
using System.Text;

namespace GanAi.Core.Tests;

/// <summary>
/// A loopback peer that answers every request with the same bytes, for what the emulator cannot
/// send (Kestrel writes only valid HTTP): a header line that quotes the request's Authorization, a
/// compressed body that does not decompress, a length nobody sends. It reads each request's head and
/// its body (by Content-Length), writes the bytes and closes the connection. Not an HTTP server:
/// a broken service, on purpose.
/// </summary>
internal sealed class BrokenPeer : IDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly Func<string, byte[]> _answer;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _accepting;
    private int _requests;

    /// <param name="answer">The answer's bytes, given the request's head (so it can quote a header).</param>
    public BrokenPeer(Func<string, byte[]> answer)
    {
        _answer = answer;
        _listener.Start();
        BaseUri = new Uri($"http://127.0.0.1:{((IPEndPoint)_listener.LocalEndpoint).Port}/");
        _accepting = Task.Run(AcceptAsync);
    }

    public Uri BaseUri { get; }

    public int Requests => Volatile.Read(ref _requests);

    /// <summary>The value of <paramref name="header"/> in a request head, or "".</summary>
    public static string Header(string head, string header) =>
        head.Split("\r\n").FirstOrDefault(l => l.StartsWith(header + ":", StringComparison.OrdinalIgnoreCase))?[(header.Length + 1)..].Trim() ?? string.Empty;

    private async Task AcceptAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            TcpClient client;
            try
            {
                client = await _listener.AcceptTcpClientAsync(_stop.Token);
            }
            catch (Exception ex) when (ex is OperationCanceledException || ex is SocketException || ex is ObjectDisposedException)
            {
                return;
            }
            _ = Task.Run(() => AnswerAsync(client));
        }
    }

    private async Task AnswerAsync(TcpClient client)
    {
        using (client)
        {
            try
            {
                var stream = client.GetStream();
                var received = new List<byte>();
                var buffer = new byte[8192];
                int end;
                while ((end = IndexOfHeadEnd(received)) < 0)
                {
                    var n = await stream.ReadAsync(buffer, _stop.Token);
                    if (n == 0) return;
                    received.AddRange(buffer.AsSpan(0, n).ToArray());
                }
                var head = Encoding.ASCII.GetString(received.GetRange(0, end).ToArray());
                var length = int.TryParse(Header(head, "Content-Length"), out var declared) ? declared : 0;
                var body = received.Count - end - 4;
                while (body < length)
                {
                    var n = await stream.ReadAsync(buffer, _stop.Token);
                    if (n == 0) return;
                    body += n;
                }
                Interlocked.Increment(ref _requests);
                await stream.WriteAsync(_answer(head), _stop.Token);
                await stream.FlushAsync(_stop.Token);
            }
            catch (Exception ex) when (ex is IOException || ex is OperationCanceledException || ex is SocketException)
            {
                // The client gave up: nothing to answer.
            }
        }
    }

    private static int IndexOfHeadEnd(List<byte> bytes)
    {
        for (var i = 3; i < bytes.Count; i++)
        {
            if (bytes[i - 3] == '\r' && bytes[i - 2] == '\n' && bytes[i - 1] == '\r' && bytes[i] == '\n') return i - 3;
        }
        return -1;
    }

    public void Dispose()
    {
        _stop.Cancel();
        _listener.Stop();
        try
        {
            _accepting.Wait(TimeSpan.FromSeconds(5));
        }
        catch (AggregateException)
        {
        }
        _stop.Dispose();
    }
}
