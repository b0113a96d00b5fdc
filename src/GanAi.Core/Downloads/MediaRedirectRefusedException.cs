using System;
using Polly;

namespace GanAi.Downloads
{
    /// <summary>A media URL redirected where downloads do not follow (file:, another scheme, plain http off loopback): InvalidMediaUrl.</summary>
    internal sealed class MediaRedirectRefusedException : Exception
    {
        public MediaRedirectRefusedException(string message)
            : base(message)
        {
        }
    }
}
