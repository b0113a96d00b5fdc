using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Text.Json;

namespace GanAi.Journal
{
    /// <summary>
    /// A JSON-lines file of every row's outcome, so a run can be resumed: run the same command with
    /// the same journal and rows already recorded are not sent again; their recorded results are
    /// written again. Its first line names the format (<see cref="HeaderLine"/>); then lines of rows,
    /// appended from background tasks: lines written ahead and through to the disk before a request
    /// goes out (<see cref="AppendAhead"/>), and final lines flushed as a batch finishes
    /// (<see cref="Append(IEnumerable{JournalEntry})"/>). It knows lines, not rows: what a row's state means for its lines is
    /// decided in Batching (JournalLines). Every line must be readable, but a torn last line (a crash
    /// in mid-write); a file that is not a journal is refused before anything is written to it. A
    /// second run on the same journal, by any name, fails at once (<see cref="JournalLock"/>);
    /// readers may look at the journal while a run writes.
    /// </summary>
    /// <remarks>
    /// Memory stays flat however long the journal: opening it streams the file once and keeps only
    /// where each line is (<see cref="JournalIndex"/>, 24 bytes a line), a lookup reads its lines back
    /// from the file, and the lines this run appends are not kept (within one run each id is looked
    /// up once, before its row is sent: a repeated id never gets that far). Kept in memory, a journal
    /// of a million rows would take over 1 GB while running and nearly 2 GB to resume.
    /// </remarks>
    public sealed class RunJournal : IDisposable
    {
        public const string Created = "created";

        /// <summary>The run ended before the row's outcome was learned (stopped in flight, or at its cap of sends): held until -RetryUnknown.</summary>
        public const string Unknown = "unknown";

        /// <summary>
        /// The row ended in an error after a request with it may have been processed. A resumed run
        /// sends it again (flagged PossibleDuplicate) while it is under its cap of sends, else holds it like unknown.
        /// </summary>
        public const string MayExist = "may_exist";

        /// <summary>
        /// Written ahead, just before each send of the row; the row's final line follows when its
        /// batch ends. As the latest line (the run was killed with the request in flight) it counts as may_exist.
        /// </summary>
        public const string Sending = "sending";

        /// <summary>The row was sent in this run and surely not made (say, refused with 422): a resumed run sends it as if never recorded.</summary>
        public const string NotCreated = "not_created";

        /// <summary>The most sends a line may count: a run adds at most 2 and each -RetryUnknown 1; a larger (or negative) send_count was not written by a run.</summary>
        internal const int MostSends = 1000;

        /// <summary>What a version-1 row that may exist counts as: the cap (that version did not count its retries).</summary>
        internal const int UncountedSends = 2;

        /// <summary>What every header starts with, whatever its version (a header torn by a crash is a prefix of one).</summary>
        private const string HeaderStart = "{\"format\":\"GanAi.Journal\",\"version\":";

        private const int ScanBufferSize = 1 << 20;

        /// <summary>Damaged lines named in the error, at most (the count says how many there are).</summary>
        private const int DamageShown = 10;

        private readonly object _gate = new object();
        private readonly object _readGate = new object();
        private readonly FileStream? _stream;
        private readonly FileStream? _reader;
        private readonly JournalLock? _lock;
        private readonly JournalIndex _index;
        private readonly (string ProjectId, string UniqueId)? _tornRow;
        private byte[] _lineBuffer = new byte[1024];

        /// <summary>The writer's handle, taken once at open (reading FileStream.SafeFileHandle later would disturb writes in progress).</summary>
        private readonly Microsoft.Win32.SafeHandles.SafeFileHandle? _handle;

        /// <summary>Where this run's last write ended: the file's length, unless something else changed it (<see cref="JournalChangedException"/>).</summary>
        private long _end;

        private RunJournal(string path, FileStream? stream, FileStream? reader, JournalLock? lockFile, JournalScan scan)
        {
            Path = path;
            _stream = stream;
            _reader = reader;
            _lock = lockFile;
            _end = stream?.Length ?? 0;
            _handle = stream?.SafeFileHandle;
            _index = scan.Index;
            _tornRow = scan.TornRow;
            TornLastLine = scan.Torn;
        }

        public string Path { get; }

        /// <summary>A torn last line (a crash in mid-write) was dropped on open.</summary>
        public bool TornLastLine { get; }

