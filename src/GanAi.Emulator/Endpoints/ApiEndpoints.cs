using System.Buffers;
using System.Globalization;
using System.Text.Json;
using System.Threading.RateLimiting;
using GanAi.Emulator.State;

namespace GanAi.Emulator.Endpoints;

/// <summary>The documented Gan.ai endpoints: bulk creation, projects, video status, and the media it names.</summary>
internal static class ApiEndpoints
{
    private static readonly int[] ErrorStatuses = { 500, 502, 503 };

    public static void Map(WebApplication app, EmulatorState state)
    {
        app.MapPost("/create_video/bulk", (Func<HttpContext, Task<IResult>>)(context => CreateBulkAsync(context, state)));
        app.MapGet("/projects/v2", (Func<HttpContext, Task<IResult>>)(context => ListProjectsAsync(context, state)));
        app.MapGet("/projects/{projectId}/inference/{inferenceId}/video_status",
            (HttpContext context, string projectId, string inferenceId) => VideoStatusAsync(context, state, projectId, inferenceId));
        app.MapGet("/media/{projectId}/{file}", (HttpContext context, string projectId, string file) => Media(context, state, projectId, file));
        app.MapPost("/users/login", (Func<HttpContext, Task<IResult>>)(context => LoginAsync(context, state)));
        app.MapPost("/users/create_dynamic_token_v2", (Func<HttpContext, Task<IResult>>)(context => CreateDynamicTokenAsync(context, state)));
        app.MapPost("/projects/{projectId}/webhook", (HttpContext context, string projectId) => SetWebhookAsync(context, state, projectId));
        app.MapGet("/p/{inferenceId}", (HttpContext context, string inferenceId) => LandingPage(context, state, inferenceId));
        app.MapGet("/share/{inferenceId}", (HttpContext context, string inferenceId) => LandingPage(context, state, inferenceId));
    }

    /// <summary>What every API call goes through first: counting, bearer auth, the rate limit and latency.</summary>
    private static async Task<IResult?> GateAsync(HttpContext context, EmulatorState state, bool bulk)
    {
        var bulkRequests = state.CountRequest(bulk);
        var faults = state.Faults;
        var header = context.Request.Headers.Authorization.ToString();
        var revoked = faults.RejectToken || (faults.RejectTokenAfter > 0 && bulkRequests > faults.RejectTokenAfter);
        if (!header.StartsWith("Bearer ", StringComparison.Ordinal) || revoked ||
            !state.IsValidToken(header.AsSpan(7).Trim().ToString()))
        {
            context.Response.Headers.WWWAuthenticate = "Bearer";
            return Failure(context, faults, 401, "Could not validate credentials");
        }

        if (state.Roll(faults.TooManyRequestsRate))
        {
            SetRetryAfter(context, faults, "1");
            return FastApiErrors.Detail(429, "Too many requests (emulated)");
        }
        if (state.Limiter is { } limiter)
        {
            using var lease = limiter.AttemptAcquire();
            if (!lease.IsAcquired)
            {
                var wait = lease.TryGetMetadata(MetadataName.RetryAfter, out var retryAfter) ? retryAfter : TimeSpan.FromSeconds(1);
                SetRetryAfter(context, faults, Math.Max(1, (int)Math.Ceiling(wait.TotalSeconds)).ToString(CultureInfo.InvariantCulture));
                return FastApiErrors.Detail(429, "Too many requests");
            }
        }

        if (faults.LatencyMs > 0) await Task.Delay(faults.LatencyMs, context.RequestAborted);
        return null;
    }

    /// <summary>The fault's Retry-After, else the emulator's own; "" sends none (a 429 that does not say when).</summary>
    private static void SetRetryAfter(HttpContext context, FaultSettings faults, string computed)
    {
        if (faults.RetryAfter is { Length: 0 }) return;
        context.Response.Headers.RetryAfter = faults.RetryAfter ?? computed;
    }

