namespace GanAi.Emulator;

/// <summary>
/// The faults the emulator makes, switchable at start (command line) and while running
/// (PUT /_emulator/faults). Immutable: a change swaps the whole object.
/// </summary>
public sealed record FaultSettings
{
    /// <summary>Delay before each API answer.</summary>
    public int LatencyMs { get; init; }

    /// <summary>
    /// Delay of a bulk answer after its videos were created. A client that gives up meanwhile (a
    /// cancelled request) leaves them made, as a real server would; LatencyMs comes before any work.
    /// </summary>
    public int LatencyAfterCreateMs { get; init; }

    /// <summary>Requests per second accepted before 429 with Retry-After (0 = no limit).</summary>
    public int RateLimit { get; init; }

    /// <summary>Share of bulk requests answered 500, 502 or 503 before anything is created.</summary>
    public double ErrorRate { get; init; }

    /// <summary>Share of bulk requests whose connection is dropped before anything is created.</summary>
    public double DropRate { get; init; }

    /// <summary>Share of bulk requests answered 500 after their videos were created (an ambiguous failure).</summary>
    public double ErrorAfterCreateRate { get; init; }

    /// <summary>The status of those answers (default 500): e.g. 524, as a proxy answers when the origin timed out.</summary>
    public int ErrorAfterCreateStatus { get; init; } = 500;

    /// <summary>Share of bulk requests dropped after their videos were created (an ambiguous failure).</summary>
    public double DropAfterCreateRate { get; init; }

    /// <summary>Share of items left out of a 200 answer (the videos are still created).</summary>
    public double OmitRate { get; init; }

    /// <summary>Share of bulk answers that are not JSON (the videos are still created).</summary>
    public double MalformedRate { get; init; }

    /// <summary>
    /// Share of bulk answers larger than a client reads (a 200 padded past 32 MiB with whitespace
    /// after the array; the videos are still created).
    /// </summary>
    public double OversizeRate { get; init; }

    /// <summary>Bulk requests with more items are answered 413 (0 = no limit).</summary>
    public int MaxBatchSize { get; init; }

    /// <summary>Answer bulk items in random order.</summary>
    public bool Shuffle { get; init; }

    /// <summary>Share of created videos that end FAILED instead of SUCCEEDED.</summary>
    public double FailRate { get; init; }

    /// <summary>A status read answers 404 for this long after the video was created (not visible yet).</summary>
    public int StatusNotFoundMs { get; init; }

    /// <summary>Answer every API request 401, as if the token was revoked.</summary>
    public bool RejectToken { get; init; }

    /// <summary>
    /// Accept this many bulk requests (counted since the start or the last reset), then answer every
    /// API request 401: a token revoked mid-run (0 = off).
    /// </summary>
    public int RejectTokenAfter { get; init; }

    /// <summary>Share of API requests answered 429, before any work (with <see cref="RetryAfter"/>, or one second).</summary>
    public double TooManyRequestsRate { get; init; }

    /// <summary>
    /// The Retry-After header of every 429 the emulator answers, sent as given (e.g. "3600",
    /// "5000000", "-5", "soon" or an HTTP date); null lets the rate limiter compute it.
    /// </summary>
    public string? RetryAfter { get; init; }

    /// <summary>Share of bulk requests whose every item is made twice (two videos, two credits) and listed twice in the answer.</summary>
    public double DuplicateRate { get; init; }

    /// <summary>Share of items of a 200 answer written without their inference_id (the video is still made).</summary>
    public double MissingInferenceIdRate { get; init; }

    /// <summary>
    /// The service quotes the request's Authorization header, as a careless one might: in error
    /// answers' reason phrase and detail (as sent, upper-cased, URL-encoded, cut short) and in the
    /// video_url of bulk answers' items.
    /// </summary>
    public bool EchoAuthorization { get; init; }

    /// <summary>
    /// What is wrong with these faults, or null: a share outside 0 to 1 (or not a number), a
    /// negative count or delay, a status that is not an error status. A value that would quietly
    /// mean "off" must not let a test run against a healthy emulator.
    /// </summary>
    public string? Problem()
    {
        foreach (var property in typeof(FaultSettings).GetProperties())
        {
            var name = char.ToLowerInvariant(property.Name[0]) + property.Name[1..];
            switch (property.GetValue(this))
            {
                case double share when !(share >= 0 && share <= 1):
                    return $"{name} is a share of requests: 0 to 1, not {share}.";
                case int count when property.Name == nameof(ErrorAfterCreateStatus) && (count < 400 || count > 599):
                    return $"{name} is an error status: 400 to 599, not {count}.";
                case int count when count < 0:
                    return $"{name} cannot be negative ({count}).";
            }
        }
        return null;
    }
}
