using System.Security;
using GanAi.Api;
using GanAi.Batching;
using GanAi.Concurrency;
using GanAi.Emulator;
using GanAi.Resilience;

namespace GanAi.Core.Tests;

/// <summary>An emulator on a free loopback port, in this process, reached over real HTTP.</summary>
internal sealed class RunningEmulator : IAsyncDisposable
{
    private RunningEmulator(EmulatorApp app) => App = app;

    public EmulatorApp App { get; }

    public static async Task<RunningEmulator> StartAsync(Action<EmulatorOptions>? configure = null)
    {
        var options = new EmulatorOptions { Url = "http://127.0.0.1:0", Seed = 1234 };
        configure?.Invoke(options);
        return new RunningEmulator(await EmulatorApp.StartAsync(options));
    }

    public GanApiClient Client(string token = EmulatorOptions.DefaultToken) => new(App.BaseUri, Secure(token));

    public static SecureString Secure(string text)
    {
        var secure = new SecureString();
        foreach (var c in text) secure.AppendChar(c);
        secure.MakeReadOnly();
        return secure;
    }

    public ValueTask DisposeAsync() => App.DisposeAsync();
}

/// <summary>How the tests run a <see cref="BatchSender"/>: fast retries, a few batches at once.</summary>
internal sealed class RunSettings
{
    public int ThrottleLimit { get; set; } = 4;
    public ResilienceSettings Resilience { get; set; } = new();
    public TimeSpan StopGracePeriod { get; set; } = TimeSpan.FromSeconds(5);
}

/// <summary>A <see cref="BatchSender"/> with its event channel, the run's end and its spend guard, as a session holds them.</summary>
internal sealed class TestSender : IDisposable
{
    private readonly EventChannel _events = new();
    private readonly RunEnd _runEnd = new();
    private readonly SpendGuard _guard;
    private readonly BatchSender _sender;
    private readonly CancellationToken _cancellation;

    public TestSender(GanApiClient client, string projectId, RunSettings settings, CancellationToken cancellation, GanAi.Journal.RunJournal? journal = null)
    {
        _cancellation = cancellation;
        _guard = new SpendGuard(settings.Resilience, _runEnd);
        _sender = new BatchSender(client, projectId, settings.Resilience, _guard, _runEnd, new CreditsGate(projectId), settings.StopGracePeriod, journal, _events, cancellation);
    }

    /// <summary>The failure that ended the run, if one did.</summary>
    public RunEndingFailure? RunEnding => _runEnd.Failure;

    public void Submit(IReadOnlyList<VideoRow> rows) => _sender.Submit(rows);

    public PipelineEvent Take() => _events.Take(_cancellation);

    public bool TryTake(out PipelineEvent? item) => _events.TryTake(out item);

    public void Stop(Action<int, TimeSpan>? stillWaiting = null) => _sender.Stop(stillWaiting);

    public void Dispose()
    {
        _sender.Dispose();
        _guard.Dispose();
        _runEnd.Dispose();
        _events.Dispose();
    }
}

/// <summary>Builds rows and runs batches through a <see cref="BatchSender"/>, collecting every outcome.</summary>
internal static class Runs
{
    public static RunSettings FastSettings(int maxRetries = 5) => new()
    {
        ThrottleLimit = 4,
        Resilience = new ResilienceSettings
        {
            MaxRetries = maxRetries,
            BaseDelay = TimeSpan.FromMilliseconds(5),
            MaxDelay = TimeSpan.FromMilliseconds(200),
            ResendDelay = TimeSpan.FromMilliseconds(20),
            AttemptTimeout = TimeSpan.FromSeconds(10),
        },
    };

    /// <summary>A loopback port with nothing listening on it: connects are refused.</summary>
    public static int ClosedPort()
    {
        var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        var port = ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }

    public static VideoRow Row(long number, string uniqueId, params (string Name, object? Value)[] tags)
    {
        var builder = new RowBuilder(null);
        var properties = tags.Select(t => new KeyValuePair<string, object?>(t.Name, t.Value))
            .Append(new KeyValuePair<string, object?>("unique_id", uniqueId));
        Assert.True(builder.TryBuild(number, "row " + number, properties, out var row, out var failure), failure?.Message);
        return row!;
    }

    public static List<VideoRow> Rows(int count, string prefix = "id") =>
        Enumerable.Range(1, count).Select(i => Row(i, $"{prefix}-{i}", ("names", "Name " + i))).ToList();

    /// <summary>Submits the rows in batches of <paramref name="batchSize"/> and returns every finished batch.</summary>
    public static List<BatchOutcome> Run(GanApiClient client, string projectId, IReadOnlyList<VideoRow> rows, int batchSize = 10, RunSettings? settings = null)
    {
        using var cancellation = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        settings ??= FastSettings();
        using var sender = new TestSender(client, projectId, settings, cancellation.Token);
        var outcomes = new List<BatchOutcome>();
        var outstanding = 0;
        void TakeOne()
        {
            if (sender.Take() is BatchOutcome outcome)
            {
                outcomes.Add(outcome);
                outstanding--;
            }
        }
        // As the session does: at most ThrottleLimit batches in flight.
        foreach (var chunk in rows.Chunk(batchSize))
        {
            while (outstanding >= settings.ThrottleLimit) TakeOne();
            sender.Submit(chunk);
            outstanding++;
        }
        while (outstanding > 0) TakeOne();
        return outcomes;
    }
}
