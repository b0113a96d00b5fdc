using System;
using System.Collections.Generic;
using System.IO;
using System.Text.Json;
using System.Text.Json.Serialization;
using GanAi.Batching;

namespace GanAi.Journal
{
    /// <summary>
    /// A JSON-lines file of every row's outcome, so a run can be resumed: run the same command with
    /// the same journal and rows already recorded are not sent again; their recorded results are
    /// written again. One line per row, appended and flushed as each batch finishes (from the
    /// background task, before the pipeline thread even sees it). A torn last line (a crash in
    /// mid-write) is dropped on open. A second run on the same journal fails at once (a lock file
    /// beside it); readers may look at the journal while a run writes.
    /// </summary>
    public sealed class RunJournal : IDisposable
    {
        public const string Created = "created";
        public const string Unknown = "unknown";

        private readonly object _gate = new object();
        private readonly FileStream _stream;
        private readonly Dictionary<(string Project, string UniqueId), JournalEntry> _entries = new Dictionary<(string, string), JournalEntry>();

        private readonly FileStream _lock;

        private RunJournal(string path, FileStream stream, FileStream lockFile, int skippedLines)
        {
            Path = path;
            _stream = stream;
            _lock = lockFile;
            SkippedLines = skippedLines;
        }

        public string Path { get; }

        /// <summary>Lines that could not be read (a torn last line, or damage), dropped or skipped on open.</summary>
        public int SkippedLines { get; }

        public int Count => _entries.Count;

        /// <summary>Opens (or creates) the journal exclusively and reads what earlier runs recorded.</summary>
        /// <exception cref="IOException">Another run has the journal open.</exception>
        public static RunJournal Open(string path)
        {
            var full = System.IO.Path.GetFullPath(path);
            var directory = System.IO.Path.GetDirectoryName(full);
            if (!string.IsNullOrEmpty(directory)) Directory.CreateDirectory(directory);
            // One writer at a time: an exclusive lock on a companion file (the kernel releases it when a
            // process dies, even by kill -9). The journal itself stays readable (tail, Get-Content) while a run writes.
            FileStream lockFile;
            try
            {
                lockFile = new FileStream(full + ".lock", FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None, 1, FileOptions.DeleteOnClose);
            }
            catch (IOException ex)
            {
                throw new IOException($"The journal '{full}' is in use by another run; two runs cannot write one journal at once.", ex);
            }

            FileStream stream;
            try
            {
                stream = new FileStream(full, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.Read, 64 * 1024);
            }
            catch
            {
                lockFile.Dispose();
                throw;
            }

            var entries = new List<JournalEntry>();
            var (goodLength, skipped) = ReadAll(stream, entries);
            if (goodLength < stream.Length) stream.SetLength(goodLength); // drop a torn last line
            stream.Position = stream.Length;

            var journal = new RunJournal(full, stream, lockFile, skipped);
            foreach (var entry in entries) journal._entries[(entry.ProjectId ?? string.Empty, entry.UniqueId!)] = entry;
            return journal;
        }

        /// <summary>What an earlier run recorded for this row, if anything.</summary>
        public JournalEntry? Find(string projectId, string uniqueId)
        {
            lock (_gate) return _entries.TryGetValue((projectId, uniqueId), out var entry) ? entry : null;
        }

