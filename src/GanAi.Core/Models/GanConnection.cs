using System;
using System.Security;
using GanAi.Api;

namespace GanAi
{
    /// <summary>
    /// An immutable connection to Gan.ai: a base URI, a token kept as a SecureString and one
    /// HttpClient. <c>Connect-GanAi -PassThru</c> returns it; every API cmdlet takes it as
    /// <c>-Connection</c>. It never shows the token: the token is not a property of this object.
    /// </summary>
    public sealed class GanConnection
    {
        internal GanConnection(Uri baseUri, SecureString token, string tokenSource)
        {
            BaseUri = ConnectionAddress.Validate(baseUri);
            TokenSource = tokenSource;
            ConnectedAt = DateTimeOffset.Now;
            Client = new GanApiClient(BaseUri, token);
        }

        /// <summary>The service's base URI, e.g. https://api.gan.ai/.</summary>
        public Uri BaseUri { get; }

        /// <summary>Where the token came from: a parameter or the environment variable.</summary>
        public string TokenSource { get; }

        /// <summary>When the connection was made.</summary>
        public DateTimeOffset ConnectedAt { get; }

        internal GanApiClient Client { get; }

        /// <inheritdoc />
        public override string ToString() => "GanAi connection to " + BaseUri;
    }
}
