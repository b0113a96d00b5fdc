using System.Text.Json;
using System.Text.Json.Serialization;
using GanAi.Emulator.State;

namespace GanAi.Emulator.Endpoints;

/// <summary>
/// The emulator's own controls, for tests and demos (not part of Gan.ai): switch faults while it
/// runs, read counters, list created ids, add projects, reset.
/// </summary>
internal static class ControlEndpoints
{
    public static void Map(WebApplication app, EmulatorState state)
    {
        var control = app.MapGroup("/_emulator");
        control.MapGet("/faults", () => Results.Json(state.Faults));
        control.MapPut("/faults", async (HttpContext context) =>
        {
            var (faults, refused) = await ReadAsync<FaultSettings>(context);
            if (refused is not null) return refused;
            if (faults!.Problem() is { } problem) return Results.BadRequest(new { message = problem });
            state.SetFaults(faults);
            return Results.Json(state.Faults);
        });
        control.MapGet("/stats", () => Results.Json(state.Stats()));
        control.MapGet("/created", (string? project_id) => Results.Json(state.CreatedIds(project_id)));
        control.MapGet("/videos", (string? project_id) => Results.Json(state.Videos(project_id).Select(v => new
        {
            v.InferenceId,
            v.ProjectId,
            v.UniqueId,
            v.CreatedAt,
            RenderStartsAt = v.Render.StartsAt,
            RenderFinishesAt = v.Render.FinishesAt,
            Tags = v.Tags.ToDictionary(t => t.Key, t => t.Value),
            v.Registered,
        })));
        // A video with ids a test chose, so a fake result (GanModelFactory) can be waited for and downloaded.
        control.MapPut("/videos/{inferenceId}", async (HttpContext context, string inferenceId) =>
        {
            var (body, refused) = await ReadAsync<VideoBody>(context);
            if (refused is not null) return refused;
            // Letters, digits, - and _: the id is a path segment of the video's media URLs.
            if (inferenceId.Length > 100 || !inferenceId.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_'))
                return Results.BadRequest(new { message = "inferenceId: 1 to 100 letters, digits, - or _." });
            if (string.IsNullOrEmpty(body!.ProjectId)) return Results.BadRequest(new { message = "projectId is required." });
            if (state.FindProject(body.ProjectId) is null) state.AddProject(new ProjectSpec(body.ProjectId, new[] { "names" }, 1_000_000));
            var tags = (body.Tags ?? new Dictionary<string, string>()).ToArray();
            var video = state.RegisterVideo(inferenceId, body.ProjectId, body.UniqueId ?? inferenceId, tags, body.Rendered ?? true, body.Fails ?? false);
            if (video is null) return Results.Conflict(new { message = $"A video with inference id '{inferenceId}' exists already (POST /_emulator/reset forgets the videos)." });
            var origin = ApiEndpoints.Origin(context);
            var media = ApiEndpoints.MediaBase(origin, video);
            var page = Uri.EscapeDataString(video.InferenceId);
            return Results.Json(new
            {
                video.ProjectId, video.InferenceId, video.UniqueId,
                VideoUrl = media + ".mp4", ThumbnailUrl = media + ".jpg", AudioUrl = media + ".mp3",
                SmartUrl = origin + "/share/" + page, Permalink = origin + "/p/" + page,
            });
        });
        control.MapPut("/projects/{projectId}", async (HttpContext context, string projectId) =>
        {
            var (body, refused) = await ReadAsync<ProjectBody>(context);
            if (refused is not null) return refused;
            var project = state.AddProject(new ProjectSpec(projectId, body!.Tags ?? new[] { "names" }, body.Credits ?? 1_000_000));
            return Results.Json(new { project.ProjectId, project.Tags, project.AvailableCredits });
        });
        // A webhook receiver for tests: set a project's webhook to <emulator>/_emulator/webhook-sink.
        control.MapPost("/webhook-sink", async (HttpContext context) =>
        {
            using var document = await System.Text.Json.JsonDocument.ParseAsync(context.Request.Body);
            state.RecordWebhook(new ReceivedWebhook(DateTimeOffset.UtcNow, context.Request.Headers.Authorization.ToString(), document.RootElement.Clone()));
            return Results.NoContent();
        });
        control.MapGet("/webhook-sink", () => Results.Json(state.ReceivedWebhooks));
        control.MapGet("/tokens", () => Results.Json(state.IssuedTokens.Select(t => new { t.Name, t.ExpiresAt })));
        // A redirect to anywhere (file:, another scheme, another host), for tests of what a client follows.
        control.MapGet("/redirect", (string to) => Results.Redirect(to));
        control.MapPost("/reset", () =>
        {
            state.Reset();
            return Results.NoContent();
        });
    }

    // A name the emulator does not know (a typo: "errrorRate") is refused, not ignored: a test
    // that meant to inject a fault must not pass against a healthy emulator.
    private static readonly JsonSerializerOptions Strict = new(JsonSerializerDefaults.Web) { UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow };

    private static async Task<(T? Body, IResult? Refused)> ReadAsync<T>(HttpContext context) where T : class
    {
        try
        {
            var body = await JsonSerializer.DeserializeAsync<T>(context.Request.Body, Strict, context.RequestAborted);
            return body is null ? (null, Results.BadRequest(new { message = "The body must be a JSON object." })) : (body, null);
        }
        catch (JsonException ex)
        {
            return (null, Results.BadRequest(new { message = ex.Message }));
        }
    }

    internal sealed record ProjectBody(string[]? Tags, long? Credits);

    internal sealed record VideoBody(string ProjectId, string? UniqueId, bool? Rendered, bool? Fails, Dictionary<string, string>? Tags);
}