    /// <summary>An error answer {"detail": ...}; with the fault EchoAuthorization, the detail quotes the request's Authorization header.</summary>
    private static IResult Failure(HttpContext context, FaultSettings faults, int status, string detail) => faults.EchoAuthorization
        ? Results.Text(EchoForms.Of(context).ErrorBody(detail), "application/json", System.Text.Encoding.UTF8, status)
        : FastApiErrors.Detail(status, detail);

    /// <summary>POST /users/login: {"email", "password"} (no bearer) gives an access token valid for a day.</summary>
    private static async Task<IResult> LoginAsync(HttpContext context, EmulatorState state)
    {
        state.CountRequest(bulk: false);
        using var document = await ReadObjectAsync(context);
        if (document is null) return FastApiErrors.Validation(new[] { new ValidationError("dict_type", new object[] { "body" }, "Input should be a valid dictionary", null) });
        var body = document.RootElement;
        var email = StringProperty(body, "email");
        var password = StringProperty(body, "password");
        var missing = new List<ValidationError>();
        if (email is null) missing.Add(FastApiErrors.Missing("body", "email"));
        if (password is null) missing.Add(FastApiErrors.Missing("body", "password"));
        if (missing.Count > 0) return FastApiErrors.Validation(missing);
        if (!state.CheckPassword(email!, password!)) return FastApiErrors.Detail(401, "Incorrect email or password");
        var token = state.IssueToken(null, TimeSpan.FromDays(1))!;
        return Results.Json(new Dictionary<string, string> { ["access_token"] = token, ["refresh_token"] = state.IssueToken(null, TimeSpan.FromDays(30))! });
    }

    /// <summary>POST /users/create_dynamic_token_v2: a named token with its own expiry; a name held by a valid token is refused.</summary>
    private static async Task<IResult> CreateDynamicTokenAsync(HttpContext context, EmulatorState state)
    {
        if (await GateAsync(context, state, bulk: false) is { } refused) return refused;
        using var document = await ReadObjectAsync(context);
        if (document is null) return FastApiErrors.Validation(new[] { new ValidationError("dict_type", new object[] { "body" }, "Input should be a valid dictionary", null) });
        var body = document.RootElement;
        var name = StringProperty(body, "token_name");
        if (string.IsNullOrWhiteSpace(name)) return FastApiErrors.Validation(new[] { FastApiErrors.Missing("body", "token_name") });
        if (!body.TryGetProperty("expiry_time", out var expiry) || expiry.ValueKind != JsonValueKind.Object)
            return FastApiErrors.Validation(new[] { FastApiErrors.Missing("body", "expiry_time") });
        double Part(string part) => expiry.TryGetProperty(part, out var v) && v.ValueKind == JsonValueKind.Number ? v.GetDouble() : 0;
        var lifetime = TimeSpan.FromDays(Part("days")) + TimeSpan.FromHours(Part("hours")) + TimeSpan.FromMinutes(Part("minutes"));
        if (lifetime <= TimeSpan.Zero) return FastApiErrors.Detail(400, "expiry_time must be in the future");
        var token = state.IssueToken(name, lifetime);
        if (token is null) return FastApiErrors.Detail(400, $"A valid token named '{name}' already exists");
        return Results.Json(new Dictionary<string, string> { ["access_token"] = token });
    }

    /// <summary>POST /projects/{id}/webhook: {"enable", "url", "Authorization"}. The emulator only calls loopback URLs.</summary>
    private static async Task<IResult> SetWebhookAsync(HttpContext context, EmulatorState state, string projectId)
    {
        if (await GateAsync(context, state, bulk: false) is { } refused) return refused;
        if (state.FindProject(projectId) is null) return FastApiErrors.Detail(404, "Project not found");
        using var document = await ReadObjectAsync(context);
        if (document is null) return FastApiErrors.Validation(new[] { new ValidationError("dict_type", new object[] { "body" }, "Input should be a valid dictionary", null) });
        var body = document.RootElement;
        if (!body.TryGetProperty("enable", out var enableElement) || (enableElement.ValueKind != JsonValueKind.True && enableElement.ValueKind != JsonValueKind.False))
            return FastApiErrors.Validation(new[] { FastApiErrors.Missing("body", "enable") });
        var enable = enableElement.GetBoolean();
        var url = StringProperty(body, "url");
        if (enable)
        {
            if (url is null || !Uri.TryCreate(url, UriKind.Absolute, out var target) || !(target.IsLoopback || target.Host == "localhost"))
                return FastApiErrors.Validation(new[] { new ValidationError("url_parsing", new object[] { "body", "url" }, "The emulator calls loopback webhook URLs only", url) });
        }
        state.SetWebhook(projectId, new WebhookSettings(enable, url, StringProperty(body, "Authorization")));
        return Results.Json(new Dictionary<string, object?> { ["project_id"] = projectId, ["enable"] = enable, ["url"] = url });
    }