        /// <summary>The rows (distinct ids per project) that earlier runs recorded.</summary>
        public int Count => _index.KeyCount;

        /// <summary>The journal's first line, for a journal whose rows take their ids from <paramref name="uniqueIdProperty"/>.</summary>
        public static string HeaderLine(string uniqueIdProperty) => System.Text.Encoding.UTF8.GetString(JsonSerializer.SerializeToUtf8Bytes(
            new JournalHeader { Format = JournalHeader.FormatName, Version = JournalHeader.CurrentVersion, UniqueIdProperty = uniqueIdProperty }, JournalJsonContext.Default.JournalHeader));

        /// <summary>
        /// Opens (or creates) the journal for this run alone and indexes what earlier runs recorded.
        /// In order: take it (<see cref="JournalLock"/>), check that it is a journal and every line of
        /// it is readable (nothing is written to a file that is not), drop a torn last line, give a
        /// new or empty file its header, and a version-1 header the current version.
        /// </summary>
        /// <exception cref="IOException">Another run has the journal, it is not a journal, it is damaged (<see cref="JournalDamagedException"/>), or it cannot be read.</exception>
        public static RunJournal Open(string path, string uniqueIdProperty) => Open(path, ScanBufferSize, JournalIndex.DefaultKeyHash, uniqueIdProperty);

