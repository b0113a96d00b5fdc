using System;
using System.Management.Automation;
using System.Security;
using GanAi.Accounts;
using GanAi.Api;
using GanAi.Batching;
using GanAi.Completion;

namespace GanAi.Cmdlets
{
    /// <summary>
    /// <para type="synopsis">Sets (or turns off) the webhook Gan.ai calls when a project's videos finish.</para>
    /// </summary>
    [Cmdlet(VerbsCommon.Set, "GanWebhook", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium, DefaultParameterSetName = EnableSet)]
    public sealed class SetGanWebhookCommand : GanApiCmdlet
    {
        private const string EnableSet = "Enable";
        private const string DisableSet = "Disable";

        /// <summary>The project whose webhook to set.</summary>
        [Parameter(Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true)]
        [ValidateNotNullOrEmpty]
        [ArgumentCompleter(typeof(ProjectIdCompleter))]
        public string ProjectId { get; set; } = string.Empty;

        /// <summary>The URL the service POSTs finished videos to (https; http only on loopback).</summary>
        [Parameter(Mandatory = true, Position = 1, ParameterSetName = EnableSet)]
        [ValidateNotNull]
        public Uri Uri { get; set; } = null!;

        /// <summary>A token the service sends back to your URL as "Authorization: Bearer &lt;token&gt;", so your receiver can tell its calls apart.</summary>
        [Parameter(ParameterSetName = EnableSet)]
        [ValidateNotNull]
        public SecureString? WebhookToken { get; set; }

        /// <summary>Turns the project's webhook off.</summary>
        [Parameter(Mandatory = true, ParameterSetName = DisableSet)]
        public SwitchParameter Disable { get; set; }

        protected override void ProcessRecord()
        {
            var connection = ResolveConnection();
            if (!Disable)
            {
                try
                {
                    ConnectionAddress.Validate(Uri); // https, or http on loopback: the payload names every video
                }
                catch (ArgumentException ex)
                {
                    WriteError(new ErrorRecord(ex, ErrorIds.InvalidWebhookUri, ErrorCategory.InvalidArgument, Uri));
                    return;
                }
            }
            var action = Disable ? "Turn the webhook off" : $"Send finished videos to {Uri}";
            if (!ShouldProcess($"project '{ProjectId}'", action)) return;

            var caller = CreateCaller(connection, 2, 100);
            try
            {
                Run(async ct =>
                {
                    await AccountApi.SetWebhookAsync(caller, ProjectId, Disable ? null : Uri, !Disable, WebhookToken, ct).ConfigureAwait(false);
                    return true;
                });
            }
            catch (Exception ex) when (ApiFailure.From(ex, ErrorIds.ProjectNotFound) is { } failure)
            {
                if (failure.IsTokenRefused) ThrowApiFailure(failure, ErrorIds.TokenRefused, ProjectId);
                WriteError(new ErrorRecord(new InvalidOperationException(failure.Message, failure.Exception),
                    failure.IsNotFound ? ErrorIds.ProjectNotFound : ErrorIds.WebhookNotSet, ToCategory(failure.Category), ProjectId));
                return;
            }
            WriteVerbose(Disable ? $"The webhook of project '{ProjectId}' is off." : $"Project '{ProjectId}' sends finished videos to {Uri}.");
        }
    }
}
