using System;
using System.Collections;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using System.Management.Automation.Language;
using System.Threading;
using GanAi.Api;
using GanAi.Projects;

namespace GanAi.Completion
{
    /// <summary>
    /// Tab completion of -ProjectId from the caller's projects (the title shown as the tooltip and in
    /// the list). The list is cached per connection for a minute; a slow or failing service gives no
    /// completions after at most a few seconds, never an error at the prompt.
    /// </summary>
    public sealed class ProjectIdCompleter : IArgumentCompleter
    {
        internal static readonly TimeSpan CacheFor = TimeSpan.FromMinutes(1);
        private static readonly TimeSpan WaitAtMost = TimeSpan.FromSeconds(5);

        public IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName, string wordToComplete,
            CommandAst commandAst, IDictionary fakeBoundParameters)
        {
            var connection = Cmdlets.GanApiCmdlet.Find((fakeBoundParameters?["Connection"] as PSObject)?.BaseObject as GanConnection
                ?? fakeBoundParameters?["Connection"] as GanConnection);
            if (connection is null) return Array.Empty<CompletionResult>();

            var projects = ProjectCatalog.Cached(connection.ClientOf(), CacheFor);
            if (projects is null)
            {
                using var timeout = new CancellationTokenSource(WaitAtMost);
                try
                {
                    var caller = new ApiCaller(connection.ClientOf(), Cmdlets.GanCmdlet.Settings(maxRetries: 1, timeoutSec: (int)WaitAtMost.TotalSeconds));
                    projects = ProjectCatalog.ListAsync(caller, timeout.Token).GetAwaiter().GetResult();
                }
                catch (Exception)
                {
                    return Array.Empty<CompletionResult>(); // completion must never throw at the prompt
                }
            }

            var typed = (wordToComplete ?? string.Empty).Trim('\'', '"');
            return projects
                .Where(p => p.ProjectId.StartsWith(typed, StringComparison.OrdinalIgnoreCase) ||
                            (p.Title?.IndexOf(typed, StringComparison.OrdinalIgnoreCase) ?? -1) >= 0)
                .Select(p => new CompletionResult(Quote(p.ProjectId), p.ProjectId + (p.Title is { Length: > 0 } t ? " (" + t + ")" : string.Empty),
                    CompletionResultType.ParameterValue, string.IsNullOrEmpty(p.Title) ? p.ProjectId : p.Title))
                .ToList();
        }

        private static string Quote(string id) =>
            id.IndexOfAny(new[] { ' ', '\'', '"', '$', '`', ';', '(', ')', '{', '}', '@', '&', '#', ',', '|', '<', '>' }) >= 0
                ? "'" + id.Replace("'", "''") + "'"
                : id;
    }
}
