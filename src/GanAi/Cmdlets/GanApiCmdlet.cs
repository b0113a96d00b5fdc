using System;
using System.Management.Automation;
using System.Threading;
using System.Threading.Tasks;
using GanAi.Api;
using GanAi.Batching;
using GanAi.Concurrency;
using GanAi.Connections;
using GanAi.Resilience;

namespace GanAi.Cmdlets
{
    /// <summary>
    /// What every API cmdlet shares: the -Connection parameter and its resolution.
    /// </summary>
    public abstract class GanApiCmdlet : GanCmdlet
    {
        /// <summary>
        /// The connection to use (the object <c>Connect-GanAi -PassThru</c> returned). Without it, the
        /// connection made by the last <c>Connect-GanAi</c> in this process is used.
        /// </summary>
        [Parameter]
        [ValidateNotNull]
        public GanConnection? Connection { get; set; }

        /// <summary>-Connection, else the session's connection, else a terminating NotConnected error.</summary>
        protected GanConnection ResolveConnection() => Resolve(this, Connection);

        /// <summary>-Connection, else the session's connection, else null (for work that can go on without one).</summary>
        protected GanConnection? ConnectionAtHand() => Find(Connection);

        /// <summary>The one rule for which connection a cmdlet uses (also for cmdlets whose base is not this class).</summary>
        internal static GanConnection? Find(GanConnection? given) => given ?? ConnectionStore.Current;

        /// <summary><see cref="Find"/>, or a terminating NotConnected error.</summary>
        internal static GanConnection Resolve(PSCmdlet cmdlet, GanConnection? given)
        {
            if (Find(given) is { } connection) return connection;
            cmdlet.ThrowTerminatingError(new ErrorRecord(
                new InvalidOperationException("Not connected to Gan.ai. Run Connect-GanAi first (with -Token, or with the GANAI_API_TOKEN environment variable set), or pass -Connection."),
                ErrorIds.NotConnected, ErrorCategory.ConnectionError, null));
            throw new InvalidOperationException(); // not reached: ThrowTerminatingError always throws
        }
    }

}
