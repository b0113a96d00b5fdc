using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Threading;
using System;
using GanAi.Api;
using GanAi.Concurrency;
using GanAi.Projects;
using GanAi.Resilience;

namespace GanAi.Batching
{
    /// <summary>
    /// The pre-flight of a run: the project is read (its tags and credits) before anything is sent. A
    /// project that does not exist ends the run before a row is read (naming close matches), as do
    /// a refused token, a Retry-After over the cap and a service that cannot be reached; any other
    /// failure to read the list only skips the check.
    /// </summary>
    internal static class ProjectPreflight
    {
        /// <summary>
        /// The project's tag check, or null when the list could not be read (the warning says so).
        /// <paramref name="breaker"/>: the run's, which a pre-flight that cannot connect counts toward
        /// (none under -WhatIf, whose single quick attempt must not open it).
        /// </summary>
        /// <exception cref="RunEndedException">The project is not among the caller's, or the pre-flight met a failure that ends any run.</exception>
        public static TagPreflight? Run(GanConnection connection, VideoBatchOptions options, string idProperty, ServiceReachability? breaker, Action<PipelineMessage> say, CancellationToken cancellation)
        {
            var resilience = options.WhatIf ? DryRun(options.Resilience) : options.Resilience;
            var caller = new ApiCaller(connection.ClientOf(), resilience, reachability: breaker);
            IReadOnlyList<GanProject> projects;
            try
            {
                projects = ProjectCatalog.ListAsync(caller, cancellation).GetAwaiter().GetResult();
            }
            catch (Exception ex) when (ApiFailure.From(ex, reachability: breaker) is { } failure)
            {
                if (failure.EndsRun) throw RunEndedException.From(RunEndingFailure.From(failure), options.ProjectId);
                say(new PipelineMessage(true, $"Pre-flight skipped: the project list could not be read ({failure.Message.TrimEnd('.')}). " +
                    (options.WhatIf ? "-WhatIf checked the rows on their own." : "Rows are sent without checking their tags.")));
                return null;
            }
            var project = projects.FirstOrDefault(p => string.Equals(p.ProjectId, options.ProjectId, StringComparison.Ordinal));
            if (project is null)
            {
                // Every row would fail alike: say it once, before a row is read.
                throw new RunEndedException(ErrorIds.ProjectNotFound, new InvalidOperationException(ProjectCatalog.NotFoundMessage(projects, options.ProjectId, "nothing was read or sent")), options.ProjectId);
            }
            say(new PipelineMessage(false, string.Format(CultureInfo.InvariantCulture, "Pre-flight: project '{0}' ({1}) has tags {2}; {3} credit(s) available.",
                project.ProjectId, project.Title, project.Tags.Count == 0 ? "(none)" : string.Join(", ", project.Tags.Select(t => "'" + t + "'")),
                project.AvailableCredits?.ToString(CultureInfo.InvariantCulture) ?? "unknown")));
            return new TagPreflight(project, idProperty);
        }

        /// <summary>-WhatIf's pre-flight: one attempt within at most 15 s, so a dry run against a service it cannot reach stays quick.</summary>
        private static ResilienceSettings DryRun(ResilienceSettings resilience) => new ResilienceSettings
        {
            MaxRetries = 0,
            AttemptTimeout = resilience.AttemptTimeout < TimeSpan.FromSeconds(15) ? resilience.AttemptTimeout : TimeSpan.FromSeconds(15),
        };
    }
}
