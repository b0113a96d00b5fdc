using System;
using System.Collections.Generic;
using System.Linq;
using System.Text.Json;
using GanAi.Api;
using GanAi.Ids;

namespace GanAi.Batching
{
    /// <summary>
    /// Reads 200 answers of one run's bulk requests into each row's answer, by unique_id (the order of
    /// the answer is not promised), taking nothing at face value (docs/delivery.md, rule 7): an id
    /// named twice with two videos, an item without its inference_id, an inference_id named for a
    /// second row (in the same answer: none of them gets it; named earlier in the run: the later rows
    /// do not), a project_id other than the one asked. No HTTP and no row state here: the sender
    /// applies what it reads. Thread-safe: the run's inference ids are shared by its batches.
    /// </summary>
    internal sealed class BulkAnswerReader : IDisposable
    {
        private readonly string _projectId;
        private readonly object _gate = new object();
        private readonly HashedIdSet _inferenceIds = new HashedIdSet(); // 8 to 16 bytes a video

        public BulkAnswerReader(string projectId) => _projectId = projectId;

        /// <summary>Frees the run's inference ids; only once no batch can read an answer any more.</summary>
        public void Dispose()
        {
            lock (_gate) _inferenceIds.Dispose();
        }

        public BulkAnswerReading Read(IReadOnlyList<VideoRow> rows, byte[] body)
        {
            List<BulkVideoItemDto?>? items; // an item may be null in the JSON array
            try
            {
                items = JsonSerializer.Deserialize(body, GanJsonContext.Strict.ListBulkVideoItemDto)!;
            }
            catch (JsonException ex)
            {
                return new BulkAnswerReading(new List<RowAnswer>(), 0, ex);
            }
            if (items is null) return new BulkAnswerReading(new List<RowAnswer>(), 0, new JsonException("The answer is null instead of a JSON array."));

            var byId = Index(items, out var withoutId, out var more);
            var answers = new List<RowAnswer>(rows.Count);
            var named = 0;
            Dictionary<string, int>? videos = null; // an inference id, and how many rows of this answer it is named for
            foreach (var row in rows)
            {
                var answer = For(row, byId, more);
                if (answer.Kind != AnswerKind.NotNamed) named++;
                if (answer.Kind == AnswerKind.Made || answer.Kind == AnswerKind.MadeTwice)
                {
                    if (answer.Item!.ProjectId is { } project && project != _projectId) answer = new RowAnswer(row, AnswerKind.ForeignProject, answer.Item);
                    else
                    {
                        videos ??= new Dictionary<string, int>(rows.Count, StringComparer.Ordinal);
                        videos[answer.Item.InferenceId!] = videos.TryGetValue(answer.Item.InferenceId!, out var n) ? n + 1 : 1;
                    }
                }
                answers.Add(answer);
            }
            if (videos != null) MarkSharedVideos(answers, videos);
            return new BulkAnswerReading(answers, byId.Count - named + withoutId);
        }

        /// <summary>
        /// A video named for more than one row of this answer goes to none of them; one named for a
        /// row of an earlier answer goes to none of the later rows. Every video named counts as seen.
        /// </summary>
        private void MarkSharedVideos(List<RowAnswer> answers, Dictionary<string, int> videos)
        {
            lock (_gate)
            {
                var earlier = new HashSet<string>(StringComparer.Ordinal);
                foreach (var id in videos.Keys)
                {
                    if (!_inferenceIds.Add(id)) earlier.Add(id);
                }
                for (var i = 0; i < answers.Count; i++)
                {
                    var answer = answers[i];
                    if (answer.Kind != AnswerKind.Made && answer.Kind != AnswerKind.MadeTwice) continue;
                    var id = answer.Item!.InferenceId!;
                    if (videos[id] > 1 || earlier.Contains(id)) answers[i] = new RowAnswer(answer.Row, AnswerKind.SharedVideo, answer.Item);
                }
                foreach (var answer in answers)
                {
                    if (answer.Kind != AnswerKind.MadeTwice) continue;
                    foreach (var other in answer.InferenceIds) _inferenceIds.Add(other);
                }
            }
        }

        /// <summary>The items by unique_id: the first of each, the others apart (rare), and how many name none.</summary>
        private static Dictionary<string, BulkVideoItemDto> Index(List<BulkVideoItemDto?> items, out int withoutId, out Dictionary<string, List<BulkVideoItemDto>>? more)
        {
            var first = new Dictionary<string, BulkVideoItemDto>(items.Count, StringComparer.Ordinal);
            more = null;
            withoutId = 0;
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
            return first;
        }

        /// <summary>
        /// What the items say of one row: its item (the first named with an inference_id), and, when
        /// they name the row more than once, the inference ids of every video they name, in answer order.
        /// </summary>
        private static RowAnswer For(VideoRow row, Dictionary<string, BulkVideoItemDto> first, Dictionary<string, List<BulkVideoItemDto>>? more)
        {
            if (!first.TryGetValue(row.UniqueId, out var item)) return new RowAnswer(row, AnswerKind.NotNamed, null);
            if (more is null || !more.TryGetValue(row.UniqueId, out var others))
            {
                // The common case: nothing allocated per row (the ids are only needed for the odd answers' messages).
                return new RowAnswer(row, string.IsNullOrEmpty(item.InferenceId) ? AnswerKind.WithoutInferenceId : AnswerKind.Made, item);
            }
            var all = new List<BulkVideoItemDto>(others.Count + 1) { item };
            all.AddRange(others);
            var ids = all.Select(i => i.InferenceId).Where(i => !string.IsNullOrEmpty(i)).Distinct(StringComparer.Ordinal).Select(i => i!).ToArray();
            var named = all.FirstOrDefault(i => !string.IsNullOrEmpty(i.InferenceId));
            if (named is null) return new RowAnswer(row, AnswerKind.WithoutInferenceId, item, ids);
            // One video listed twice is still one video; two items that are not both the same video may be two.
            var sameVideo = ids.Length == 1 && all.All(i => !string.IsNullOrEmpty(i.InferenceId));
            return new RowAnswer(row, sameVideo ? AnswerKind.Made : AnswerKind.MadeTwice, named, ids);
        }

        /// <summary>An item as text for a message: its unique_id and the fields it has.</summary>
        public static string Describe(BulkVideoItemDto item)
        {
            var fields = new List<string> { "unique_id '" + item.UniqueId + "'" };
            if (item.InferenceId != null) fields.Add("inference_id '" + item.InferenceId + "'");
            if (item.ProjectId != null) fields.Add("project_id '" + item.ProjectId + "'");
            if (item.VideoUrl != null) fields.Add("video_url '" + item.VideoUrl + "'");
            if (item.Permalink != null) fields.Add("permalink '" + item.Permalink + "'");
            return "{" + string.Join(", ", fields) + "}";
        }
    }
}
