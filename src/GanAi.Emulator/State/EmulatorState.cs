using System.Collections.Concurrent;
using System.Threading.RateLimiting;

namespace GanAi.Emulator.State;

/// <summary>Everything the emulator knows: projects, created videos, counters and the current faults.</summary>
public sealed class EmulatorState
{
    private readonly ConcurrentDictionary<string, EmulatedProject> _projects = new(StringComparer.Ordinal);
    private VideoStore _videos = new();
    private readonly ConcurrentDictionary<int, long> _answers = new();
    private readonly object _diceGate = new();
    private readonly Random _dice;
    private FaultSettings _faults;
    private RateLimiter? _limiter;
    private long _requests;
    private long _bulkRequests;
    private long _mediaRequests;

    private readonly ConcurrentDictionary<string, IssuedToken> _issuedTokens = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, WebhookSettings> _webhooks = new(StringComparer.Ordinal);
    private readonly ConcurrentQueue<ReceivedWebhook> _received = new();

    public EmulatorState(EmulatorOptions options)
    {
        Token = options.Token;
        var split = options.User.IndexOf(':');
        UserEmail = options.User[..split];
        UserPassword = options.User[(split + 1)..];
        RenderTime = TimeSpan.FromSeconds(options.RenderSeconds);
        RenderRate = options.RenderRate;
        _dice = options.Seed is { } seed ? new Random(seed) : new Random();
        foreach (var spec in options.Projects.Count > 0 ? options.Projects : new List<ProjectSpec> { ProjectSpec.Demo })
            AddProject(spec);
        _faults = options.Faults;
        _limiter = CreateLimiter(_faults.RateLimit);
    }

    public string Token { get; }
    public string UserEmail { get; }
    public string UserPassword { get; }
    public TimeSpan RenderTime { get; }

    /// <summary>Videos per second each project's render queue finishes; 0: no queue, every video takes <see cref="RenderTime"/> alone.</summary>
    public double RenderRate { get; }
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

    public EmulatedVideo? FindVideo(string inferenceId) => Volatile.Read(ref _videos).Find(inferenceId);

    /// <summary>A video with the ids a test chose, rendered already unless <paramref name="rendered"/> is false (then it takes <see cref="RenderTime"/>, outside any queue); null when the id is taken.</summary>
    public EmulatedVideo? RegisterVideo(string inferenceId, string projectId, string uniqueId, KeyValuePair<string, string>[] tags, bool rendered, bool fails)
    {
        var now = DateTimeOffset.UtcNow;
        var render = rendered ? new RenderSlot(now - TimeSpan.FromSeconds(1), now - TimeSpan.FromSeconds(1)) : FixedRender(now);
        return Volatile.Read(ref _videos).AddWithId(inferenceId, projectId, uniqueId, tags, rendered ? now - RenderTime - TimeSpan.FromSeconds(1) : now, render, fails);
    }

    /// <summary>
    /// When the videos of one bulk request of <paramref name="videos"/> items render. Without a queue
    /// each takes <see cref="RenderTime"/> from now (PROCESSING after a third of it). With one
    /// (<see cref="RenderRate"/>), the project's requests render one after another, each request's
    /// videos together, at that many videos a second, and each still takes at least RenderTime: a
    /// video finishes at the later of its request's turn in the queue and RenderTime after it was made.
    /// </summary>
    public RenderSlot ScheduleRender(EmulatedProject project, int videos)
    {
        var now = DateTimeOffset.UtcNow;
        var alone = FixedRender(now);
        if (RenderRate <= 0 || videos <= 0) return alone;
        var (starts, finishes) = project.TakeRenderTurn(now, TimeSpan.FromSeconds(videos / RenderRate));
        return new RenderSlot(starts > alone.StartsAt ? starts : alone.StartsAt, finishes > alone.FinishesAt ? finishes : alone.FinishesAt);
    }

    private RenderSlot FixedRender(DateTimeOffset now) => new(now + RenderTime / 3, now + RenderTime);

    public EmulatedVideo CreateVideo(EmulatedProject project, string uniqueId, KeyValuePair<string, string>[] tags, RenderSlot render) =>
        Volatile.Read(ref _videos).Add(project.ProjectId, uniqueId, tags, render, Roll(Faults.FailRate));

    /// <summary>A video made alone (its own render slot): tests of the store.</summary>
    public EmulatedVideo CreateVideo(EmulatedProject project, string uniqueId, KeyValuePair<string, string>[] tags) =>
        CreateVideo(project, uniqueId, tags, ScheduleRender(project, 1));