        /// <summary>For tests: a small scan buffer (lines across its edges) and a chosen key hash (collisions).</summary>
        internal static RunJournal Open(string path, int scanBufferSize, Func<string, string, ulong> keyHash, string uniqueIdProperty)
        {
            var full = System.IO.Path.GetFullPath(path);
            RefuseWhatCannotBeAJournal(full);
            var directory = System.IO.Path.GetDirectoryName(full);
            if (!string.IsNullOrEmpty(directory)) Directory.CreateDirectory(directory);
            FileStream? stream = null;
            JournalLock? held = null;
            try
            {
                try
                {
                    stream = new FileStream(full, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.Read, 64 * 1024);
                }
                catch (IOException ex) when (JournalLock.IsHeldOpenByAnother(ex.HResult))
                {
                    throw JournalLock.InUse(full, ex);
                }
                held = JournalLock.Acquire(stream, full);
                var scan = Scan(stream, full, scanBufferSize, keyHash, uniqueIdProperty);
                if (scan.GoodLength < stream.Length) stream.SetLength(scan.GoodLength); // drop a torn last line
                if (scan.GoodLength == 0)
                {
                    Write(stream, System.Text.Encoding.UTF8.GetBytes(HeaderLine(uniqueIdProperty) + "\n"), toDisk: true);
                }
                else
                {
                    if (scan.HeaderVersion is { } version && version < JournalHeader.CurrentVersion) UpgradeHeader(stream, scan.HeaderLength, uniqueIdProperty);
                    if (scan.LastLineUnended) Write(stream, new[] { (byte)'\n' }, toDisk: true, at: stream.Length); // a whole last line that only lacked its newline
                }
                stream.Position = stream.Length;
                // Lookups read lines back through a handle of their own, so they never move the writer.
                var reader = scan.Index.LineCount > 0 ? new FileStream(full, FileMode.Open, FileAccess.Read, FileShare.ReadWrite, 4096) : null;
                return new RunJournal(full, stream, reader, held, scan);
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
        /// created, cut off or written (<see cref="Append(IEnumerable{JournalEntry})"/> throws). A run may be writing it meanwhile:
        /// an unfinished last line is skipped. Null when there is no journal file yet.
        /// </summary>
        public static RunJournal? OpenForReading(string path, string uniqueIdProperty)
        {
            var full = System.IO.Path.GetFullPath(path);
            RefuseWhatCannotBeAJournal(full);
            if (!File.Exists(full)) return null;
            var reader = new FileStream(full, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete, 4096);
            try
            {
                return new RunJournal(full, null, reader, null, Scan(reader, full, ScanBufferSize, JournalIndex.DefaultKeyHash, uniqueIdProperty));
            }
            catch
            {
                reader.Dispose();
                throw;
            }
        }

        /// <summary>
        /// What earlier runs recorded for this row, if anything: its latest line and its count of
        /// sends (<see cref="JournalRecord"/>). Lines this run appends are not looked up.
        /// </summary>
        /// <exception cref="IOException">A recorded line can no longer be read (the file was changed under the run).</exception>
        public JournalRecord? Find(string projectId, string uniqueId)
        {
            if (_reader is null) return null;
            lock (_readGate)
            {
                JournalEntry? latest = null;
                var sendingLines = 0;
                foreach (var (offset, length) in _index.Candidates(projectId, uniqueId))
                {
                    var entry = ReadLine(offset, length);
                    if (entry.UniqueId is null || !Ids.IdHash.Same(entry.UniqueId, uniqueId) || (entry.ProjectId ?? string.Empty) != projectId) continue;
                    if (latest is null)
                    {
                        latest = entry;
                        if (entry.SendCount.HasValue) break; // version 2: the latest line counts every send
                    }
                    if (entry.Status == Sending) sendingLines++;
                }
                if (latest is null) return null;
                var status = latest.Status!;
                if (_tornRow is { } torn && torn.ProjectId == projectId && Ids.IdHash.Same(torn.UniqueId, uniqueId) && status == NotCreated) status = MayExist;
                var mayExist = status == Sending || status == MayExist || status == Unknown;
                // Version 1 wrote one sending line per row per run, not per send (its retries are not
                // in the count): a row it left possibly made counts as at the cap.
                var sends = latest.SendCount ?? (latest.IsCreated ? (latest.PossibleDuplicate ? 2 : 1) : mayExist ? Math.Max(sendingLines, UncountedSends) : sendingLines);
                if (mayExist && sends < 1) sends = 1;
                return new JournalRecord(latest, sends, status);
            }
        }

        /// <summary>
        /// Write-ahead: lines written through to the disk before the request they announce goes out,
        /// so neither a killed run nor a machine that loses power with the request in flight can hide
        /// it (its cost: docs/benchmarks.md).
        /// </summary>
        /// <exception cref="IOException">The write failed, or the file was changed under the run (<see cref="JournalChangedException"/>).</exception>
        public void AppendAhead(IEnumerable<JournalEntry> entries) => Append(entries, toDisk: true);

        /// <summary>
        /// Final lines, flushed to the operating system (a killed run loses nothing). Not written
        /// through to the disk: a final line lost to a power cut leaves the row's line written ahead as
        /// its latest, which a resumed run takes as possibly made (flagged), never as not sent.
        /// </summary>
        /// <exception cref="IOException">The write failed, or the file was changed under the run (<see cref="JournalChangedException"/>).</exception>
        public void Append(IEnumerable<JournalEntry> entries) => Append(entries, toDisk: false);

        private void Append(IEnumerable<JournalEntry> entries, bool toDisk)
        {
            if (_stream is null) throw new InvalidOperationException($"The journal '{Path}' was opened for reading only.");
            var buffer = new MemoryStream();
            foreach (var entry in entries)
            {
                JsonSerializer.Serialize(buffer, entry, JournalJsonContext.Default.JournalEntry);
                buffer.WriteByte((byte)'\n');
            }
            if (buffer.Length == 0) return;
            lock (_gate)
            {
                try
                {
                    // Checked before each write, so lines are never written into another command's file; other
                    // writers before a request goes out (a write-ahead), before their output can mix with the journal.
                    ThrowIfChanged(lookForWriters: toDisk);
                    Write(_stream, buffer.GetBuffer(), (int)buffer.Length, toDisk);
                    _end += buffer.Length;
                }
                catch (ArgumentException ex)
                {
                    // A file at the largest size allowed here (EFBIG: a quota, `ulimit -f`) is refused by .NET
                    // as an argument out of range: to callers it is the journal failing, as a full disk is.
                    throw new IOException($"The journal '{Path}' could not be written: it reached the largest size a file may have here (a quota, or a file size limit)", ex);
                }
            }
        }

        /// <summary>Throws when something else changed the file's length, or has it open for writing (<see cref="JournalChangedException"/>).</summary>
        public void EnsureUnchanged()
        {
            if (_stream is null) return;
            lock (_gate) ThrowIfChanged(lookForWriters: true);
        }

        /// <summary>
        /// Under <see cref="_gate"/>: the file's length is not where this run's last write ended, or
        /// (<paramref name="lookForWriters"/>) another handle of this process has it open for writing
        /// (Linux; FileShare keeps other writers out on Windows). Bytes overwritten in place keep the
        /// length and go unseen; a lookup of them fails (JournalFormatException).
        /// </summary>
        private void ThrowIfChanged(bool lookForWriters)
        {
            var length = _stream!.Length;
            if (length != _end) throw new JournalChangedException(Path, length, _end);
            if (lookForWriters && FileIdentity.IsOpenForWritingElsewhere(_handle!)) throw new JournalChangedException(Path);
        }

        /// <summary>Closes the journal; its hold is released even when the last flush fails (a full disk), so a later run may take it.</summary>
        public void Dispose()
        {
            lock (_gate)
            {
                try
                {
                    _stream?.Dispose();
                }
                catch (Exception ex) when (ex is IOException || ex is ArgumentException)
                {
                    // The lines that could not be flushed were never acknowledged: their rows' earlier lines stand.
                }
                finally
                {
                    _lock?.Dispose();
                }
            }
            lock (_readGate) _reader?.Dispose();
        }

        private static void Write(FileStream stream, byte[] bytes, bool toDisk, long? at = null) => Write(stream, bytes, bytes.Length, toDisk, at);

        private static void Write(FileStream stream, byte[] bytes, int count, bool toDisk, long? at = null)
        {
            if (at is { } position) stream.Position = position;
            stream.Write(bytes, 0, count);
            stream.Flush(toDisk); // to the operating system (survives a killed process), or through to the disk
        }

        /// <summary>A version-1 header becomes the current version in place (the same length), so an older module refuses the journal rather than misread its counts.</summary>
        private static void UpgradeHeader(FileStream stream, int headerLength, string uniqueIdProperty)
        {
            var current = System.Text.Encoding.UTF8.GetBytes(HeaderLine(uniqueIdProperty));
            if (current.Length == headerLength) Write(stream, current, toDisk: true, at: 0);
        }

        /// <summary>What reading the whole file found.</summary>
        private sealed class JournalScan
        {
            public JournalScan(JournalIndex index) => Index = index;

            public JournalIndex Index { get; }

            /// <summary>The length up to the end of the last whole line (a torn last line is dropped).</summary>
            public long GoodLength { get; set; }

            /// <summary>The last line is whole but lacks its newline (kept; one is added before anything is appended).</summary>
            public bool LastLineUnended { get; set; }

            public bool Torn { get; set; }

            /// <summary>The row a torn last line named, as far as it could be read.</summary>
            public (string ProjectId, string UniqueId)? TornRow { get; set; }

            public int? HeaderVersion { get; set; }

            public int HeaderLength { get; set; }
        }

        /// <summary>
        /// Reads the file once, in chunks, and indexes each line. Checks first that the file is a
        /// journal: its first line is the header, or (a journal written before the header existed)
        /// every complete line is a journal line; anything else is refused before the caller changes a
        /// byte. A line that cannot be read anywhere but at the end makes it damaged
        /// (<see cref="JournalDamagedException"/>): the rows it named might be sent again as new.
        /// </summary>
        private static JournalScan Scan(FileStream stream, string path, int bufferSize, Func<string, string, ulong> keyHash, string uniqueIdProperty)
        {
            var scan = new JournalScan(new JournalIndex(keyHash));
            var damaged = new List<long>();
            var damagedCount = 0L;
            stream.Position = 0;
            var buffer = new byte[bufferSize];
            var filled = 0;          // bytes in the buffer
            long bufferStart = 0;    // the file offset of buffer[0], always the start of a line
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
                    if (headed is null && (headed = ReadHeader(content, path, uniqueIdProperty, scan)) == true)
                    {
                        // The header: not a row.
                    }
                    else if (end > start && !TryIndex(content, bufferStart + start, scan.Index, requireProject: headed == true))
                    {
                        if (headed == false) throw NotAJournal(path, line, content, stream);
                        if (damaged.Count < DamageShown) damaged.Add(line);
                        damagedCount++;
                    }
                    start = searchFrom = end + 1;
                }
                // Keep the unfinished line at the front of the buffer.
                Buffer.BlockCopy(buffer, start, buffer, 0, filled - start);
                filled -= start;
                bufferStart += start;
            }
            scan.GoodLength = bufferStart;
            if (filled > 0) ReadLastLine(new ReadOnlySpan<byte>(buffer, 0, filled), bufferStart, line + 1, headed, path, uniqueIdProperty, scan, stream);
            if (damagedCount > 0) throw Damaged(path, damaged, damagedCount);
            scan.Index.Seal();
            return scan;
        }

