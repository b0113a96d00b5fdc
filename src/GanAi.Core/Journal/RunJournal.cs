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
    /// written again. Its first line names the format (<see cref="HeaderLine"/>); then two lines per
    /// row, appended from the background task: a sending line written through to the disk before
    /// the row's first request goes out, and its final line, flushed as its batch finishes (before
    /// the pipeline thread even sees it). A torn last line (a crash in mid-write) is dropped on open.
    /// A file that is not a journal is refused before anything is written to it. A second run on the
    /// same journal, by any name, fails at once (<see cref="JournalLock"/>); readers may look at the
    /// journal while a run writes.
    /// </summary>
    /// <remarks>
    /// Memory stays flat however long the journal: opening it streams the file once and keeps only
    /// where each line is (<see cref="JournalIndex"/>, 24 bytes a line), a lookup reads its line back
    /// from the file, and the lines this run appends are not kept (within one run each id is looked
    /// up once, before its row is sent: a repeated id never gets that far). Kept in memory, a journal
    /// of a million rows would take over 1 GB while running and nearly 2 GB to resume.
    /// </remarks>
    public sealed class RunJournal : IDisposable
    {
        public const string Created = "created";

        /// <summary>The run ended before the row's outcome was learned (-NoRetryAfterSend, or stopped in flight): held until -RetryUnknown.</summary>
        public const string Unknown = "unknown";

        /// <summary>
        /// The row ended in an error after a request with it may have been processed (retries ran out
        /// after an ambiguous attempt; a 200 that did not mention it). A resumed run sends it again and
        /// flags its result PossibleDuplicate; with -NoRetryAfterSend it is held like unknown.
        /// </summary>
        public const string MayExist = "may_exist";

        /// <summary>
        /// Written ahead, just before the row's first request goes out; the row's final line follows
        /// when its batch ends. As the latest line (the run was killed with the request in flight) it
        /// counts as may_exist.
        /// </summary>
        public const string Sending = "sending";

        /// <summary>The row was sent in this run and surely not made (say, refused with 422): a resumed run sends it as if never recorded.</summary>
        public const string NotCreated = "not_created";

        /// <summary>
        /// The journal's first line: what it is, so no other file is ever taken for one, and the
        /// property its rows' ids came from (a run that took them from another would find none of
        /// them, and send every row again).
        /// </summary>
        public static string HeaderLine(string uniqueIdProperty) => System.Text.Encoding.UTF8.GetString(
            JsonSerializer.SerializeToUtf8Bytes(new JournalHeader { Format = FormatName, Version = FormatVersion, UniqueIdProperty = uniqueIdProperty }, JournalJsonContext.Default.JournalHeader));

        /// <summary>What every header starts with (a header torn by a crash is a prefix of one).</summary>
        private const string HeaderStart = "{\"format\":\"GanAi.Journal\",\"version\":1";

        /// <summary>The property rows' ids come from when no other is named.</summary>
        public const string DefaultUniqueIdProperty = "unique_id";

        private const string FormatName = "GanAi.Journal";
        private const int FormatVersion = 1;
        private const int ScanBufferSize = 1 << 20;

        private readonly object _gate = new object();
        private readonly object _readGate = new object();
        private readonly FileStream? _stream;
        private readonly FileStream? _reader;
        private readonly JournalLock? _lock;
        private readonly JournalIndex _index;
        private byte[] _lineBuffer = new byte[1024];

        private RunJournal(string path, FileStream? stream, FileStream? reader, JournalLock? lockFile, JournalIndex index, int skippedLines)
        {
            Path = path;
            _stream = stream;
            _reader = reader;
            _lock = lockFile;
            _index = index;
            SkippedLines = skippedLines;
        }

        public string Path { get; }

        /// <summary>Lines that could not be read (a torn last line, or damage), dropped or skipped on open.</summary>
        public int SkippedLines { get; }

        /// <summary>The rows (distinct ids per project) that earlier runs recorded.</summary>
        public int Count => _index.KeyCount;

        /// <summary>
        /// Opens (or creates) the journal for this run alone and indexes what earlier runs recorded.
        /// In order: take it (<see cref="JournalLock"/>), check that it is a journal (nothing is written to
        /// a file that is not), drop a torn last line, and give a new or empty file its header.
        /// </summary>
        /// <exception cref="IOException">Another run has the journal, it is not a journal, or it cannot be read.</exception>
        public static RunJournal Open(string path, string uniqueIdProperty = DefaultUniqueIdProperty) => Open(path, ScanBufferSize, JournalIndex.DefaultKeyHash, uniqueIdProperty);

        /// <summary>For tests: a small scan buffer (lines across its edges) and a chosen key hash (collisions).</summary>
        internal static RunJournal Open(string path, int scanBufferSize, Func<string, string, ulong> keyHash, string uniqueIdProperty = DefaultUniqueIdProperty)
        {
            var full = System.IO.Path.GetFullPath(path);
            RefuseWhatCannotBeAJournal(full);
            var directory = System.IO.Path.GetDirectoryName(full);
            if (!string.IsNullOrEmpty(directory)) Directory.CreateDirectory(directory);
            FileStream? stream = null;
            JournalLock? held = null;
            try
            {
                stream = new FileStream(full, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.Read, 64 * 1024);
                held = JournalLock.Acquire(stream, full);
                var (index, goodLength, skipped) = ReadIndex(stream, full, scanBufferSize, keyHash, uniqueIdProperty);
                if (goodLength < stream.Length) stream.SetLength(goodLength); // drop a torn last line
                if (goodLength == 0)
                {
                    var header = System.Text.Encoding.UTF8.GetBytes(HeaderLine(uniqueIdProperty) + "\n");
                    stream.Write(header, 0, header.Length);
                    stream.Flush(true);
                }
                stream.Position = stream.Length;
                // Lookups read lines back through a handle of their own, so they never move the writer.
                var reader = index.LineCount > 0 ? new FileStream(full, FileMode.Open, FileAccess.Read, FileShare.ReadWrite, 4096) : null;
                return new RunJournal(full, stream, reader, held, index, skipped);
            }
            catch
            {
                stream?.Dispose();
                held?.Dispose();
                throw;
            }
        }

        /// <summary>
        /// For -WhatIf: what earlier runs recorded, without taking the journal: no lock, and nothing is
        /// created, cut off or written (<see cref="Record"/> throws). A run may be writing it meanwhile:
        /// an unfinished last line is skipped. Null when there is no journal file yet.
        /// </summary>
        public static RunJournal? OpenForReading(string path, string uniqueIdProperty = DefaultUniqueIdProperty)
        {
            var full = System.IO.Path.GetFullPath(path);
            RefuseWhatCannotBeAJournal(full);
            if (!File.Exists(full)) return null;
            var reader = new FileStream(full, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete, 4096);
            try
            {
                var (index, _, skipped) = ReadIndex(reader, full, ScanBufferSize, JournalIndex.DefaultKeyHash, uniqueIdProperty);
                return new RunJournal(full, null, reader, null, index, skipped);
            }
            catch
            {
                reader.Dispose();
                throw;
            }
        }

        /// <summary>
        /// What an earlier run recorded for this row (its latest line), if anything. Lines this run
        /// appends are not looked up.
        /// </summary>
        /// <exception cref="IOException">A recorded line can no longer be read (the file was changed under the run).</exception>
        public JournalEntry? Find(string projectId, string uniqueId)
        {
            if (_reader is null) return null;
            lock (_readGate)
            {
                foreach (var (offset, length) in _index.Candidates(projectId, uniqueId))
                {
                    var entry = ReadLine(offset, length);
                    if (entry.UniqueId == uniqueId && (entry.ProjectId ?? string.Empty) == projectId) return entry;
                }
                return null;
            }
        }

        /// <summary>
        /// Write-ahead: records rows as sending just before their first request goes out, written
        /// through to the disk, so neither a killed run nor a machine that loses power with the
        /// request in flight can hide it (its cost: docs/benchmarks.md).
        /// </summary>
        public void RecordSending(string projectId, IReadOnlyList<VideoRow> rows)
        {
            ThrowIfReadOnly();
            var buffer = new MemoryStream();
            foreach (var row in rows)
            {
                // A row sent already (a part of a split batch, a 422's rest) was recorded with the whole.
                if (row.State != RowState.Unsent && row.State != RowState.UnsentMayExist) continue;
                AppendStatus(buffer, Sending, projectId, row.UniqueId);
            }
            Write(buffer, toDisk: true);
        }

        /// <summary>
        /// Appends each row's final line as its batch ends (<see cref="RowDelivery.JournalStatus"/> of
        /// its state: created with its result, unknown, may_exist or not_created; none for a row not
        /// sent in this run), then flushes to the operating system (a killed run loses nothing). Not
        /// written through to the disk: a final line lost to a power cut leaves the row as sending,
        /// which a resumed run takes as possibly made (flagged), never as not sent.
        /// </summary>
        public void Record(string projectId, BatchOutcome outcome)
        {
            ThrowIfReadOnly();
            var buffer = new MemoryStream();
            foreach (var result in outcome.Results)
            {
                Append(buffer, new JournalEntry
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
            foreach (var row in outcome.Rows)
            {
                // Created rows were written with their results above; a row not ended has no final line yet.
                if (!RowDelivery.IsEnded(row.State) || RowDelivery.JournalStatus(row.State) is not { } status || status == Created) continue;
                AppendStatus(buffer, status, projectId, row.UniqueId);
            }
            Write(buffer, toDisk: false);
        }

        private void Write(MemoryStream buffer, bool toDisk)
        {
            if (buffer.Length == 0) return;
            lock (_gate)
            {
                _stream!.Write(buffer.GetBuffer(), 0, (int)buffer.Length);
                _stream.Flush(toDisk); // to the operating system (survives a killed process), or through to the disk
            }
        }

        public void Dispose()
        {
            lock (_gate)
            {
                _stream?.Dispose();
                _lock?.Dispose();
            }
            lock (_readGate) _reader?.Dispose();
        }

        private void ThrowIfReadOnly()
        {
            if (_stream is null) throw new InvalidOperationException($"The journal '{Path}' was opened for reading only.");
        }

        /// <summary>A line with a status only (every status but created, which carries the result).</summary>
        private static void AppendStatus(MemoryStream buffer, string status, string projectId, string uniqueId) =>
            Append(buffer, new JournalEntry { Status = status, ProjectId = projectId, UniqueId = uniqueId, RecordedAt = DateTimeOffset.UtcNow });

        private static void Append(MemoryStream buffer, JournalEntry entry)
        {
            JsonSerializer.Serialize(buffer, entry, JournalJsonContext.Default.JournalEntry);
            buffer.WriteByte((byte)'\n');
        }

        /// <summary>
        /// Reads the file once, in chunks, and indexes each good line. Returns the index, the length up
        /// to the end of the last complete line (a line without its newline was torn by a crash) and
        /// the number of lines skipped. Checks first that the file is a journal: its first line is the
        /// header, or (a journal written before the header existed) every complete line is a journal
        /// line; anything else is refused before the caller changes a byte.
        /// </summary>
        private static (JournalIndex Index, long GoodLength, int Skipped) ReadIndex(FileStream stream, string path, int bufferSize, Func<string, string, ulong> keyHash, string uniqueIdProperty)
        {
            var index = new JournalIndex(keyHash);
            stream.Position = 0;
            var buffer = new byte[bufferSize];
            var filled = 0;          // bytes in the buffer
            long bufferStart = 0;    // the file offset of buffer[0], always the start of a line
            var skipped = 0;
            long line = 0;
            bool? headed = null;     // known once the first line is read: with the header, or a journal from before it
            while (true)
            {
                if (filled == buffer.Length) Array.Resize(ref buffer, buffer.Length * 2); // a line longer than the buffer
                var read = stream.Read(buffer, filled, buffer.Length - filled);
                if (read == 0) break;
                var searchFrom = filled;
                filled += read;

                var start = 0;
                int end;
                while ((end = Array.IndexOf(buffer, (byte)'\n', searchFrom, filled - searchFrom)) >= 0)
                {
                    line++;
                    var content = new ReadOnlySpan<byte>(buffer, start, end - start);
                    if (headed is null && (headed = IsHeader(content, path, uniqueIdProperty)) == true)
                    {
                        // The header: not a row.
                    }
                    else if (end > start && !TryIndex(buffer, start, end - start, bufferStart + start, index))
                    {
                        if (headed == false) throw NotAJournal(path, line, content);
                        skipped++;
                    }
                    start = searchFrom = end + 1;
                }
                // Keep the unfinished line at the front of the buffer.
                Buffer.BlockCopy(buffer, start, buffer, 0, filled - start);
                filled -= start;
                bufferStart += start;
            }
            if (filled > 0)
            {
                // A torn last line: no newline, so it never finished. With nothing before it, it is
                // dropped only when it is the start of the header (a crash while the journal was made).
                var torn = new ReadOnlySpan<byte>(buffer, 0, filled);
                if (headed is null && !IsStartOfHeader(torn)) throw NotAJournal(path, 1, torn);
                skipped++;
            }
            index.Seal();
            return (index, bufferStart, skipped);
        }

        /// <summary>
        /// Whether the first line is the header. A header of a later version is refused (its lines may
        /// mean something else), and so is one whose rows took their ids from another property than
        /// this run (none of its rows would be found: each would be sent again).
        /// </summary>
        private static bool IsHeader(ReadOnlySpan<byte> line, string path, string uniqueIdProperty)
        {
            JournalHeader? header;
            try
            {
                header = JsonSerializer.Deserialize(line, JournalJsonContext.Default.JournalHeader);
            }
            catch (JsonException)
            {
                return false;
            }
            if (header?.Format != FormatName) return false;
            if (header.Version != FormatVersion)
                throw new JournalFormatException($"The journal '{path}' is of version {header.Version} of its format, written by a later GanAi; this one reads version {FormatVersion}. It was not changed.");
            // Property names are matched as PowerShell matches them (any case). A header without one
            // was written before the header named it: not checked.
            if (header.UniqueIdProperty is { } recorded && !string.Equals(recorded, uniqueIdProperty, StringComparison.OrdinalIgnoreCase))
            {
                throw new JournalFormatException($"The journal '{path}' records rows whose ids came from their '{recorded}' property; this run takes each row's id from '{uniqueIdProperty}', so it would find none of them and send every row again. " +
                    $"Run with -UniqueIdProperty {recorded} to resume it, or give -JournalPath a new file. It was not changed.");
            }
            return true;
        }

        private static bool IsStartOfHeader(ReadOnlySpan<byte> bytes)
        {
            var start = System.Text.Encoding.UTF8.GetBytes(HeaderStart).AsSpan();
            return start.StartsWith(bytes) || bytes.StartsWith(start);
        }

        /// <summary>
        /// A folder or a file that cannot hold lines (a device such as /dev/null, a pipe) is refused
        /// before it is opened: /dev/null would take every line and give none back on resume, and
        /// opening a pipe to read it waits for a writer.
        /// </summary>
        private static void RefuseWhatCannotBeAJournal(string full)
        {
            if (Directory.Exists(full))
                throw new JournalFormatException($"'{full}' is a folder, not a journal. Give -JournalPath a file: the journal of an earlier run, or a new file (say '{System.IO.Path.Combine(full, "journal.jsonl")}').");
            if (File.Exists(full) && FileIdentity.IsRegularFile(full) == false)
                throw new JournalFormatException($"'{full}' is not a regular file (a device, a pipe or a socket): it cannot keep a journal. Give -JournalPath a file: the journal of an earlier run, or a new file.");
        }

        private static JournalFormatException NotAJournal(string path, long line, ReadOnlySpan<byte> content)
        {
            var text = System.Text.Encoding.UTF8.GetString(content.Slice(0, Math.Min(content.Length, 60)).ToArray()).Replace("\r", string.Empty);
            return new JournalFormatException(string.Format(System.Globalization.CultureInfo.InvariantCulture,
                "'{0}' is not a GanAi journal: its line {1} is not a journal line ({2}{3}). It was not changed. Give -JournalPath the journal of an earlier run, or a new file.",
                path, line, text, content.Length > 60 ? "..." : string.Empty));
        }

        private static bool IsKnownStatus(string? status) =>
            status == Created || status == Unknown || status == MayExist || status == Sending || status == NotCreated;

        private static bool TryIndex(byte[] buffer, int start, int length, long offset, JournalIndex index)
        {
            JournalEntry? entry;
            try
            {
                entry = JsonSerializer.Deserialize(new ReadOnlySpan<byte>(buffer, start, length), JournalJsonContext.Default.JournalEntry);
            }
            catch (JsonException)
            {
                return false;
            }
            if (entry?.UniqueId is not { Length: > 0 } || !IsKnownStatus(entry.Status)) return false;
            index.Add(entry.ProjectId ?? string.Empty, entry.UniqueId, offset, length);
            return true;
        }

        private JournalEntry ReadLine(long offset, int length)
        {
            if (_lineBuffer.Length < length) _lineBuffer = new byte[Math.Max(length, _lineBuffer.Length * 2)];
            _reader!.Position = offset;
            var read = 0;
            while (read < length)
            {
                var n = _reader.Read(_lineBuffer, read, length - read);
                if (n == 0) break;
                read += n;
            }
            try
            {
                if (read == length && JsonSerializer.Deserialize(new ReadOnlySpan<byte>(_lineBuffer, 0, length), JournalJsonContext.Default.JournalEntry) is { } entry) return entry;
            }
            catch (JsonException)
            {
            }
            throw new IOException($"The journal '{Path}' changed while this run used it: a line recorded at byte {offset} can no longer be read. Nothing else may write to a journal during a run.");
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

        [JsonIgnore] public bool IsCreated => Status == RunJournal.Created;

        /// <summary>The recorded result, for a row of this run (its number and tags).</summary>
        public VideoResult ToResult(VideoRow row) => new VideoResult(row.UniqueId, ProjectId ?? string.Empty, InferenceId, VideoUrl, AudioUrl,
            ThumbnailUrl, SmartUrl, Permalink, PossibleDuplicate, row.Number, row.Tags, fromJournal: true);
    }

    /// <summary>A file given as a journal that is not one this version reads; it was not changed.</summary>
    public sealed class JournalFormatException : IOException
    {
        internal JournalFormatException(string message)
            : base(message)
        {
        }
    }

    /// <summary>The journal is held by another run (in this process or another, through any name).</summary>
    public sealed class JournalBusyException : IOException
    {
        internal JournalBusyException(string message, Exception? inner)
            : base(message, inner)
        {
        }
    }

    /// <summary>The journal's first line.</summary>
    internal sealed class JournalHeader
    {
        [JsonPropertyName("format")] public string? Format { get; set; }
        [JsonPropertyName("version")] public int Version { get; set; }
        [JsonPropertyName("unique_id_property")] public string? UniqueIdProperty { get; set; }
    }

    [JsonSourceGenerationOptions(GenerationMode = JsonSourceGenerationMode.Metadata, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
    [JsonSerializable(typeof(JournalEntry))]
    [JsonSerializable(typeof(JournalHeader))]
    internal sealed partial class JournalJsonContext : JsonSerializerContext
    {
    }
}
