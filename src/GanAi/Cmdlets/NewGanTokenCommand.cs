using System;
using System.Management.Automation;
using System.Security;
using GanAi.Accounts;
using GanAi.Api;
using GanAi.Batching;

namespace GanAi.Cmdlets
{
    /// <summary>
    /// <para type="synopsis">Creates a named API token with its own expiry, for a scheduled job, and returns it as a SecureString.</para>
    /// </summary>
    [Cmdlet(VerbsCommon.New, "GanToken", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Low)]
    [OutputType(typeof(SecureString))]
    public sealed class NewGanTokenCommand : GanApiCmdlet
    {
        /// <summary>The token's name. A user cannot hold two valid tokens with the same name.</summary>
        [Parameter(Mandatory = true, Position = 0)]
        [ValidateNotNullOrEmpty]
        public string Name { get; set; } = string.Empty;

        /// <summary>How long the token stays valid (whole minutes, at least one; e.g. (New-TimeSpan -Days 90)).</summary>
        [Parameter(Mandatory = true, Position = 1)]
        public TimeSpan ExpiresIn { get; set; }

        protected override void EndProcessing()
        {
            if (ExpiresIn < TimeSpan.FromMinutes(1))
            {
                ThrowTerminatingError(new ErrorRecord(GanModelFactory.RunEnding(ErrorIds.InvalidExpiry,
                    $"-ExpiresIn must be at least one minute (it was {ExpiresIn}): the service counts a token's life in whole minutes.", null),
                    ErrorIds.InvalidExpiry, ErrorCategory.InvalidArgument, ExpiresIn));
            }
            var connection = ResolveConnection();
            if (!ShouldProcess($"token '{Name}' valid for {ExpiresIn}", "Create token")) return;
            var caller = CreateCaller(connection, 2, 100);
            SecureString token;
            try
            {
                token = Run(ct => AccountApi.CreateDynamicTokenAsync(caller, Name, ExpiresIn, ct));
            }
            catch (Exception ex) when (ApiFailure.From(ex) is { } failure)
            {
                ThrowApiFailure(failure, ErrorIds.TokenNotCreated, Name);
                return;
            }
            WriteVerbose($"Created token '{Name}', valid until about {DateTimeOffset.Now + ExpiresIn:u}. Keep it in a secret store; it is not shown.");
            WriteObject(token);
        }
    }
}
