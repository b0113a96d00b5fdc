using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Runtime.CompilerServices;
using System.Text.Json;
using System.Threading;
using System.Threading.Tasks;
using GanAi.Api;

namespace GanAi.Projects
{
    /// <summary>The caller's projects: GET /projects/v2, every page, mapped to <see cref="GanProject"/>.</summary>
    internal static class ProjectCatalog
    {
        /// <summary>A bound on pages followed, so a service that never ends its list cannot loop us forever.</summary>
        public const int MaxPages = 1000;

        /// <summary>
        /// The last list read per connection (for tab completion). One slot per connection, made
        /// atomically by GetValue; the newest list replaces the one in it. Runspaces that share a
        /// connection (ForEach-Object -Parallel) list at the same time.
        /// </summary>
        private static readonly ConditionalWeakTable<GanApiClient, CacheSlot> Cache = new ConditionalWeakTable<GanApiClient, CacheSlot>();

        public static async Task<IReadOnlyList<GanProject>> ListAsync(ApiCaller caller, CancellationToken cancellationToken)
        {
            var projects = new List<GanProject>();
            var seen = new HashSet<string>(StringComparer.Ordinal);
            for (var page = 1; page <= MaxPages; page++)
            {
                var answer = await caller.GetAsync(ApiPaths.Projects(page), "Listing projects (page " + page.ToString(CultureInfo.InvariantCulture) + ")", cancellationToken).ConfigureAwait(false);
                var (items, size) = ReadPage(answer.Body);
                var added = 0;
                foreach (var project in items)
                {
                    if (seen.Add(project.ProjectId))
                    {
                        projects.Add(project);
                        added++;
                    }
                }
                // The end: an empty page, a page with nothing new, or as many as the service says it has.
                if (added == 0 || (size is { } total && projects.Count >= total)) break;
            }
            Cache.GetValue(caller.Client, _ => new CacheSlot()).Latest = new CachedList(projects, DateTime.UtcNow);
            return projects;
        }

        /// <summary>The project with this id (exact), or null.</summary>
        public static async Task<GanProject?> FindAsync(ApiCaller caller, string projectId, CancellationToken cancellationToken)
        {
            foreach (var project in await ListAsync(caller, cancellationToken).ConfigureAwait(false))
            {
                if (string.Equals(project.ProjectId, projectId, StringComparison.Ordinal)) return project;
            }
            return null;
        }

        /// <summary>
        /// Up to <paramref name="most"/> projects whose id a mistyped <paramref name="projectId"/> may
        /// have meant: the same id or title ignoring case, or an id within two edits (ignoring case).
        /// Closest first.
        /// </summary>
        public static IReadOnlyList<GanProject> CloseTo(IEnumerable<GanProject> projects, string projectId, int most = 3) => projects
            .Select(p => (Project: p, Distance: string.Equals(p.ProjectId, projectId, StringComparison.OrdinalIgnoreCase) ||
                string.Equals(p.Title, projectId, StringComparison.OrdinalIgnoreCase) ? 0 : EditDistance(p.ProjectId.ToUpperInvariant(), projectId.ToUpperInvariant(), 3)))
            .Where(c => c.Distance <= 2)
            .OrderBy(c => c.Distance)
            .ThenBy(c => c.Project.ProjectId, StringComparer.Ordinal)
            .Take(most)
            .Select(c => c.Project)
            .ToList();

        /// <summary>
        /// What New-GanVideoBatch's pre-flight and Get-GanProject both say of an id that is none of the
        /// caller's projects: how many there are, up to three close matches, and where the list is.
        /// <paramref name="consequence"/> (what was not done, e.g. "nothing was read or sent") follows the count.
        /// </summary>
        public static string NotFoundMessage(IReadOnlyCollection<GanProject> projects, string projectId, string? consequence = null)
        {
            var close = CloseTo(projects, projectId);
            var meant = close.Count == 0 ? string.Empty
                : " Did you mean " + string.Join(", ", close.Select(p => $"'{p.ProjectId}'" + (string.IsNullOrEmpty(p.Title) ? string.Empty : $" ({p.Title})"))) + "?";
            return string.Format(CultureInfo.InvariantCulture, "No project '{0}' among your {1} project(s){2}.{3} Get-GanProject without -ProjectId lists them.",
                projectId, projects.Count, string.IsNullOrEmpty(consequence) ? string.Empty : "; " + consequence, meant);
        }

        /// <summary>Levenshtein distance, stopping at <paramref name="cap"/> (ids can be long; only small distances matter).</summary>
        internal static int EditDistance(string a, string b, int cap)
        {
            if (Math.Abs(a.Length - b.Length) >= cap) return cap;
            var previous = new int[b.Length + 1];
            var current = new int[b.Length + 1];
            for (var j = 0; j <= b.Length; j++) previous[j] = j;
            for (var i = 1; i <= a.Length; i++)
            {
                current[0] = i;
                var rowMin = current[0];
                for (var j = 1; j <= b.Length; j++)
                {
                    var cost = a[i - 1] == b[j - 1] ? 0 : 1;
                    current[j] = Math.Min(Math.Min(previous[j] + 1, current[j - 1] + 1), previous[j - 1] + cost);
                    rowMin = Math.Min(rowMin, current[j]);
                }
                if (rowMin >= cap) return cap;
                (previous, current) = (current, previous);
            }
            return Math.Min(previous[b.Length], cap);
        }

