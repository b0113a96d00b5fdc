using System;
using System.Net.Http;

namespace GanAi.Api
{
    /// <summary>No connection was made within <see cref="HttpHandlers.ConnectTimeout"/>: the request never left.</summary>
    internal sealed class ConnectTimeoutException : HttpRequestException
    {
        public ConnectTimeoutException(Exception inner)
            : base("no connection within " + HttpHandlers.ConnectTimeout.TotalSeconds.ToString("0", System.Globalization.CultureInfo.InvariantCulture) + " s", inner)
        {
        }
    }
}