        /// <summary>
        /// A last line without its newline: kept when it is a whole journal line (only the newline was
        /// lost); else torn by a crash in mid-write, and dropped. With nothing before it, it is dropped
        /// only when it is the start of the header (a crash while the journal was made). A torn line
        /// that names a row an earlier line names makes that row count as possibly made.
        /// </summary>
        private static void ReadLastLine(ReadOnlySpan<byte> last, long offset, long line, bool? headed, string path, string uniqueIdProperty, JournalScan scan, Stream stream)
        {
            if (headed is null)
            {
                if (ReadHeader(last, path, uniqueIdProperty, scan))
                {
                    scan.GoodLength = offset + last.Length;
                    scan.LastLineUnended = true;
                    return;
                }
                if (!StartsAsHeader(last)) throw NotAJournal(path, line, last, stream);
                scan.Torn = true;
                return;
            }
            if (TryIndex(last, offset, scan.Index, requireProject: headed == true))
            {
                scan.GoodLength = offset + last.Length;
                scan.LastLineUnended = true;
                return;
            }
            scan.Torn = true;
            scan.TornRow = IdsOfTornLine(last); // it counts only for a row an earlier line names (Find)
        }

        /// <summary>The project and unique_id a torn line names, when it got that far; read as far as it goes.</summary>
        private static (string ProjectId, string UniqueId)? IdsOfTornLine(ReadOnlySpan<byte> torn)
        {
            string? project = null, unique = null, expecting = null;
            try
            {
                var reader = new Utf8JsonReader(torn, isFinalBlock: false, state: default);
                while (reader.Read())
                {
                    if (reader.TokenType == JsonTokenType.PropertyName) expecting = reader.GetString();
                    else if (reader.TokenType == JsonTokenType.String && expecting == JournalEntry.ProjectIdField) project = reader.GetString();
                    else if (reader.TokenType == JsonTokenType.String && expecting == JournalEntry.UniqueIdField) unique = reader.GetString();
                }
            }
            catch (JsonException)
            {
                // As far as it could be read.
            }
            return unique is { Length: > 0 } ? (project ?? string.Empty, unique) : ((string, string)?)null;
        }

