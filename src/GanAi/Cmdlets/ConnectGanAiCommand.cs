using System;
using System.Management.Automation;
using System.Security;
using GanAi.Api;
using GanAi.Connections;

namespace GanAi.Cmdlets
{
    /// <summary>
    /// <para type="synopsis">Connects this PowerShell session to Gan.ai (or to the local emulator).</para>
    /// </summary>
    [Cmdlet(VerbsCommunications.Connect, "GanAi")]
    [OutputType(typeof(GanConnection))]
    public sealed class ConnectGanAiCommand : PSCmdlet
    {
        public const string TokenVariable = "GANAI_API_TOKEN";
        public const string BaseUriVariable = "GANAI_BASE_URI";

        /// <summary>The API token. Without it, the GANAI_API_TOKEN environment variable is read.</summary>
        [Parameter(Position = 0)]
        [ValidateNotNull]
        public SecureString? Token { get; set; }

        /// <summary>The service's address; defaults to GANAI_BASE_URI, else https://api.gan.ai.</summary>
        [Parameter]
        [ValidateNotNull]
        public Uri? BaseUri { get; set; }

        /// <summary>Also returns the connection, for -Connection.</summary>
        [Parameter]
        public SwitchParameter PassThru { get; set; }

        protected override void EndProcessing()
        {
            var (token, source) = ResolveToken();
            var baseUri = ResolveBaseUri();
            GanConnection connection;
            try
            {
                connection = new GanConnection(baseUri, token, source);
            }
            catch (ArgumentException ex)
            {
                ThrowTerminatingError(new ErrorRecord(ex, "InvalidBaseUri", ErrorCategory.InvalidArgument, baseUri));
                return;
            }

            ConnectionStore.Set(connection);
            WriteVerbose($"Connected to {connection.BaseUri} with the token from {source}. The token is checked by the first request that uses it.");
            if (PassThru) WriteObject(connection);
        }

        private (SecureString Token, string Source) ResolveToken()
        {
            if (Token != null)
            {
                if (Token.Length == 0) Refuse("The -Token given is empty.");
                return (Token, "the -Token parameter");
            }

            var text = Environment.GetEnvironmentVariable(TokenVariable);
            if (string.IsNullOrEmpty(text))
                Refuse($"No token: pass -Token (a SecureString, e.g. from Read-Host -AsSecureString) or set the environment variable {TokenVariable}.");
            var secure = new SecureString();
            foreach (var c in text!) secure.AppendChar(c);
            secure.MakeReadOnly();
            return (secure, "the environment variable " + TokenVariable);
        }

        private Uri ResolveBaseUri()
        {
            if (BaseUri != null) return BaseUri;
            var text = Environment.GetEnvironmentVariable(BaseUriVariable);
            if (string.IsNullOrEmpty(text)) return ConnectionAddress.DefaultBaseUri;
            if (!Uri.TryCreate(text, UriKind.Absolute, out var fromEnvironment))
            {
                ThrowTerminatingError(new ErrorRecord(
                    new ArgumentException($"The environment variable {BaseUriVariable} holds '{text}', which is not an absolute URI."),
                    "InvalidBaseUri", ErrorCategory.InvalidArgument, text));
            }
            return fromEnvironment!;
        }

        private void Refuse(string message) =>
            ThrowTerminatingError(new ErrorRecord(new ArgumentException(message), "MissingToken", ErrorCategory.InvalidArgument, null));
    }
}
