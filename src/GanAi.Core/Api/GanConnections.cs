using System;
using System.Security;

namespace GanAi.Api
{
    /// <summary>Makes connections (GanConnection lives in GanAi.Models, which knows nothing of HTTP) and reads their client.</summary>
    internal static class GanConnections
    {
        /// <summary>A connection to a checked base URI (https, or http on loopback) with its own HTTP client.</summary>
        public static GanConnection Create(Uri baseUri, SecureString token, string tokenSource)
        {
            var checkedUri = ConnectionAddress.Validate(baseUri);
            return new GanConnection(checkedUri, tokenSource, new GanApiClient(checkedUri, token));
        }

        public static GanApiClient ClientOf(this GanConnection connection) => (GanApiClient)connection.Client;
    }
}