        /// <summary>
        /// Whether the first line is the header (its version and length noted). A header of a later
        /// version is refused (its lines may mean something else), and so is one whose rows took their
        /// ids from another property than this run (none of its rows would be found: each would be sent again).
        /// </summary>
        private static bool ReadHeader(ReadOnlySpan<byte> line, string path, string uniqueIdProperty, JournalScan scan)
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
            if (header?.Format != JournalHeader.FormatName) return false;
            if (header.Version > JournalHeader.CurrentVersion || header.Version < 1)
                throw new JournalFormatException($"The journal '{path}' is of version {header.Version} of its format, written by a later GanAi; this one reads versions 1 to {JournalHeader.CurrentVersion}. It was not changed.");
            // Property names are matched as PowerShell matches them (any case). A header without one
            // was written before the header named it: not checked.
            if (header.UniqueIdProperty is { } recorded && !string.Equals(recorded, uniqueIdProperty, StringComparison.OrdinalIgnoreCase))
            {
                throw new JournalFormatException($"The journal '{path}' records rows whose ids came from their '{recorded}' property; this run takes each row's id from '{uniqueIdProperty}', so it would find none of them and send every row again. " +
                    $"Run with -UniqueIdProperty {recorded} to resume it, or give -JournalPath a new file. It was not changed.");
            }
            scan.HeaderVersion = header.Version;
            scan.HeaderLength = line.Length;
            return true;
        }

        private static bool StartsAsHeader(ReadOnlySpan<byte> bytes)
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

