using System;
using System.Globalization;
using System.Management.Automation;
using System.Security;
using GanAi.Api;
using GanAi.Batching;
using GanAi.Connections;
using GanAi.Projects;

namespace GanAi.Cmdlets
{
    /// <summary>
    /// <para type="synopsis">Connects this PowerShell session to Gan.ai (or to the local emulator).</para>
    /// </summary>
    [Cmdlet(VerbsCommunications.Connect, "GanAi", DefaultParameterSetName = TokenSet)]
    [OutputType(typeof(GanConnection))]
    public sealed class ConnectGanAiCommand : GanCmdlet
    {
        public const string TokenVariable = "GANAI_API_TOKEN";
        public const string BaseUriVariable = "GANAI_BASE_URI";
        private const string TokenSet = "Token";
        private const string CredentialSet = "Credential";

        /// <summary>The API token. Without it (and without -Credential), the GANAI_API_TOKEN environment variable is read.</summary>
        [Parameter(Position = 0, ParameterSetName = TokenSet)]
        [ValidateNotNull]
        [SecureToken]
        public SecureString? Token { get; set; }

        /// <summary>Signs in with an email address (the user name) and password (POST /users/login); the access token it gives is used.</summary>
        [Parameter(Mandatory = true, ParameterSetName = CredentialSet)]
        [ValidateNotNull]
        [Credential]
        public PSCredential Credential { get; set; } = null!;

        /// <summary>The service's address; defaults to GANAI_BASE_URI, else https://api.gan.ai.</summary>
        [Parameter]
        [ValidateNotNull]
        public Uri? BaseUri { get; set; }

        /// <summary>Also returns the connection, for -Connection.</summary>
        [Parameter]
        public SwitchParameter PassThru { get; set; }

        /// <summary>
        /// Connects without checking the token (one request for the first page of projects). For
        /// offline tests, and a scheduled job that must not fail at connecting.
        /// </summary>
        [Parameter]
        public SwitchParameter SkipTokenCheck { get; set; }

        protected override void EndProcessing()
        {
            var baseUri = ResolveBaseUri();
            Uri checkedUri;
            try
            {
                checkedUri = ConnectionAddress.Validate(baseUri);
            }
            catch (ArgumentException ex)
            {
                ThrowTerminatingError(new ErrorRecord(ex, ErrorIds.InvalidBaseUri, ErrorCategory.InvalidArgument, baseUri));
                return;
            }
            var signIn = ParameterSetName == CredentialSet;
            var (token, source) = signIn ? SignIn(checkedUri) : ResolveToken();
            var connection = GanConnections.Create(checkedUri, token, source);
            // A token just issued by signing in needs no check; the check can be skipped on purpose.
            var projects = signIn || SkipTokenCheck ? (string?)null : CheckToken(connection);

            ConnectionStore.Set(connection);
            WriteHostMessage($"Connected to {connection.BaseUri} with the token from {source}" + (projects is null
                ? (signIn ? "." : "; the first request that uses it checks it.")
                : $": the service accepted it; {projects}."));
            if (PassThru) WriteObject(connection);
        }

        /// <summary>
        /// A line for the person at the console, as Write-Host writes it: shown by default (whatever
        /// $InformationPreference says), never output, and kept by -InformationVariable and 6&gt;.
        /// </summary>
        private void WriteHostMessage(string text) =>
            WriteInformation(new HostInformationMessage { Message = text }, new[] { "PSHOST" });

