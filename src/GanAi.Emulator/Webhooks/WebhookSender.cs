using System.Net.Http.Headers;
using System.Text.Json;
using GanAi.Emulator.State;

namespace GanAi.Emulator.Webhooks;

/// <summary>
/// Calls each project's webhook as its videos finish, in batches as the service does: one POST per
/// project and round, an object keyed by unique_id
/// (<c>{"abc": {"status": true, "video_url": "...", "inference_id": "..."}}</c>; a failed video has
/// <c>"status": false</c> and an <c>error</c> object). Loopback URLs only.
/// </summary>
internal sealed class WebhookSender : BackgroundService
{
    private static readonly TimeSpan Round = TimeSpan.FromMilliseconds(250);
    private readonly EmulatorState _state;
    private readonly Func<string> _origin;
    private readonly HttpClient _http = new(new SocketsHttpHandler { AllowAutoRedirect = false }) { Timeout = TimeSpan.FromSeconds(10) };

    public WebhookSender(EmulatorState state, Func<string> origin)
    {
        _state = state;
        _origin = origin;
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(Round);
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            foreach (var (projectId, webhook) in _state.Webhooks)
            {
                if (!webhook.Enable || webhook.Url is null) continue;
                var finished = _state.TakeFinishedForWebhook(projectId);
                if (finished.Count == 0) continue;
                try
                {
                    await SendAsync(webhook, finished, stoppingToken);
                }
                catch (Exception ex) when (ex is HttpRequestException || ex is TaskCanceledException && !stoppingToken.IsCancellationRequested)
                {
                    // The receiver is down: the service does not retry either (not documented), so neither do we.
                }
            }
        }
    }

    private async Task SendAsync(WebhookSettings webhook, List<EmulatedVideo> videos, CancellationToken cancellationToken)
    {
        var payload = new Dictionary<string, object?>(StringComparer.Ordinal);
        foreach (var video in videos)
        {
            payload[video.UniqueId] = video.Fails
                ? new Dictionary<string, object?> { ["status"] = false, ["inference_id"] = video.InferenceId, ["error"] = new Dictionary<string, object> { ["status_code"] = 500, ["message"] = "Rendering failed (emulated)" } }
                : new Dictionary<string, object?> { ["status"] = true, ["video_url"] = _origin() + "/media/" + Uri.EscapeDataString(video.ProjectId) + "/" + video.InferenceId + ".mp4", ["inference_id"] = video.InferenceId };
        }
        using var request = new HttpRequestMessage(HttpMethod.Post, webhook.Url) { Content = JsonContent.Create(payload) };
        if (webhook.Authorization is { Length: > 0 } authorization) request.Headers.TryAddWithoutValidation("Authorization", authorization);
        using var response = await _http.SendAsync(request, cancellationToken);
    }

    public override void Dispose()
    {
        _http.Dispose();
        base.Dispose();
    }
}
