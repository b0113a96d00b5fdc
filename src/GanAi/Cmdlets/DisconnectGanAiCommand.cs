using System.Management.Automation;
using GanAi.Connections;

namespace GanAi.Cmdlets
{
    /// <summary>
    /// <para type="synopsis">Forgets the session's Gan.ai connection.</para>
    /// </summary>
    [Cmdlet(VerbsCommunications.Disconnect, "GanAi")]
    [OutputType(typeof(void))]
    public sealed class DisconnectGanAiCommand : PSCmdlet
    {
        protected override void EndProcessing()
        {
            WriteVerbose(ConnectionStore.Clear()
                ? "Disconnected from Gan.ai; API cmdlets now need Connect-GanAi or -Connection."
                : "There was no Gan.ai connection to forget.");
        }
    }
}
