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
    /// cancelled request) leaves them made, as a real server would, and is never answered: the
    /// handler stops waiting then, so an hour (3600000) costs nothing once the client has gone.
    /// LatencyMs comes before any work.
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

    /// <summary>
    /// Share of bulk requests of which only the first half of the items is made (ceil(n/2), credits
    /// spent for those only), then answered <see cref="PartialCreateStatus"/> with a FastAPI detail
    /// saying so, as a service that ran out of credits halfway would. Nothing else is answered.
    /// </summary>
    public double PartialCreateRate { get; init; }

    /// <summary>The status of those answers (default 402, "Not enough credits: ..."; 400 to 599).</summary>
    public int PartialCreateStatus { get; init; } = 402;

    /// <summary>
    /// Share of 200 bulk answers whose every item names the inference_id of the answer's first video
    /// (the videos are still made one per item, and their URLs stay their own).
    /// </summary>
    public double SharedInferenceIdRate { get; init; }

    /// <summary>Share of 200 bulk answers whose items name project_id "another-project" (the videos are made in the project asked).</summary>
    public double ForeignProjectIdRate { get; init; }

    /// <summary>
    /// Share of GET answers (status reads, projects, media) whose headers and first half of the body
    /// go out, then nothing more until the client gives up: a body that stalls after its headers.
    /// Reads only, so no spend rule is involved; the client's attempt time limit must end the read.
    /// </summary>
    public double StalledBodyRate { get; init; }

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
    /// "5000000", "-5", "soon" or an HTTP date); "" sends 429s with no Retry-After at all; null lets
    /// the rate limiter compute it (and TooManyRequestsRate's 429s say "1"). When set, the answers of
    /// ErrorAfterCreateRate carry it too.
    /// </summary>
    public string? RetryAfter { get; init; }

    /// <summary>Share of bulk requests whose every item is made twice (two videos, two credits) and listed twice in the answer.</summary>
    public double DuplicateRate { get; init; }

    /// <summary>Share of items of a 200 answer written without their inference_id (the video is still made).</summary>
    public double MissingInferenceIdRate { get; init; }

    /// <summary>
    /// Appended to every 200 bulk item's video_url as "?token=" and this text, as given (a CDN URL
    /// that carries a signed token of its own, e.g. a JWT); null is off. Tests use it to check that
    /// redacting the API token leaves such URLs whole.
    /// </summary>
    public string? CdnToken { get; init; }

    /// <summary>
    /// The service quotes the request's Authorization header H back, every way a careless one
    /// could; T is the bearer token (H without "Bearer "). "Raw" is what the body's bytes hold
    /// before JSON decoding (docs/emulator.md shows a whole body); every body stays valid JSON.
    /// <list type="bullet">
    /// <item>Every error answer's reason phrase: "Failed for H".</item>
    /// <item>
    /// The detail of a 401, an errorRate 5xx and a partialCreate answer, after its own text:
    /// " (request had Authorization: H; as " H upper-cased "; encoded " H URL-encoded "; cut " H's
    /// first 17 characters (these four escaped as System.Text.Json escapes: raw "+" is \u002B);
    /// then, raw: "; from the 4th character " T without its first 3 characters; "; slashes escaped "
    /// T with every "/" as "\/" (PHP's json_encode); "; every character escaped " every character of
    /// T as \uXXXX (upper-case hex); "; header line in base64 " the standard base64 of
    /// "Authorization: Bearer T"; ")".
    /// </item>
    /// <item>
    /// Each 200 bulk item: video_url gets "?echo=H" ("&amp;echo=H" after cdnToken's "?token=...";
    /// escaped as System.Text.Json escapes); then, raw: thumbnail_url "?a=" and T's first
    /// T.Length / 2 characters (rounded down), smart_url "?b=" and the rest of T, permalink "?c="
    /// and T in mixed case (even positions, from 0, upper-cased, odd ones lower-cased: "abc/def" as
    /// "AbC/DeF"), audio_url "?d=" and T with every "/" as "\/".
    /// </item>
    /// </list>
    /// "Raw" forms have nothing escaped that JSON allows as is ("+" stays "+").
    /// </summary>
    public bool EchoAuthorization { get; init; }

    /// <summary>
    /// What is wrong with these faults, or null: a share outside 0 to 1 (or not a number), a
    /// negative count or delay, a status that is not an error status, an empty cdnToken. A value
    /// that would quietly mean "off" must not let a test run against a healthy emulator.
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
                case int count when (property.Name is nameof(ErrorAfterCreateStatus) or nameof(PartialCreateStatus)) && (count < 400 || count > 599):
                    return $"{name} is an error status: 400 to 599, not {count}.";
                case string { Length: 0 } when property.Name == nameof(CdnToken):
                    return $"{name} is the text appended to video URLs: leave it out (or null) for none, not \"\".";
                case int count when count < 0:
                    return $"{name} cannot be negative ({count}).";
            }
        }
        return null;
    }
}