    /// <summary>The video's status now: PENDING until its render starts, PROCESSING, then SUCCEEDED (or FAILED) when it finishes.</summary>
    public string StatusOf(EmulatedVideo video)
    {
        var now = DateTimeOffset.UtcNow;
        if (now >= video.Render.FinishesAt) return video.Fails ? "FAILED" : "SUCCEEDED";
        return now >= video.Render.StartsAt ? "PROCESSING" : "PENDING";
    }

    /// <summary>The main token, or a token issued by login or create_dynamic_token_v2 that has not expired.</summary>
    public bool IsValidToken(string token)
    {
        if (FixedTimeEquals(token, Token)) return true;
        return _issuedTokens.TryGetValue(token, out var issued) && issued.ExpiresAt > DateTimeOffset.UtcNow;
    }

    public bool CheckPassword(string email, string password) =>
        string.Equals(email, UserEmail, StringComparison.OrdinalIgnoreCase) && FixedTimeEquals(password, UserPassword);

    /// <summary>Issues a token; a name still held by a valid token is refused (null).</summary>
    public string? IssueToken(string? name, TimeSpan lifetime)
    {
        lock (_issuedTokens)
        {
            var now = DateTimeOffset.UtcNow;
            if (name != null && _issuedTokens.Values.Any(t => t.Name == name && t.ExpiresAt > now)) return null;
            var token = "gan-" + Convert.ToHexString(System.Security.Cryptography.RandomNumberGenerator.GetBytes(24)).ToLowerInvariant();
            _issuedTokens[token] = new IssuedToken(name, now + lifetime);
            return token;
        }
    }

    public IEnumerable<IssuedToken> IssuedTokens => _issuedTokens.Values;

    public void SetWebhook(string projectId, WebhookSettings settings) => _webhooks[projectId] = settings;

    public IReadOnlyDictionary<string, WebhookSettings> Webhooks => _webhooks;

    /// <summary>Finished videos of this project whose webhook call is still due; each is handed out once (one caller: the webhook sender).</summary>
    public List<EmulatedVideo> TakeFinishedForWebhook(string projectId) =>
        Volatile.Read(ref _videos).TakeFinishedBy(projectId, DateTimeOffset.UtcNow);

    public void RecordWebhook(ReceivedWebhook call) => _received.Enqueue(call);

    public IEnumerable<ReceivedWebhook> ReceivedWebhooks => _received.ToArray();

    private static bool FixedTimeEquals(string a, string b) =>
        System.Security.Cryptography.CryptographicOperations.FixedTimeEquals(System.Text.Encoding.UTF8.GetBytes(a), System.Text.Encoding.UTF8.GetBytes(b));

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

    /// <summary>Counts an API request; returns how many bulk requests there were, this one included.</summary>
    public long CountRequest(bool bulk)
    {
        Interlocked.Increment(ref _requests);
        return bulk ? Interlocked.Increment(ref _bulkRequests) : Interlocked.Read(ref _bulkRequests);
    }

    /// <summary>A GET of a media file (storage, not the API): counted apart, so tests can tell how often a download was tried.</summary>
    public void CountMediaRequest() => Interlocked.Increment(ref _mediaRequests);

    // When each status read arrived (Stopwatch ticks): counted, and the busiest second found, when asked.
    private ConcurrentQueue<long> _statusReads = new();

    /// <summary>A GET of a video's status, refused or not: what a client's polling costs the service.</summary>
    public void CountStatusRead() => Volatile.Read(ref _statusReads).Enqueue(System.Diagnostics.Stopwatch.GetTimestamp());

    /// <summary>The most status reads that arrived within any one second (a sliding window, not calendar seconds).</summary>
    public static int PeakPerSecond(long[] ticks)
    {
        Array.Sort(ticks);
        var peak = 0;
        for (int first = 0, last = 0; last < ticks.Length; last++)
        {
            while (ticks[last] - ticks[first] >= System.Diagnostics.Stopwatch.Frequency) first++;
            peak = Math.Max(peak, last - first + 1);
        }
        return peak;
    }

    public void CountAnswer(int status) => _answers.AddOrUpdate(status, 1, (_, n) => n + 1);

    public EmulatorStats Stats()
    {
        var created = CreatedIds(null).ToList();
        var statusReads = Volatile.Read(ref _statusReads).ToArray();
        return new(
            Interlocked.Read(ref _requests),
            Interlocked.Read(ref _bulkRequests),
            created.Sum(id => (long)id.Count),
            created.Count,
            created.Count(id => id.Count > 1),
            _answers.OrderBy(kv => kv.Key).ToDictionary(kv => kv.Key.ToString(System.Globalization.CultureInfo.InvariantCulture), kv => kv.Value),
            Volatile.Read(ref _maxBulkInFlight),
            Interlocked.Read(ref _mediaRequests),
            statusReads.LongLength,
            PeakPerSecond(statusReads));
    }

