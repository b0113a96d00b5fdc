using System;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using GanAi.Api;
using GanAi.Batching;
using GanAi.Completion;
using GanAi.Projects;

namespace GanAi.Cmdlets
{
    /// <summary>
    /// <para type="synopsis">Gets the caller's Gan.ai projects: ids, titles, tag names and credits.</para>
    /// </summary>
    [Cmdlet(VerbsCommon.Get, "GanProject")]
    [OutputType(typeof(GanProject))]
    public sealed class GetGanProjectCommand : GanApiCmdlet
    {
        /// <summary>Only these projects (wildcards allowed). A name without wildcards that matches no project is an error.</summary>
        [Parameter(Position = 0, ValueFromPipelineByPropertyName = true)]
        [ValidateNotNullOrEmpty]
        [SupportsWildcards]
        [ArgumentCompleter(typeof(ProjectIdCompleter))]
        public string[]? ProjectId { get; set; }

        private IReadOnlyList<GanProject>? _projects;

        protected override void ProcessRecord()
        {
            if (_projects is null)
            {
                var connection = ResolveConnection();
                var caller = CreateCaller(connection, 5, 100);
                try
                {
                    _projects = Run(ct => ProjectCatalog.ListAsync(caller, ct));
                }
                catch (Exception ex) when (ApiFailure.From(ex) is { } failure)
                {
                    ThrowApiFailure(failure, ErrorIds.ProjectListUnavailable, connection.BaseUri);
                    return;
                }
                WriteVerbose($"{_projects.Count} project(s) at {connection.BaseUri}.");
            }

            if (ProjectId is null)
            {
                WriteObject(_projects, enumerateCollection: true);
                return;
            }
            foreach (var id in ProjectId)
            {
                var pattern = new WildcardPattern(id, WildcardOptions.IgnoreCase);
                var matches = WildcardPattern.ContainsWildcardCharacters(id)
                    ? _projects.Where(p => pattern.IsMatch(p.ProjectId)).ToList()
                    : _projects.Where(p => string.Equals(p.ProjectId, id, StringComparison.Ordinal)).ToList();
                if (matches.Count == 0 && !WildcardPattern.ContainsWildcardCharacters(id))
                {
                    WriteError(new ErrorRecord(new ItemNotFoundException(ProjectCatalog.NotFoundMessage(_projects, id)),
                        ErrorIds.ProjectNotFound, ErrorCategory.ObjectNotFound, id));
                }
                WriteObject(matches, enumerateCollection: true);
            }
        }
    }
}
