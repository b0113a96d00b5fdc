using System.Collections.Concurrent;
using System.Threading.RateLimiting;

namespace GanAi.Emulator.State;

/// <summary>Everything the emulator knows: projects, created videos, counters and the current faults.</summary>
public sealed class EmulatorState
{
    private readonly ConcurrentDictionary<string, EmulatedProject> _projects = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, EmulatedVideo> _videos = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<(string Project, string UniqueId), int> _createdPerId = new();
    private readonly ConcurrentDictionary<int, long> _answers = new();
    private readonly object _diceGate = new();
    private readonly Random _dice;
    private FaultSettings _faults;
    private RateLimiter? _limiter;
    private long _requests;
    private long _bulkRequests;
    private long _rowsCreated;

    public EmulatorState(EmulatorOptions options)
    {
        Token = options.Token;
        RenderTime = TimeSpan.FromSeconds(options.RenderSeconds);
        _dice = options.Seed is { } seed ? new Random(seed) : new Random();
        foreach (var spec in options.Projects.Count > 0 ? options.Projects : new List<ProjectSpec> { ProjectSpec.Demo })
            AddProject(spec);
        _faults = options.Faults;
        _limiter = CreateLimiter(_faults.RateLimit);
    }

    public string Token { get; }
    public TimeSpan RenderTime { get; }
    public FaultSettings Faults => Volatile.Read(ref _faults);
    public RateLimiter? Limiter => Volatile.Read(ref _limiter);
    public IEnumerable<EmulatedProject> Projects => _projects.Values.OrderBy(p => p.CreatedAt).ThenBy(p => p.ProjectId, StringComparer.Ordinal);

    public void SetFaults(FaultSettings faults)
    {
        var old = Interlocked.Exchange(ref _limiter, CreateLimiter(faults.RateLimit));
        Volatile.Write(ref _faults, faults);
        old?.Dispose();
    }

    public EmulatedProject AddProject(ProjectSpec spec) =>
        _projects[spec.ProjectId] = new EmulatedProject(spec.ProjectId, spec.Tags.ToArray(), spec.Credits, DateTimeOffset.UtcNow);

    public EmulatedProject? FindProject(string id) => _projects.TryGetValue(id, out var p) ? p : null;

    public EmulatedVideo? FindVideo(string inferenceId) => _videos.TryGetValue(inferenceId, out var v) ? v : null;

    public EmulatedVideo CreateVideo(EmulatedProject project, string uniqueId, KeyValuePair<string, string>[] tags)
    {
        var video = new EmulatedVideo(Guid.NewGuid().ToString("N"), project.ProjectId, uniqueId, DateTimeOffset.UtcNow, tags);
        _videos[video.InferenceId] = video;
        _createdPerId.AddOrUpdate((project.ProjectId, uniqueId), 1, (_, n) => n + 1);
        Interlocked.Increment(ref _rowsCreated);
        return video;
    }

    /// <summary>A fault fires with the given probability.</summary>
    public bool Roll(double rate)
    {
        if (rate <= 0) return false;
        if (rate >= 1) return true;
        lock (_diceGate) return _dice.NextDouble() < rate;
    }

    public int Pick(int count)
    {
        lock (_diceGate) return _dice.Next(count);
    }

    public void Shuffle<T>(IList<T> items)
    {
        lock (_diceGate)
        {
            for (var i = items.Count - 1; i > 0; i--)
            {
                var j = _dice.Next(i + 1);
                (items[i], items[j]) = (items[j], items[i]);
            }
        }
    }

    public void CountRequest(bool bulk)
    {
        Interlocked.Increment(ref _requests);
        if (bulk) Interlocked.Increment(ref _bulkRequests);
    }

    public void CountAnswer(int status) => _answers.AddOrUpdate(status, 1, (_, n) => n + 1);

    public EmulatorStats Stats() => new(
        Interlocked.Read(ref _requests),
        Interlocked.Read(ref _bulkRequests),
        Interlocked.Read(ref _rowsCreated),
        _createdPerId.Count,
        _createdPerId.Count(kv => kv.Value > 1),
        _answers.OrderBy(kv => kv.Key).ToDictionary(kv => kv.Key.ToString(System.Globalization.CultureInfo.InvariantCulture), kv => kv.Value));

    /// <summary>How many times each unique_id was created, per project.</summary>
    public IEnumerable<CreatedId> CreatedIds(string? projectId) => _createdPerId
        .Where(kv => projectId is null || kv.Key.Project == projectId)
        .Select(kv => new CreatedId(kv.Key.Project, kv.Key.UniqueId, kv.Value));

    /// <summary>The videos of a project, oldest first.</summary>
    public IEnumerable<EmulatedVideo> Videos(string? projectId) => _videos.Values
        .Where(v => projectId is null || v.ProjectId == projectId)
        .OrderBy(v => v.CreatedAt);

    /// <summary>Forgets videos and counters (projects and faults stay).</summary>
    public void Reset()
    {
        _videos.Clear();
        _createdPerId.Clear();
        _answers.Clear();
        Interlocked.Exchange(ref _requests, 0);
        Interlocked.Exchange(ref _bulkRequests, 0);
        Interlocked.Exchange(ref _rowsCreated, 0);
    }

    private static RateLimiter? CreateLimiter(int perSecond) => perSecond <= 0 ? null : new TokenBucketRateLimiter(new TokenBucketRateLimiterOptions
    {
        // Smooth: one token every 1/R seconds, at most one second's worth in the bucket.
        TokenLimit = perSecond,
        TokensPerPeriod = 1,
        ReplenishmentPeriod = TimeSpan.FromSeconds(1.0 / perSecond),
        QueueLimit = 0,
        AutoReplenishment = true,
    });
}

public sealed class EmulatedProject(string projectId, string[] tags, long credits, DateTimeOffset createdAt)
{
    private long _available = credits;
    private long _utilised;

    public string ProjectId { get; } = projectId;
    public string[] Tags { get; } = tags;
    public DateTimeOffset CreatedAt { get; } = createdAt;
    public long AvailableCredits => Interlocked.Read(ref _available);
    public long UtilisedCredits => Interlocked.Read(ref _utilised);

    /// <summary>Takes n credits at once, or none when there are not enough.</summary>
    public bool TrySpend(int n)
    {
        while (true)
        {
            var available = Interlocked.Read(ref _available);
            if (available < n) return false;
            if (Interlocked.CompareExchange(ref _available, available - n, available) == available)
            {
                Interlocked.Add(ref _utilised, n);
                return true;
            }
        }
    }
}

/// <summary>A created video and the tag values it was sent (as received, for tests that check what crossed the wire).</summary>
public sealed record EmulatedVideo(string InferenceId, string ProjectId, string UniqueId, DateTimeOffset CreatedAt, KeyValuePair<string, string>[] Tags);

public sealed record CreatedId(string ProjectId, string UniqueId, int Count);

public sealed record EmulatorStats(long Requests, long BulkRequests, long RowsCreated, long UniqueIdsCreated, long UniqueIdsCreatedMoreThanOnce, Dictionary<string, long> Answers);
