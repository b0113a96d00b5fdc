using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System;
using GanAi.Concurrency;

namespace GanAi.Batching
{
    /// <summary>
    /// The pre-flight check of New-GanVideoBatch, once the project's tags are known: a row that lacks
    /// a tag fails before it is sent (no credits spent); a column that matches a tag but for case or
    /// surrounding spaces is sent under the project's spelling; a column that is no tag of the
    /// project is reported once. Messages come back through <see cref="TakeMessages"/>, once each.
    /// </summary>
    public sealed class TagPreflight
    {
        private readonly string[] _tags;
        private readonly HashSet<string> _exact;
        private readonly Dictionary<string, string> _byLooseName;
        private readonly string _idProperty;
        private readonly HashSet<string> _announcedRenames = new HashSet<string>(StringComparer.Ordinal);
        private readonly HashSet<string> _announcedUnknown = new HashSet<string>(StringComparer.Ordinal);
        private readonly List<PipelineMessage> _messages = new List<PipelineMessage>();

        public TagPreflight(GanProject project, string idProperty)
        {
            Project = project;
            _tags = project.Tags.ToArray();
            _idProperty = idProperty;
            _exact = new HashSet<string>(_tags, StringComparer.Ordinal);
            _byLooseName = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
            foreach (var tag in _tags)
            {
                var key = tag.Trim();
                if (!_byLooseName.ContainsKey(key)) _byLooseName.Add(key, tag);
            }
        }

        public GanProject Project { get; }

        /// <summary>After a MissingTag: the project's tags the row had no column for (for row 1 this means no row can be sent).</summary>
        public IReadOnlyList<string>? MissingTags { get; private set; }

        /// <summary>The row with tag names in the project's spelling, or the failure that keeps it from being sent.</summary>
        public bool TryApply(VideoRow row, out VideoRow adjusted, out RowFailure? failure)
        {
            // Per row, so no allocation unless a name changes: tag counts are small, scans are cheap.
            adjusted = row;
            failure = null;
            MissingTags = null;
            KeyValuePair<string, string>[]? renamed = null;
            var tags = row.Tags;
            for (var i = 0; i < tags.Count; i++)
            {
                var name = tags[i].Key;
                var sentAs = name;
                if (!_exact.Contains(name))
                {
                    if (_byLooseName.TryGetValue(name.Trim(), out var tag))
                    {
                        sentAs = tag;
                        // The set is asked first: the message is built once per column, not once per row.
                        if (_announcedRenames.Add(name))
                            _messages.Add(new PipelineMessage(false, $"Column '{name}' is sent as the project's tag '{tag}' (it differs only by case or surrounding spaces)."));
                    }
                    else if (!string.Equals(name, _idProperty, StringComparison.OrdinalIgnoreCase) && _announcedUnknown.Add(name))
                    {
                        _messages.Add(new PipelineMessage(true,
                            $"Column '{name}' is not a tag of project '{Project.ProjectId}' (its tags: {Describe(_tags)}); it is sent, and the service ignores it."));
                    }
                }
                // Two columns can only meet under one name when one of them was renamed.
                if (renamed != null || !ReferenceEquals(sentAs, name))
                {
                    for (var j = 0; j < i; j++)
                    {
                        if (string.Equals(renamed?[j].Key ?? tags[j].Key, sentAs, StringComparison.Ordinal))
                        {
                            failure = RowBuilder.Fail(row, ErrorIds.DuplicateTagName, $" has two columns that both name the project's tag '{sentAs}' (they differ only by case or spaces). Remove one.");
                            return false;
                        }
                    }
                }
                if (!ReferenceEquals(sentAs, name))
                {
                    if (renamed is null)
                    {
                        renamed = new KeyValuePair<string, string>[tags.Count];
                        for (var k = 0; k < tags.Count; k++) renamed[k] = tags[k];
                    }
                    renamed[i] = new KeyValuePair<string, string>(sentAs, tags[i].Value);
                }
            }

            List<string>? missing = null;
            foreach (var tag in _tags)
            {
                if (!Names(renamed, tags, tag)) (missing ??= new List<string>()).Add(tag);
            }
            if (missing != null)
            {
                MissingTags = missing;
                failure = RowBuilder.Fail(row, ErrorIds.MissingTag, string.Format(CultureInfo.InvariantCulture,
                    " lacks the project's tag{0} {1}; it was not sent (no credits spent). Add the column{0}, or check -ProjectId.",
                    missing.Count == 1 ? string.Empty : "s", Describe(missing)));
                return false;
            }
            if (renamed != null) adjusted = row.WithTags(renamed);
            return true;
        }

        private static bool Names(KeyValuePair<string, string>[]? renamed, IReadOnlyList<KeyValuePair<string, string>> tags, string tag)
        {
            for (var i = 0; i < tags.Count; i++)
            {
                if (string.Equals(renamed?[i].Key ?? tags[i].Key, tag, StringComparison.Ordinal)) return true;
            }
            return false;
        }

        /// <summary>The verbose messages and warnings raised since the last call, each said once per run.</summary>
        public IReadOnlyList<PipelineMessage> TakeMessages()
        {
            if (_messages.Count == 0) return Array.Empty<PipelineMessage>();
            var taken = _messages.ToArray();
            _messages.Clear();
            return taken;
        }

        private static string Describe(IEnumerable<string> names) => string.Join(", ", names.Select(n => "'" + n + "'"));
    }
}
