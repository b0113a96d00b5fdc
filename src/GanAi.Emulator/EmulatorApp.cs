using System.Net;
using GanAi.Emulator.Endpoints;
using GanAi.Emulator.State;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;

namespace GanAi.Emulator;

/// <summary>The emulator as a host: start it (in this process for xunit, or from Program), read its address, stop it.</summary>
public sealed class EmulatorApp : IAsyncDisposable
{
    private readonly WebApplication _app;

    private EmulatorApp(WebApplication app, EmulatorState state)
    {
        _app = app;
        State = state;
    }

    public EmulatorState State { get; }

    /// <summary>The address it listens on, known once started (port 0 resolved).</summary>
    public Uri BaseUri { get; private set; } = new(EmulatorOptions.DefaultUrl);

    public static async Task<EmulatorApp> StartAsync(EmulatorOptions options, CancellationToken cancellationToken = default)
    {
        RequireLoopback(options.Url);
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { ApplicationName = typeof(EmulatorApp).Assembly.GetName().Name });
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        builder.WebHost.UseUrls(options.Url);
        builder.WebHost.ConfigureKestrel(k => k.Limits.MaxRequestBodySize = 64 * 1024 * 1024);

        var state = new EmulatorState(options);
        EmulatorApp? started = null;
        builder.Services.AddHostedService(_ => new Webhooks.WebhookSender(state, () => started?.BaseUri.ToString().TrimEnd('/') ?? options.Url));
        var app = builder.Build();
        // Counts every API answer by status ("0" for a dropped connection), for tests and the benchmark.
        app.Use(async (context, next) =>
        {
            await next(context);
            if (!context.Request.Path.StartsWithSegments("/_emulator"))
                state.CountAnswer(context.RequestAborted.IsCancellationRequested ? 0 : context.Response.StatusCode);
        });
        ApiEndpoints.Map(app, state);
        ControlEndpoints.Map(app, state);

        var emulator = new EmulatorApp(app, state);
        started = emulator;
        await app.StartAsync(cancellationToken);
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()?.Addresses.FirstOrDefault() ?? options.Url;
        emulator.BaseUri = new Uri(address.Replace("[::]", "127.0.0.1", StringComparison.Ordinal));
        if (options.PortFile is { Length: > 0 } portFile)
        {
            var temporary = portFile + ".tmp";
            await File.WriteAllTextAsync(temporary, emulator.BaseUri.ToString().TrimEnd('/'), cancellationToken);
            File.Move(temporary, portFile, overwrite: true);
        }
        return emulator;
    }

    public Task WaitForShutdownAsync() => _app.WaitForShutdownAsync();

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }

    /// <summary>The emulator accepts any token it is given; it must never listen beyond this computer.</summary>
    private static void RequireLoopback(string urls)
    {
        foreach (var url in urls.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            if (!Uri.TryCreate(url, UriKind.Absolute, out var uri))
                throw new ArgumentException($"--urls '{url}' is not a URL such as http://127.0.0.1:5080.");
            var loopback = uri.Host == "localhost" || (IPAddress.TryParse(uri.Host.Trim('[', ']'), out var ip) && IPAddress.IsLoopback(ip));
            if (!loopback) throw new ArgumentException($"--urls '{url}': the emulator listens on loopback only (127.0.0.1, [::1] or localhost).");
        }
    }
}