    private int _bulkInFlight;
    private int _maxBulkInFlight;

    /// <summary>Counts a bulk request in progress (for the most seen at once); dispose when it is answered.</summary>
    public IDisposable EnterBulk()
    {
        var now = Interlocked.Increment(ref _bulkInFlight);
        int max;
        while (now > (max = Volatile.Read(ref _maxBulkInFlight)) && Interlocked.CompareExchange(ref _maxBulkInFlight, now, max) != max)
        {
        }
        return new BulkExit(this);
    }

    private sealed class BulkExit(EmulatorState state) : IDisposable
    {
        private int _done;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _done, 1) == 0) Interlocked.Decrement(ref state._bulkInFlight);
        }
    }

    /// <summary>How many times each unique_id was created, per project (counted when asked: the bulk endpoint only appends).</summary>
    public IEnumerable<CreatedId> CreatedIds(string? projectId) => Volatile.Read(ref _videos).All()
        .Where(v => !v.Registered && (projectId is null || v.ProjectId == projectId))
        .GroupBy(v => (v.ProjectId, v.UniqueId))
        .Select(g => new CreatedId(g.Key.ProjectId, g.Key.UniqueId, g.Count()));

    /// <summary>The videos of a project, oldest first.</summary>
    public IEnumerable<EmulatedVideo> Videos(string? projectId) => Volatile.Read(ref _videos).All()
        .Where(v => projectId is null || v.ProjectId == projectId)
        .OrderBy(v => v.CreatedAt);

    /// <summary>Forgets videos and counters (projects and faults stay).</summary>
    public void Reset()
    {
        Volatile.Write(ref _videos, new VideoStore());
        _received.Clear();
        _answers.Clear();
        Interlocked.Exchange(ref _requests, 0);
        Interlocked.Exchange(ref _bulkRequests, 0);
        Interlocked.Exchange(ref _mediaRequests, 0);
        Interlocked.Exchange(ref _maxBulkInFlight, 0);
        Volatile.Write(ref _statusReads, new ConcurrentQueue<long>());
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
    private readonly object _renderGate = new();
    private DateTimeOffset _renderQueueFreeAt;

    public long AvailableCredits => Interlocked.Read(ref _available);

    /// <summary>The project's render queue: a request's turn starts when the one before it finished (or now), and lasts <paramref name="duration"/>.</summary>
    public (DateTimeOffset Starts, DateTimeOffset Finishes) TakeRenderTurn(DateTimeOffset now, TimeSpan duration)
    {
        lock (_renderGate)
        {
            var starts = _renderQueueFreeAt > now ? _renderQueueFreeAt : now;
            _renderQueueFreeAt = starts + duration;
            return (starts, _renderQueueFreeAt);
        }
    }
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
/// <summary>A video. <paramref name="Registered"/>: made by a test with ids it chose (PUT /_emulator/videos), not through the API: not counted as created.</summary>
public sealed record EmulatedVideo(string InferenceId, string ProjectId, string UniqueId, DateTimeOffset CreatedAt, RenderSlot Render, KeyValuePair<string, string>[] Tags, bool Fails = false, bool Registered = false);

/// <summary>When a video starts rendering (PENDING until then, PROCESSING after) and when it is finished.</summary>
public readonly record struct RenderSlot(DateTimeOffset StartsAt, DateTimeOffset FinishesAt);

public sealed record IssuedToken(string? Name, DateTimeOffset ExpiresAt);

/// <summary>A project's webhook: where to POST finished videos, and the Authorization header to send.</summary>
public sealed record WebhookSettings(bool Enable, string? Url, string? Authorization);

/// <summary>A webhook call the emulator's own sink received (POST /_emulator/webhook-sink).</summary>
public sealed record ReceivedWebhook(DateTimeOffset ReceivedAt, string? Authorization, System.Text.Json.JsonElement Body);

public sealed record CreatedId(string ProjectId, string UniqueId, int Count);

public sealed record EmulatorStats(long Requests, long BulkRequests, long RowsCreated, long UniqueIdsCreated, long UniqueIdsCreatedMoreThanOnce, Dictionary<string, long> Answers, int MaxBulkInFlight, long MediaRequests, long StatusReads, int PeakStatusReadsPerSecond);