        /// <summary>Appends the batch's results and unknown outcomes, then flushes them to the file.</summary>
        public void Record(string projectId, BatchOutcome outcome)
        {
            var buffer = new MemoryStream();
            var lines = new List<JournalEntry>();
            foreach (var result in outcome.Results)
            {
                lines.Add(new JournalEntry
                {
                    Status = Created,
                    ProjectId = projectId,
                    UniqueId = result.UniqueId,
                    InferenceId = result.InferenceId,
                    VideoUrl = result.VideoUrl,
                    AudioUrl = result.AudioUrl,
                    ThumbnailUrl = result.ThumbnailUrl,
                    SmartUrl = result.SmartUrl,
                    Permalink = result.Permalink,
                    PossibleDuplicate = result.PossibleDuplicate,
                    RecordedAt = DateTimeOffset.UtcNow,
                });
            }
            foreach (var failure in outcome.Failures)
            {
                if (failure.Value.ErrorId != ErrorIds.OutcomeUnknown) continue;
                lines.Add(new JournalEntry { Status = Unknown, ProjectId = projectId, UniqueId = failure.Key.UniqueId, RecordedAt = DateTimeOffset.UtcNow });
            }
            if (lines.Count == 0) return;

            foreach (var line in lines)
            {
                JsonSerializer.Serialize(buffer, line, JournalJsonContext.Default.JournalEntry);
                buffer.WriteByte((byte)'\n');
            }

            lock (_gate)
            {
                _stream.Write(buffer.GetBuffer(), 0, (int)buffer.Length);
                _stream.Flush(); // to the operating system: survives a killed process
                foreach (var line in lines) _entries[(projectId, line.UniqueId!)] = line;
            }
        }

        public void Dispose()
        {
            lock (_gate)
            {
                _stream.Dispose();
                _lock.Dispose();
            }
        }

        private static (long GoodLength, int Skipped) ReadAll(FileStream stream, List<JournalEntry> entries)
        {
            stream.Position = 0;
            var bytes = new byte[stream.Length];
            var read = 0;
            while (read < bytes.Length)
            {
                var n = stream.Read(bytes, read, bytes.Length - read);
                if (n == 0) break;
                read += n;
            }

            long goodLength = 0;
            var skipped = 0;
            var start = 0;
            while (start < read)
            {
                var end = Array.IndexOf(bytes, (byte)'\n', start, read - start);
                if (end < 0)
                {
                    skipped++; // a torn last line: no newline, so it never finished
                    break;
                }
                var length = end - start;
                if (length > 0)
                {
                    try
                    {
                        var entry = JsonSerializer.Deserialize(new ReadOnlySpan<byte>(bytes, start, length), JournalJsonContext.Default.JournalEntry);
                        if (entry?.UniqueId is { Length: > 0 } && (entry.Status == Created || entry.Status == Unknown)) entries.Add(entry);
                        else skipped++;
                    }
                    catch (JsonException)
                    {
                        skipped++;
                    }
                }
                start = end + 1;
                goodLength = start;
            }
            return (goodLength, skipped);
        }
    }

    /// <summary>One line of the journal.</summary>
    public sealed class JournalEntry
    {
        [JsonPropertyName("status")] public string? Status { get; set; }
        [JsonPropertyName("project_id")] public string? ProjectId { get; set; }
        [JsonPropertyName("unique_id")] public string? UniqueId { get; set; }
        [JsonPropertyName("inference_id")] public string? InferenceId { get; set; }
        [JsonPropertyName("video_url")] public string? VideoUrl { get; set; }
        [JsonPropertyName("audio_url")] public string? AudioUrl { get; set; }
        [JsonPropertyName("thumbnail_url")] public string? ThumbnailUrl { get; set; }
        [JsonPropertyName("smart_url")] public string? SmartUrl { get; set; }
        [JsonPropertyName("permalink")] public string? Permalink { get; set; }
        [JsonPropertyName("possible_duplicate")] public bool PossibleDuplicate { get; set; }
        [JsonPropertyName("recorded_at")] public DateTimeOffset RecordedAt { get; set; }

        public bool IsCreated => Status == RunJournal.Created;

        /// <summary>The recorded result, for a row of this run (its number and tags).</summary>
        public VideoResult ToResult(VideoRow row) => new VideoResult(row.UniqueId, ProjectId ?? string.Empty, InferenceId, VideoUrl, AudioUrl,
            ThumbnailUrl, SmartUrl, Permalink, PossibleDuplicate, row.Number, row.Tags);
    }

    [JsonSourceGenerationOptions(GenerationMode = JsonSourceGenerationMode.Metadata, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
    [JsonSerializable(typeof(JournalEntry))]
    internal sealed partial class JournalJsonContext : JsonSerializerContext
    {
    }
}