        /// <summary>The list read on this connection within <paramref name="maxAge"/>, or null (for tab completion).</summary>
        public static IReadOnlyList<GanProject>? Cached(GanApiClient client, TimeSpan maxAge) =>
            Cache.TryGetValue(client, out var slot) && slot.Latest is { } cached && DateTime.UtcNow - cached.ReadAt < maxAge ? cached.Projects : null;

        /// <summary>
        /// How many projects the caller has, from the first page (Connect-GanAi's check of the token):
        /// the total the service gives, else that page's count; null when the page cannot be read.
        /// </summary>
        public static long? CountOf(byte[] firstPage)
        {
            try
            {
                var (items, size) = ReadPage(firstPage);
                return size ?? items.Count;
            }
            catch (Exception ex) when (ex is GanApiException || ex is JsonException)
            {
                return null; // only a message uses it: an odd page must not fail the connection
            }
        }

        /// <summary>Reads one page: <c>{"data": [...], "size": n}</c>. Unknown fields are ignored; odd types of known ones are tolerated.</summary>
        internal static (List<GanProject> Items, long? Size) ReadPage(byte[] body)
        {
            using var document = JsonDocument.Parse(body, new JsonDocumentOptions { MaxDepth = GanJsonContext.MaxDepth });
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty("data", out var data) || data.ValueKind != JsonValueKind.Array)
                throw new GanApiException("The projects list is not the documented JSON object with a 'data' array.", 200, null);

            var items = new List<GanProject>();
            foreach (var item in data.EnumerateArray())
            {
                if (item.ValueKind != JsonValueKind.Object) continue;
                var id = Text(item, "project_id");
                if (string.IsNullOrEmpty(id)) continue;
                items.Add(new GanProject(id!)
                {
                    Title = Text(item, "title"),
                    ProjectType = Text(item, "project_type"),
                    Status = Text(item, "status"),
                    Language = Text(item, "language"),
                    Tags = new TagList(TagNames(item)),
                    AvailableCredits = Number(item, "available_credits"),
                    UtilisedCredits = Number(item, "utilised_credits"),
                    CreatedAt = Date(item, "created_at"),
                    UpdatedAt = Date(item, "updated_at"),
                    SmartUrl = Text(item, "smart_url"),
                    ThumbnailUrl = Text(item, "thumbnail"),
                    VideoUrl = Text(item, "video"),
                });
            }
            return (items, Number(root, "size"));
        }

        /// <summary><c>tags</c> is an object whose keys are the tag names (an array of names is accepted too).</summary>
        private static string[] TagNames(JsonElement item)
        {
            if (!item.TryGetProperty("tags", out var tags)) return Array.Empty<string>();
            var names = new List<string>();
            if (tags.ValueKind == JsonValueKind.Object)
            {
                foreach (var property in tags.EnumerateObject()) names.Add(property.Name);
            }
            else if (tags.ValueKind == JsonValueKind.Array)
            {
                foreach (var name in tags.EnumerateArray())
                {
                    if (name.ValueKind == JsonValueKind.String && name.GetString() is { Length: > 0 } text) names.Add(text);
                }
            }
            return names.ToArray();
        }

        private static string? Text(JsonElement item, string name) =>
            item.TryGetProperty(name, out var value) ? value.ValueKind switch
            {
                JsonValueKind.String => value.GetString(),
                JsonValueKind.Number => value.GetRawText(),
                _ => null,
            } : null;

        private static long? Number(JsonElement item, string name)
        {
            if (!item.TryGetProperty(name, out var value)) return null;
            if (value.ValueKind == JsonValueKind.Number && value.TryGetInt64(out var n)) return n;
            if (value.ValueKind == JsonValueKind.Number && value.TryGetDouble(out var d)) return (long)Math.Floor(d);
            if (value.ValueKind == JsonValueKind.String && long.TryParse(value.GetString(), NumberStyles.Integer, CultureInfo.InvariantCulture, out n)) return n;
            return null;
        }

        private static DateTimeOffset? Date(JsonElement item, string name) =>
            Text(item, name) is { } text && DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var date) ? date : (DateTimeOffset?)null;

        private sealed class CacheSlot
        {
            private CachedList? _latest;

            public CachedList? Latest
            {
                get => Volatile.Read(ref _latest);
                set => Volatile.Write(ref _latest, value);
            }
        }

        private sealed class CachedList
        {
            public CachedList(IReadOnlyList<GanProject> projects, DateTime readAt)
            {
                Projects = projects;
                ReadAt = readAt;
            }

            public IReadOnlyList<GanProject> Projects { get; }
            public DateTime ReadAt { get; }
        }
    }
}
