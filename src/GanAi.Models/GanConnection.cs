using System;

namespace GanAi
{
    /// <summary>
    /// An immutable connection to Gan.ai: a base URI, a token kept as a SecureString and one
    /// HttpClient. <c>Connect-GanAi -PassThru</c> returns it; every API cmdlet takes it as
    /// <c>-Connection</c>. It never shows the token: the token is not a property of this object.
    /// </summary>
    public sealed class GanConnection
    {
        // client: GanAi.Core's GanApiClient, kept as object because this assembly has no dependencies
        // (GanConnections.Create in GanAi.Core makes connections).
        internal GanConnection(Uri baseUri, string tokenSource, object client)
        {
            BaseUri = baseUri;
            TokenSource = tokenSource;
            ConnectedAt = DateTimeOffset.Now;
            Client = client;
        }

        /// <summary>The service's base URI, e.g. https://api.gan.ai/.</summary>
        public Uri BaseUri { get; }

        /// <summary>Where the token came from: a parameter or the environment variable.</summary>
        public string TokenSource { get; }

        /// <summary>When the connection was made.</summary>
        public DateTimeOffset ConnectedAt { get; }

        internal object Client { get; }

        /// <inheritdoc />
        public override string ToString() => "GanAi connection to " + BaseUri;
    }
}
