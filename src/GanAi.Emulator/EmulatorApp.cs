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

    /// <summary>StalledBodyRate: the answer is made whole, then its headers (with the whole length) and half its body go out, and the rest never does.</summary>
    private static async Task StallBodyAsync(HttpContext context, RequestDelegate next)
    {
        var wire = context.Response.Body;
        using var answer = new MemoryStream();
        context.Response.Body = answer;
        try
        {
            await next(context);
        }
        finally
        {
            context.Response.Body = wire;
        }
        var body = answer.GetBuffer().AsMemory(0, (int)answer.Length);
        context.Response.ContentLength = body.Length;
        try
        {
            await wire.WriteAsync(body[..(body.Length / 2)], context.RequestAborted);
            await wire.FlushAsync(context.RequestAborted);
            await Task.Delay(Timeout.Infinite, context.RequestAborted);
        }
        catch (OperationCanceledException)
        {
            // The client gave up: what the fault waits for.
        }
    }

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
        // EchoAuthorization: error answers' reason phrase quotes the request's Authorization header.
        app.Use(async (context, next) =>
        {
            if (state.Faults.EchoAuthorization && !context.Request.Path.StartsWithSegments("/_emulator"))
            {
                var header = context.Request.Headers.Authorization.ToString();
                context.Response.OnStarting(() =>
                {
                    if (context.Response.StatusCode >= 400 && context.Features.Get<Microsoft.AspNetCore.Http.Features.IHttpResponseFeature>() is { } response)
                        response.ReasonPhrase = "Failed for " + header;
                    return Task.CompletedTask;
                });
            }
            await next(context);
        });
        app.Use((context, next) => HttpMethods.IsGet(context.Request.Method) && !context.Request.Path.StartsWithSegments("/_emulator") && state.Roll(state.Faults.StalledBodyRate)
            ? StallBodyAsync(context, next)
            : next(context));
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

    /// <summary>
    /// Stops the emulator within about a second after process <paramref name="processId"/> ends, however it
    /// ends (kill -9 included: nothing runs in a killed process, so the emulator watches it instead).
    /// A process that ended but was not reaped yet (a zombie), or another process that took its id
    /// later, counts as ended: the watch is on that process, by its start time, not on the number.
    /// </summary>
    public static async Task StopWhenGoneAsync(int processId, EmulatorApp emulator)
    {
        var started = StartTimeOf(processId);
        while (started is not null && StartTimeOf(processId) == started) await Task.Delay(TimeSpan.FromMilliseconds(500));
        await emulator._app.StopAsync();
    }

    private static DateTime? StartTimeOf(int processId)
    {
        try
        {
            if (OperatingSystem.IsLinux() && IsZombie(processId)) return null;
            using var process = System.Diagnostics.Process.GetProcessById(processId);
            return process.HasExited ? null : process.StartTime;
        }
        catch (Exception ex) when (ex is ArgumentException or InvalidOperationException or System.ComponentModel.Win32Exception or IOException)
        {
            return null; // no such process any more (or it ended while being read)
        }
    }

    // /proc/<pid>/stat: "pid (name) state ..."; the name may hold spaces and parentheses, so read after the last ')'.
    private static bool IsZombie(int processId)
    {
        try
        {
            var stat = File.ReadAllText($"/proc/{processId}/stat");
            var close = stat.LastIndexOf(')');
            return close > 0 && close + 2 < stat.Length && stat[close + 2] is 'Z' or 'X';
        }
        catch (IOException)
        {
            return false;
        }
        catch (UnauthorizedAccessException)
        {
            return false;
        }
    }

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
