using System;
using System.IO;
using System.Net;
using System.Net.Http;
using System.Threading;
using System.Threading.Tasks;

namespace GanAi.Api
{
    /// <summary>
    /// A request body that says when it starts to go out. HttpClient writes a body only once the
    /// request has a connection, right after its headers: a request whose body never started did not
    /// reach the service, so it made nothing, whatever else failed (no connection, the time limit
    /// while waiting for one). That is what lets a failed billable request count as not sent.
    /// </summary>
    internal sealed class TrackedContent : HttpContent
    {
        private readonly ArraySegment<byte> _body;
        private readonly Action? _leaving;

        public TrackedContent(ArraySegment<byte> body, Action? leaving)
        {
            _body = body;
            _leaving = leaving;
        }

        protected override Task SerializeToStreamAsync(Stream stream, TransportContext? context)
        {
            _leaving?.Invoke();
            return stream.WriteAsync(_body.Array!, _body.Offset, _body.Count);
        }

#if NET8_0_OR_GREATER
        protected override Task SerializeToStreamAsync(Stream stream, TransportContext? context, CancellationToken cancellationToken)
        {
            _leaving?.Invoke();
            return stream.WriteAsync(_body.Array!, _body.Offset, _body.Count, cancellationToken);
        }

        protected override void SerializeToStream(Stream stream, TransportContext? context, CancellationToken cancellationToken)
        {
            _leaving?.Invoke();
            stream.Write(_body.Array!, _body.Offset, _body.Count);
        }
#endif

        protected override bool TryComputeLength(out long length)
        {
            length = _body.Count;
            return true;
        }
    }

}
