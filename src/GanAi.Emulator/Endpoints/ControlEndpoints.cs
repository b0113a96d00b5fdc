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
        control.MapPut("/faults", (FaultSettings faults) =>
        {
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
            Tags = v.Tags.ToDictionary(t => t.Key, t => t.Value),
        })));
        control.MapPut("/projects/{projectId}", (string projectId, ProjectBody body) =>
        {
            var project = state.AddProject(new ProjectSpec(projectId, body.Tags ?? new[] { "names" }, body.Credits ?? 1_000_000));
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

    internal sealed record ProjectBody(string[]? Tags, long? Credits);
}
