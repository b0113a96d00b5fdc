using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using GanAi.Api;

namespace GanAi.Batching
{
    /// <summary>
    /// A bulk answer's items matched to the rows of its request, by unique_id (the order of the
    /// answer is not promised), with the odd answers told apart: an id named twice with two videos,
    /// an item without its inference_id, ids the request did not have. Pure: no state is changed here.
    /// </summary>
    internal sealed class BulkAnswer
    {
        private readonly Dictionary<string, BulkVideoItemDto> _first;
        private readonly Dictionary<string, List<BulkVideoItemDto>>? _more;

        private BulkAnswer(Dictionary<string, BulkVideoItemDto> first, Dictionary<string, List<BulkVideoItemDto>>? more, int withoutId)
        {
            _first = first;
            _more = more;
            ItemsWithoutUniqueId = withoutId;
        }

        /// <summary>Items that name no unique_id at all: they cannot be matched to a row.</summary>
        public int ItemsWithoutUniqueId { get; }

        public static BulkAnswer Of(IReadOnlyList<BulkVideoItemDto?> items)
        {
            var first = new Dictionary<string, BulkVideoItemDto>(items.Count, StringComparer.Ordinal);
            Dictionary<string, List<BulkVideoItemDto>>? more = null;
            var withoutId = 0;
            foreach (var item in items)
            {
                if (item?.UniqueId is not { } id)
                {
                    withoutId++;
                    continue;
                }
                if (!first.ContainsKey(id)) first.Add(id, item);
                else
                {
                    more ??= new Dictionary<string, List<BulkVideoItemDto>>(StringComparer.Ordinal);
                    if (!more.TryGetValue(id, out var list)) more.Add(id, list = new List<BulkVideoItemDto>());
                    list.Add(item);
                }
            }
            return new BulkAnswer(first, more, withoutId);
        }

        /// <summary>
        /// What the answer says of one row: its item (the first named with an inference_id), and, when
        /// it names the row more than once, the inference ids of every video it names, in answer order.
        /// </summary>
        public Match For(VideoRow row)
        {
            if (!_first.TryGetValue(row.UniqueId, out var item)) return new Match(MatchKind.NotNamed, null, Array.Empty<string>());
            if (_more is null || !_more.TryGetValue(row.UniqueId, out var others))
            {
                // The common case: nothing allocated per row (the ids are only needed for the odd answers' messages).
                return new Match(string.IsNullOrEmpty(item.InferenceId) ? MatchKind.WithoutInferenceId : MatchKind.Once, item, Array.Empty<string>());
            }
            var all = new List<BulkVideoItemDto>(others.Count + 1) { item };
            all.AddRange(others);
            var ids = all.Select(i => i.InferenceId).Where(i => !string.IsNullOrEmpty(i)).Distinct(StringComparer.Ordinal).Select(i => i!).ToArray();
            var named = all.FirstOrDefault(i => !string.IsNullOrEmpty(i.InferenceId));
            if (named is null) return new Match(MatchKind.WithoutInferenceId, item, ids);
            // One video listed twice is still one video; two items that are not both the same video may be two.
            var sameVideo = ids.Length == 1 && all.All(i => !string.IsNullOrEmpty(i.InferenceId));
            return new Match(sameVideo ? MatchKind.Once : MatchKind.Twice, named, ids);
        }

        /// <summary>The distinct unique_ids the answer names.</summary>
        public int DistinctIds => _first.Count;

        /// <summary>An item as text for a message: its unique_id and the fields it has.</summary>
        public static string Describe(BulkVideoItemDto item)
        {
            var fields = new List<string> { "unique_id '" + item.UniqueId + "'" };
            if (item.VideoUrl != null) fields.Add("video_url '" + item.VideoUrl + "'");
            if (item.Permalink != null) fields.Add("permalink '" + item.Permalink + "'");
            return "{" + string.Join(", ", fields) + "}";
        }

        internal enum MatchKind
        {
            /// <summary>The answer does not name the row's unique_id.</summary>
            NotNamed,

            /// <summary>One video for the row.</summary>
            Once,

            /// <summary>The row's unique_id named twice, not as one same video: possibly two videos, two credits.</summary>
            Twice,

            /// <summary>Named, but with no inference_id: whether a video exists cannot be told.</summary>
            WithoutInferenceId,
        }

        internal readonly struct Match
        {
            public Match(MatchKind kind, BulkVideoItemDto? item, string[] inferenceIds)
            {
                Kind = kind;
                Item = item;
                InferenceIds = inferenceIds;
            }

            public MatchKind Kind { get; }

            public BulkVideoItemDto? Item { get; }

            public string[] InferenceIds { get; }

            public string DescribeIds() => string.Join(", ", InferenceIds.Select(i => "'" + i + "'").ToArray()) is { Length: > 0 } text ? text : "none";
        }
    }
}