        private static JournalFormatException NotAJournal(string path, long line, ReadOnlySpan<byte> content, Stream file) => new JournalFormatException(
            line == 1 && content.StartsWith(Utf8ByteOrderMark) && content.Length > 3 && content[3] == (byte)'{' // a journal, an editor's BOM before it
                ? $"'{path}' starts with a byte order mark, which no run writes: it was saved by an editor, and may have been changed there. It was not changed. Remove the mark (save it as UTF-8 without BOM), or give -JournalPath a new file."
                : HoldsRunOutput(file)
                // A new file would send every row it recorded again: that advice is not given for a journal written over.
                ? string.Format(CultureInfo.InvariantCulture,
                    "'{0}' holds a GanAi journal's lines or New-GanVideoBatch's results mixed with other text (its line {1} is '{2}'): another command wrote into it or over it, as one given the journal's path in the same pipeline does (Export-Csv, Out-File, Tee-Object, a > redirection). It was not changed. " +
                    "Its rows may have been made: a new journal would make and charge them again. Restore it from a copy, or keep its header and journal lines (those that start with '{{\"status\"') in a file of their own and resume from that; rows listed as results there were made.", path, line, Shown(content))
                : string.Format(CultureInfo.InvariantCulture,
                    "'{0}' is not a GanAi journal: its line {1} is not a journal line ({2}). It was not changed. Give -JournalPath the journal of an earlier run, or a new file.", path, line, Shown(content)));

        /// <summary>
        /// Whether the file's first 16 MB hold a journal's header, a row's line or a column of
        /// New-GanVideoBatch's results (a table or a CSV of them): a journal something else wrote into or over.
        /// </summary>
        private static bool HoldsRunOutput(Stream file)
        {
            var header = System.Text.Encoding.UTF8.GetBytes(HeaderStart);
            var row = System.Text.Encoding.UTF8.GetBytes("\"send_count\":");
            var result = System.Text.Encoding.UTF8.GetBytes("InferenceId");
            var buffer = new byte[1 << 20];
            var kept = 0;
            file.Position = 0;
            for (var total = 0L; total < 16L << 20;)
            {
                var read = file.Read(buffer, kept, buffer.Length - kept);
                if (read == 0) return false;
                total += read;
                var span = buffer.AsSpan(0, kept + read);
                if (span.IndexOf(header) >= 0 || span.IndexOf(row) >= 0 || span.IndexOf(result) >= 0) return true;
                // The last bytes again, in case a marker spans two reads.
                kept = Math.Min(64, span.Length);
                span.Slice(span.Length - kept).CopyTo(buffer);
            }
            return false;
        }

        private static ReadOnlySpan<byte> Utf8ByteOrderMark => new byte[] { 0xEF, 0xBB, 0xBF };

        private static JournalDamagedException Damaged(string path, List<long> lines, long count) => new JournalDamagedException(string.Format(CultureInfo.InvariantCulture,
            "The journal '{0}' is damaged: {1} line(s) cannot be read (line{2} {3}{4}), so the rows they recorded might be sent again as new. Nothing was sent and the journal was not changed. " +
            "Restore it from a copy, or remove those lines once you know what became of their rows (a line names its row by unique_id), then run again.",
            path, count, lines.Count > 1 ? "s" : string.Empty, string.Join(", ", lines.Select(n => n.ToString(CultureInfo.InvariantCulture))), count > lines.Count ? ", ..." : string.Empty), lines);

        private static string Shown(ReadOnlySpan<byte> content)
        {
            var text = System.Text.Encoding.UTF8.GetString(content.Slice(0, Math.Min(content.Length, 60)).ToArray()).Replace("\r", string.Empty);
            return text + (content.Length > 60 ? "..." : string.Empty);
        }

        private static bool IsKnownStatus(string? status) =>
            status == Created || status == Unknown || status == MayExist || status == Sending || status == NotCreated;

        /// <summary>
        /// Indexes a journal line; false for one that is not (not JSON, no unique_id, a status this
        /// version does not know, or, since the header, no project_id: every line since names one, so a
        /// line without it was damaged, and its row would be taken for another project's).
        /// </summary>
        private static bool TryIndex(ReadOnlySpan<byte> line, long offset, JournalIndex index, bool requireProject)
        {
            JournalEntry? entry;
            try
            {
                entry = JsonSerializer.Deserialize(line, JournalJsonContext.Default.JournalEntry);
            }
            catch (JsonException)
            {
                return false;
            }
            if (entry?.UniqueId is not { Length: > 0 } || !IsKnownStatus(entry.Status) || (requireProject && entry.ProjectId is null)) return false;
            if (entry.SendCount is { } sends && (sends < 0 || sends > MostSends)) return false; // a count no run writes: hand-edited
            index.Add(entry.ProjectId ?? string.Empty, entry.UniqueId, offset, line.Length);
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
}