        /// <summary>
        /// One request for the first page of projects, no retry: a refused token (TokenRefused) or a
        /// service that cannot be reached (ServiceUnreachable) fails the command and no connection is
        /// stored. Any other failure (a 5xx, a timeout) only warns: the token may well be good. When
        /// the service accepted the token: how many projects it has ("3 project(s)"), else null.
        /// </summary>
        private string? CheckToken(GanConnection connection)
        {
            var caller = CreateCaller(connection, maxRetries: 0, timeoutSec: 30);
            try
            {
                var answer = Run(ct => caller.GetAsync(ApiPaths.Projects(1), "Checking the token", ct));
                return ProjectCatalog.CountOf(answer.Body) is { } count ? count.ToString(CultureInfo.InvariantCulture) + " project(s)" : "its projects list could not be read";
            }
            catch (Exception ex) when (ApiFailure.From(ex) is { } failure)
            {
                if (failure.IsTokenRefused)
                {
                    ThrowTerminatingError(new ErrorRecord(GanModelFactory.RunEnding(ErrorIds.TokenRefused,
                        $"The service at {connection.BaseUri} refused the token from {connection.TokenSource}: {failure.Message.TrimEnd('.')}. Not connected. Give a valid token (New-GanToken makes one for a scheduled job).", failure.Exception),
                        ErrorIds.TokenRefused, ErrorCategory.AuthenticationError, connection.BaseUri));
                }
                if (failure.IsConnectFailure)
                {
                    ThrowTerminatingError(new ErrorRecord(GanModelFactory.RunEnding(ErrorIds.ServiceUnreachable,
                        $"The service at {connection.BaseUri} could not be reached: {failure.Message.TrimEnd('.')}. Not connected. Check -BaseUri (or GANAI_BASE_URI), or connect without the check with -SkipTokenCheck.", failure.Exception),
                        ErrorIds.ServiceUnreachable, ErrorCategory.ConnectionError, connection.BaseUri));
                }
                WriteWarning($"The token could not be checked ({failure.Message.TrimEnd('.')}); connected anyway. The first request that uses it checks it.");
                return null;
            }
        }

        /// <summary>POST /users/login without a bearer token; the password never leaves its SecureString except in that request body.</summary>
        private (SecureString Token, string Source) SignIn(Uri baseUri)
        {
            var email = Credential.UserName;
            if (string.IsNullOrEmpty(email) || Credential.Password is null || Credential.Password.Length == 0)
                Refuse("-Credential needs an email address as the user name and a password.");
            var anonymous = new ApiCaller(new GanApiClient(baseUri, null), Settings(maxRetries: 2, timeoutSec: 100));
            try
            {
                var token = Run(ct => Accounts.AccountApi.LoginAsync(anonymous, email!, Credential.Password!, ct));
                return (token, "signing in as " + email);
            }
            catch (Exception ex) when (ApiFailure.From(ex) is { } failure)
            {
                var message = failure.IsTokenRefused ? $"Signing in as {email} was refused: the email or password is wrong." : "Signing in failed: " + failure.Message;
                ThrowTerminatingError(new ErrorRecord(GanModelFactory.RunEnding(ErrorIds.SignInFailed, message, failure.Exception),
                    ErrorIds.SignInFailed, failure.IsTokenRefused ? ErrorCategory.AuthenticationError : ToCategory(failure.Category), email));
                throw; // not reached
            }
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
            return (SecureText.Protect(text!), "the environment variable " + TokenVariable);
        }

        private Uri ResolveBaseUri()
        {
            if (BaseUri != null) return BaseUri;
            var text = Environment.GetEnvironmentVariable(BaseUriVariable);
            if (string.IsNullOrEmpty(text)) return ConnectionAddress.DefaultBaseUri;
            if (!Uri.TryCreate(text, UriKind.Absolute, out var fromEnvironment))
            {
                ThrowTerminatingError(new ErrorRecord(
                    GanModelFactory.RunEnding(ErrorIds.InvalidBaseUri, $"The environment variable {BaseUriVariable} holds '{text}', which is not an absolute URI.", null),
                    ErrorIds.InvalidBaseUri, ErrorCategory.InvalidArgument, text));
            }
            return fromEnvironment!;
        }

        private void Refuse(string message) =>
            ThrowTerminatingError(new ErrorRecord(GanModelFactory.RunEnding(ErrorIds.MissingToken, message, null), ErrorIds.MissingToken, ErrorCategory.InvalidArgument, null));
    }
}
