using System.Collections.Concurrent;
using System.Globalization;

namespace GanAi.Emulator.State;

/// <summary>
/// The videos made since the last reset, in the order they were made, found by inference id.
/// </summary>
/// <remarks>
/// An inference id is this store's random prefix and the video's slot number in hex (32 hex digits,
/// like the service's ids), so finding a video is parsing its id, and adding one is an Interlocked
/// increment and one array write: no hashing, no node per video. Two concurrent dictionaries (by id,
/// and a count per unique_id) cost about 2 µs a video, enough for the emulator to set the pace of
/// the client's overhead benchmark. A reset starts a new store with a new prefix, so an id
/// handed out before the reset is not found after it.
/// </remarks>
internal sealed class VideoStore
{
    private const int ChunkBits = 12;
    private const int ChunkSize = 1 << ChunkBits; // 4,096 references: 32 KB, under the large-object heap
    private readonly object _growGate = new();
    private EmulatedVideo?[]?[] _chunks = new EmulatedVideo?[]?[16];
    private long _reserved;

    // Per project: the slot up to which TakeFinishedBy has looked.
    private readonly ConcurrentDictionary<string, long> _takenUpTo = new(StringComparer.Ordinal);

    private string Prefix { get; } = Guid.NewGuid().ToString("N")[..16];

    /// <summary>Slots handed out so far; a slot can be empty for an instant after it is reserved.</summary>
    private long Reserved => Interlocked.Read(ref _reserved);

    /// <summary>Makes a video, now, in the next slot, with that slot's inference id.</summary>
    public EmulatedVideo Add(string projectId, string uniqueId, KeyValuePair<string, string>[] tags, RenderSlot render, bool fails)
    {
        var slot = Interlocked.Increment(ref _reserved) - 1;
        var video = new EmulatedVideo(IdOf(slot), projectId, uniqueId, DateTimeOffset.UtcNow, render, tags, fails);
        Volatile.Write(ref ChunkOf(slot)[slot & (ChunkSize - 1)], video);
        return video;
    }

    // Videos registered with an id the caller chose (tests' fakes), found by that id.
    private readonly ConcurrentDictionary<string, EmulatedVideo> _chosen = new(StringComparer.Ordinal);

    /// <summary>Makes a video with an inference id the caller chose (a test's fake result names it); null when a video has that id.</summary>
    public EmulatedVideo? AddWithId(string inferenceId, string projectId, string uniqueId, KeyValuePair<string, string>[] tags, DateTimeOffset createdAt, RenderSlot render, bool fails)
    {
        var video = new EmulatedVideo(inferenceId, projectId, uniqueId, createdAt, render, tags, fails, Registered: true);
        if (Find(inferenceId) is not null || !_chosen.TryAdd(inferenceId, video)) return null;
        var slot = Interlocked.Increment(ref _reserved) - 1;
        Volatile.Write(ref ChunkOf(slot)[slot & (ChunkSize - 1)], video);
        return video;
    }

    public EmulatedVideo? Find(string inferenceId)
    {
        if (!_chosen.IsEmpty && _chosen.TryGetValue(inferenceId, out var chosen)) return chosen;
        if (inferenceId.Length != 32 || !inferenceId.StartsWith(Prefix, StringComparison.Ordinal)) return null;
        if (!long.TryParse(inferenceId.AsSpan(16), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var slot) || slot < 0 || slot >= Reserved) return null;
        // Exactly the id handed out (lower case, no other spelling of the same number).
        return string.Equals(IdOf(slot), inferenceId, StringComparison.Ordinal) && At(slot) is { } video && video.InferenceId == inferenceId ? video : null;
    }

    /// <summary>Every video made so far, oldest first.</summary>
    public IEnumerable<EmulatedVideo> All()
    {
        var reserved = Reserved;
        for (long slot = 0; slot < reserved; slot++)
        {
            if (At(slot) is { } video) yield return video;
        }
    }

    /// <summary>
    /// The project's videos finished by <paramref name="now"/> that no earlier call returned, in the
    /// order they were made (for the webhook sender, the one caller). Each call goes on from the slot
    /// where the last one stopped: at the project's first video not finished yet, so none is passed
    /// over. A project's videos finish in the order they were made (its render queue), but for
    /// requests made at the same instant: a video finished behind one that is not waits for it.
    /// Other projects' videos are stepped over.
    /// </summary>
    public List<EmulatedVideo> TakeFinishedBy(string projectId, DateTimeOffset now)
    {
        var due = new List<EmulatedVideo>();
        var slot = _takenUpTo.TryGetValue(projectId, out var from) ? from : 0;
        for (var reserved = Reserved; slot < reserved; slot++)
        {
            // An empty slot is a video being written this instant: it, and what follows, waits for the next call.
            if (At(slot) is not { } video) break;
            if (!string.Equals(video.ProjectId, projectId, StringComparison.Ordinal)) continue;
            if (video.Render.FinishesAt > now) break;
            due.Add(video);
        }
        _takenUpTo[projectId] = slot;
        return due;
    }

    private string IdOf(long slot) => Prefix + slot.ToString("x16", CultureInfo.InvariantCulture);

    private EmulatedVideo? At(long slot)
    {
        var chunks = Volatile.Read(ref _chunks);
        var index = slot >> ChunkBits;
        var chunk = index < chunks.Length ? Volatile.Read(ref chunks[index]) : null;
        return chunk is null ? null : Volatile.Read(ref chunk[slot & (ChunkSize - 1)]);
    }

    private EmulatedVideo?[] ChunkOf(long slot)
    {
        var index = (int)(slot >> ChunkBits);
        var chunks = Volatile.Read(ref _chunks);
        if (index < chunks.Length && Volatile.Read(ref chunks[index]) is { } existing) return existing;
        lock (_growGate)
        {
            chunks = _chunks;
            if (index >= chunks.Length)
            {
                var larger = new EmulatedVideo?[]?[Math.Max(chunks.Length * 2, index + 1)];
                Array.Copy(chunks, larger, chunks.Length);
                Volatile.Write(ref _chunks, larger);
                chunks = larger;
            }
            if (chunks[index] is { } made) return made;
            var chunk = new EmulatedVideo?[ChunkSize];
            Volatile.Write(ref chunks[index], chunk);
            return chunk;
        }
    }
}