    private static async Task<JsonDocument?> ReadObjectAsync(HttpContext context)
    {
        try
        {
            var document = await JsonDocument.ParseAsync(context.Request.Body, new JsonDocumentOptions { MaxDepth = 32 }, context.RequestAborted);
            if (document.RootElement.ValueKind == JsonValueKind.Object) return document;
            document.Dispose();
            return null;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static string? StringProperty(JsonElement body, string name) =>
        body.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    private static async Task<IResult> CreateBulkAsync(HttpContext context, EmulatorState state)
    {
        using var inFlight = state.EnterBulk();
        if (await GateAsync(context, state, bulk: true) is { } refused) return refused;
        var faults = state.Faults;

        // Faults before anything is created: the client may safely send again.
        if (state.Roll(faults.DropRate))
        {
            context.Abort();
            return Results.Empty;
        }
        if (state.Roll(faults.ErrorRate))
        {
            var status = ErrorStatuses[state.Pick(ErrorStatuses.Length)];
            return Failure(context, faults, status, "Internal error (emulated)");
        }

        var projectId = context.Request.Query["project_id"].ToString();
        if (string.IsNullOrEmpty(projectId)) return FastApiErrors.Validation(new[] { FastApiErrors.Missing("query", "project_id") });

        JsonDocument document;
        try
        {
            document = await JsonDocument.ParseAsync(context.Request.Body, new JsonDocumentOptions { MaxDepth = 32 }, context.RequestAborted);
        }
        catch (JsonException ex)
        {
            return FastApiErrors.Validation(new[] { new ValidationError("json_invalid", new object[] { "body", ex.BytePositionInLine ?? 0 }, "JSON decode error", null) });
        }

        using (document)
        {
            var body = document.RootElement;
            if (body.ValueKind != JsonValueKind.Array)
                return FastApiErrors.Validation(new[] { new ValidationError("list_type", new object[] { "body" }, "Input should be a valid list", null) });

            var count = body.GetArrayLength();
            if (faults.MaxBatchSize > 0 && count > faults.MaxBatchSize)
                return FastApiErrors.Detail(413, $"Request entity too large: at most {faults.MaxBatchSize} items per request");

            var project = state.FindProject(projectId);
            var errors = Validate(body, project);
            if (errors.Count > 0) return FastApiErrors.Validation(errors);
            if (project is null) return FastApiErrors.Detail(404, "Project not found");

            // Only the first half made (and paid for), as a service that ran out of credits halfway would.
            var partial = state.Roll(faults.PartialCreateRate);
            var making = partial ? (count + 1) / 2 : count;
            if (!project.TrySpend(making)) return FastApiErrors.Detail(402, $"Not enough credits: {count} needed, {project.AvailableCredits} available");

            // Each item made twice (and listed twice), as a service that processed a request twice would.
            var copies = !partial && state.Roll(faults.DuplicateRate) && project.TrySpend(count) ? 2 : 1;
            var created = new List<EmulatedVideo>(making * copies);
            var render = state.ScheduleRender(project, making * copies); // the request's videos render together
            foreach (var item in body.EnumerateArray())
            {
                if (created.Count == making * copies) break;
                var uniqueId = item.GetProperty("unique_id").GetString()!;
                var tags = new List<KeyValuePair<string, string>>(4);
                foreach (var property in item.EnumerateObject())
                {
                    if (!property.NameEquals("unique_id")) tags.Add(new KeyValuePair<string, string>(TagName(project, property), property.Value.GetString()!));
                }
                var tagArray = tags.ToArray();
                for (var copy = 0; copy < copies; copy++) created.Add(state.CreateVideo(project, uniqueId, tagArray, render));
            }

            // Faults after the videos exist: the client cannot know whether they were made. The made
            // videos stay made whether or not the client is still there to hear of them; once it has
            // gone there is no one to answer, so the handler ends instead of sleeping out the delay.
            if (faults.LatencyAfterCreateMs > 0)
            {
                try
                {
                    await Task.Delay(faults.LatencyAfterCreateMs, context.RequestAborted);
                }
                catch (OperationCanceledException)
                {
                    return Results.Empty;
                }
            }
            if (partial)
            {
                return Failure(context, faults, faults.PartialCreateStatus, faults.PartialCreateStatus == 402
                    ? $"Not enough credits: made {making} of {count} videos, then ran out (emulated)"
                    : $"Failed: made {making} of {count} videos, then stopped (emulated)");
            }
            if (state.Roll(faults.DropAfterCreateRate))
            {
                context.Abort();
                return Results.Empty;
            }
            if (state.Roll(faults.ErrorAfterCreateRate))
            {
                if (faults.RetryAfter is { Length: > 0 } retryAfter) context.Response.Headers.RetryAfter = retryAfter; // a gateway's "come back in N s"
                return FastApiErrors.Detail(faults.ErrorAfterCreateStatus, "Internal error after creating (emulated)");
            }
            if (state.Roll(faults.MalformedRate)) return Results.Text("<html><body>502 Bad Gateway</body></html>", "text/html", statusCode: 200);

            if (faults.Shuffle) state.Shuffle(created);
            var origin = Origin(context);
            var urls = new UrlBuilder(origin, project.ProjectId);
            var answer = new AnswerFaults(faults, state, faults.EchoAuthorization ? EchoForms.Of(context) : null);
            var buffer = new ArrayBufferWriter<byte>(count * 640 + 16); // ~550 bytes a row: no regrowth (and no large-object heap) for 100 rows
            using (var writer = new Utf8JsonWriter(buffer))
            {
                writer.WriteStartArray();
                foreach (var video in created)
                {
                    if (faults.OmitRate > 0 && state.Roll(faults.OmitRate)) continue;
                    WriteBulkItem(writer, urls, video, withInferenceId: !(faults.MissingInferenceIdRate > 0 && state.Roll(faults.MissingInferenceIdRate)), answer);
                }
                writer.WriteEndArray();
            }
            if (state.Roll(faults.OversizeRate))
            {
                // Valid JSON (whitespace may follow the array), but past the size a client reads.
                const int padding = 33 * 1024 * 1024;
                buffer.GetSpan(padding).Slice(0, padding).Fill((byte)' ');
                buffer.Advance(padding);
            }
            return Results.Bytes(buffer.WrittenMemory, "application/json");
        }
    }

    /// <summary>The project's own string for a tag name it knows (no new string per row), else the name as sent.</summary>
    private static string TagName(EmulatedProject project, JsonProperty property)
    {
        foreach (var tag in project.Tags)
        {
            if (property.NameEquals(tag)) return tag;
        }
        return property.Name;
    }

    /// <summary>Every item an object, every value a string, unique_id and every project tag present.</summary>
    private static List<ValidationError> Validate(JsonElement body, EmulatedProject? project)
    {
        var errors = new List<ValidationError>();
        var index = 0;
        foreach (var item in body.EnumerateArray())
        {
            if (item.ValueKind != JsonValueKind.Object)
            {
                errors.Add(new ValidationError("dict_type", new object[] { "body", index }, "Input should be a valid dictionary", null));
                index++;
                continue;
            }
            foreach (var property in item.EnumerateObject())
            {
                if (property.Value.ValueKind != JsonValueKind.String)
                    errors.Add(FastApiErrors.NotString(property.Value.Clone(), "body", index, property.Name));
            }
            if (!item.TryGetProperty("unique_id", out _)) errors.Add(FastApiErrors.Missing("body", index, "unique_id"));
            if (project != null)
            {
                foreach (var tag in project.Tags)
                {
                    if (!item.TryGetProperty(tag, out _)) errors.Add(FastApiErrors.Missing("body", index, tag));
                }
            }
            index++;
        }
        return errors;
    }

    // Property names encoded once, not on each of the eight writes per row.
    private static readonly JsonEncodedText VideoUrlName = JsonEncodedText.Encode("video_url");
    private static readonly JsonEncodedText AudioUrlName = JsonEncodedText.Encode("audio_url");
    private static readonly JsonEncodedText InferenceIdName = JsonEncodedText.Encode("inference_id");
    private static readonly JsonEncodedText ProjectIdName = JsonEncodedText.Encode("project_id");
    private static readonly JsonEncodedText UniqueIdName = JsonEncodedText.Encode("unique_id");
    private static readonly JsonEncodedText SmartUrlName = JsonEncodedText.Encode("smart_url");
    private static readonly JsonEncodedText PermalinkName = JsonEncodedText.Encode("permalink");
    private static readonly JsonEncodedText ThumbnailUrlName = JsonEncodedText.Encode("thumbnail_url");

    private static void WriteBulkItem(Utf8JsonWriter writer, UrlBuilder urls, EmulatedVideo video, bool withInferenceId, AnswerFaults answer)
    {
        var id = video.InferenceId;
        var echo = answer.Echo;
        writer.WriteStartObject();
        if (answer.VideoQuery is null) writer.WriteString(VideoUrlName, urls.Media(id, ".mp4"));
        else writer.WriteString(VideoUrlName, Text(urls.Media(id, ".mp4")) + answer.VideoQuery);
        if (echo is null) writer.WriteString(AudioUrlName, urls.Media(id, ".mp3"));
        else
        {
            writer.WritePropertyName(AudioUrlName);
            writer.WriteRawValue(echo.AudioUrlJson(Text(urls.Media(id, ".mp3"))));
        }
        var named = answer.ShareInferenceId ? (answer.SharedInferenceId ??= id) : id;
        if (withInferenceId) writer.WriteString(InferenceIdName, named);
        writer.WriteString(ProjectIdName, answer.ProjectId ?? video.ProjectId);
        writer.WriteString(UniqueIdName, video.UniqueId);
        if (echo is null) writer.WriteString(SmartUrlName, urls.Page("/share/", id));
        else writer.WriteString(SmartUrlName, echo.SmartUrl(Text(urls.Page("/share/", id))));
        if (echo is null) writer.WriteString(PermalinkName, urls.Page("/p/", id));
        else writer.WriteString(PermalinkName, echo.Permalink(Text(urls.Page("/p/", id))));
        if (echo is null) writer.WriteString(ThumbnailUrlName, urls.Media(id, ".jpg"));
        else writer.WriteString(ThumbnailUrlName, echo.ThumbnailUrl(Text(urls.Media(id, ".jpg"))));
        writer.WriteEndObject();
    }

    private static string Text(ReadOnlySpan<byte> utf8) => System.Text.Encoding.UTF8.GetString(utf8);

    /// <summary>The faults of one 200 bulk answer, rolled once for all its items.</summary>
    private sealed class AnswerFaults(FaultSettings faults, EmulatorState state, EchoForms? echo)
    {
        public bool ShareInferenceId { get; } = state.Roll(faults.SharedInferenceIdRate);

        /// <summary>With ShareInferenceId: the first written video's id, which every item then names.</summary>
        public string? SharedInferenceId { get; set; }

        public string? ProjectId { get; } = state.Roll(faults.ForeignProjectIdRate) ? "another-project" : null;

        public EchoForms? Echo { get; } = echo;

        /// <summary>
        /// What video_url gets: cdnToken's "?token=..." (a signed URL of the CDN's own), then
        /// EchoAuthorization's "echo=" and the header (a "signed" URL gone wrong); null for neither.
        /// </summary>
        public string? VideoQuery { get; } = (faults.CdnToken, echo) switch
        {
            (null, null) => null,
            (null, { } e) => "?echo=" + e.Header,
            ({ } cdn, null) => "?token=" + cdn,
            ({ } cdn, { } e) => "?token=" + cdn + "&echo=" + e.Header,
        };
    }

    /// <summary>
    /// The URLs of one answer's videos as UTF-8, built in one reused buffer from prefixes encoded once
    /// (the bulk answer writes five per row).
    /// </summary>
    private sealed class UrlBuilder(string origin, string projectId)
    {
        private readonly byte[] _mediaPrefix = System.Text.Encoding.UTF8.GetBytes(origin + "/media/" + Uri.EscapeDataString(projectId) + "/");
        private readonly byte[] _origin = System.Text.Encoding.UTF8.GetBytes(origin);
        private byte[] _buffer = new byte[512];

        public ReadOnlySpan<byte> Media(string id, string extension) => Join(_mediaPrefix, id, extension);

        public ReadOnlySpan<byte> Page(string path, string id) => Join(_origin, path, id);

        private ReadOnlySpan<byte> Join(byte[] prefix, string b, string c)
        {
            var most = prefix.Length + System.Text.Encoding.UTF8.GetMaxByteCount(b.Length + c.Length);
            if (_buffer.Length < most) _buffer = new byte[most * 2];
            prefix.CopyTo(_buffer, 0);
            var length = prefix.Length;
            length += System.Text.Encoding.UTF8.GetBytes(b, _buffer.AsSpan(length));
            length += System.Text.Encoding.UTF8.GetBytes(c, _buffer.AsSpan(length));
            return _buffer.AsSpan(0, length);
        }
    }

    private static async Task<IResult> ListProjectsAsync(HttpContext context, EmulatorState state)
    {
        if (await GateAsync(context, state, bulk: false) is { } refused) return refused;
        const int pageSize = 10;
        var pageText = context.Request.Query["page"].ToString();
        var page = 1;
        if (pageText.Length > 0 && (!int.TryParse(pageText, NumberStyles.Integer, CultureInfo.InvariantCulture, out page) || page < 1))
            return FastApiErrors.Validation(new[] { new ValidationError("int_parsing", new object[] { "query", "page" }, "Input should be a valid integer", pageText) });

        var all = state.Projects.ToList();
        var origin = Origin(context);
        var data = all.Skip((page - 1) * pageSize).Take(pageSize).Select(p => new Dictionary<string, object?>
        {
            ["project_id"] = p.ProjectId,
            ["title"] = "Project " + p.ProjectId,
            ["project_type"] = "PERSONALIZED",
            ["status"] = "PUBLISHED",
            ["language"] = "en",
            ["tags"] = p.Tags.ToDictionary(t => t, _ => Array.Empty<string>()),
            ["available_credits"] = p.AvailableCredits,
            ["utilised_credits"] = p.UtilisedCredits,
            ["created_at"] = p.CreatedAt.ToString("O", CultureInfo.InvariantCulture),
            ["updated_at"] = p.CreatedAt.ToString("O", CultureInfo.InvariantCulture),
            ["thumbnail"] = origin + "/media/" + Uri.EscapeDataString(p.ProjectId) + "/template.jpg",
            ["video"] = origin + "/media/" + Uri.EscapeDataString(p.ProjectId) + "/template.mp4",
            ["smart_url"] = origin + "/share/" + Uri.EscapeDataString(p.ProjectId),
        }).ToList();
        return Results.Json(new Dictionary<string, object> { ["data"] = data, ["size"] = all.Count, ["unpublished_projects"] = 0 });
    }

    private static async Task<IResult> VideoStatusAsync(HttpContext context, EmulatorState state, string projectId, string inferenceId)
    {
        state.CountStatusRead();
        if (await GateAsync(context, state, bulk: false) is { } refused) return refused;
        if (state.FindProject(projectId) is null) return FastApiErrors.Detail(404, "Project not found");
        var video = state.FindVideo(inferenceId);
        if (video is null || video.ProjectId != projectId) return FastApiErrors.Detail(404, "Inference not found");
        if ((DateTimeOffset.UtcNow - video.CreatedAt).TotalMilliseconds < state.Faults.StatusNotFoundMs) return FastApiErrors.Detail(404, "Inference not found");

        var status = state.StatusOf(video);
        var origin = Origin(context);
        var media = MediaBase(origin, video);
        var done = status == "SUCCEEDED";
        // "No error" is written as null, {} or "None" (all three are seen on the service's pages).
        object? noError = (video.InferenceId[^1] % 3) switch { 0 => null, 1 => new Dictionary<string, object>(), _ => "None" };
        return Results.Json(new Dictionary<string, object?>
        {
            ["gen_status"] = status,
            ["video_url"] = done ? media + ".mp4" : null,
            ["permalink"] = origin + "/p/" + Uri.EscapeDataString(video.InferenceId),
            ["thumbnail_url"] = done ? media + ".jpg" : null,
            ["smart_url"] = origin + "/share/" + Uri.EscapeDataString(video.InferenceId),
            ["error"] = status == "FAILED" ? new Dictionary<string, object> { ["status_code"] = 500, ["message"] = "Rendering failed (emulated)" } : noError,
        });
    }

    /// <summary>The media files the answers name: small, deterministic stand-ins of a video, its audio and thumbnail.</summary>
    private static IResult Media(HttpContext context, EmulatorState state, string projectId, string file)
    {
        state.CountMediaRequest();
        // Media live on storage (S3 links), not on the API: a client that sends its API token here leaks it.
        if (context.Request.Headers.Authorization.Count > 0) return FastApiErrors.Detail(400, "Media URLs take no Authorization header; the API token must not be sent to storage");
        var extension = Path.GetExtension(file);
        var id = Path.GetFileNameWithoutExtension(file);
        var contentType = extension switch { ".mp4" => "video/mp4", ".mp3" => "audio/mpeg", ".jpg" => "image/jpeg", _ => null };
        if (contentType is null) return FastApiErrors.Detail(404, "Not found");
        // A video's files exist once it has rendered, as on the service's storage.
        var known = id == "template" ? state.FindProject(projectId) != null : state.FindVideo(id) is { } v && v.ProjectId == projectId && state.StatusOf(v) == "SUCCEEDED";
        if (!known) return FastApiErrors.Detail(404, "Not found");
        return Results.Bytes(MediaBytes(projectId + "/" + file), contentType);
    }

    public static byte[] MediaBytes(string name)
    {
        var line = System.Text.Encoding.UTF8.GetBytes("GanAi emulator media " + name + "\n");
        var bytes = new byte[16 * 1024];
        for (var i = 0; i < bytes.Length; i++) bytes[i] = line[i % line.Length];
        return bytes;
    }

    private static IResult LandingPage(HttpContext context, EmulatorState state, string inferenceId)
    {
        var video = state.FindVideo(inferenceId);
        if (video is null) return FastApiErrors.Detail(404, "Not found");
        var src = MediaBase(Origin(context), video) + ".mp4";
        return Results.Content($"<!doctype html><title>{System.Net.WebUtility.HtmlEncode(video.UniqueId)}</title><video controls src=\"{System.Net.WebUtility.HtmlEncode(src)}\"></video>", "text/html");
    }

    internal static string Origin(HttpContext context) => context.Request.Scheme + "://" + context.Request.Host.Value;

    // Escaped: a test may register a video under an id of its choosing (ControlEndpoints).
    internal static string MediaBase(string origin, EmulatedVideo video) =>
        origin + "/media/" + Uri.EscapeDataString(video.ProjectId) + "/" + Uri.EscapeDataString(video.InferenceId);
}
