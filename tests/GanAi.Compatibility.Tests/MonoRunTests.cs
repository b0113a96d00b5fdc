using System.Diagnostics;
using GanAi.Emulator;
using Xunit.Abstractions;

namespace GanAi.Compatibility.Tests;

/// <summary>
/// The built module under Mono, imported by a net472 host as Windows PowerShell 5.1 would import it
/// (GanAi.Compatibility.MonoHost), then its core driven against the emulator over loopback. What this
/// proves and what it cannot: docs/installing.md, "Windows PowerShell 5.1".
/// </summary>
public class MonoRunTests(ITestOutputHelper output)
{
    [MonoFact]
    public async Task The_module_imports_as_Windows_PowerShell_would_and_every_type_loads()
    {
        await using var emulator = await StartEmulator();
        var run = RunHost(emulator, "load");

        Assert.Contains("OnImport ran", run);
        Assert.Contains("all types of GanAi:", run);
        Assert.Contains("all types of GanAi.Core (dependencies/GanAi.Core.dll)", run);
        Assert.Contains("all types of Polly.Core (dependencies/Polly.Core.dll)", run);
    }

    [MonoFact]
    public async Task A_run_with_a_journal_and_its_resume_work_under_faults_that_fail_before_work()
    {
        // 429s before any work, with and without a usable Retry-After: clear answers, retried, never paid twice.
        await using var emulator = await StartEmulator(new FaultSettings { TooManyRequestsRate = 0.3, RetryAfter = "0" });
        var run = RunHost(emulator, "batch");

        Assert.Contains("resumed run: 300 results from the journal", run);
        var stats = emulator.State.Stats();
        Assert.True(stats.Answers.TryGetValue("429", out var refused) && refused > 0, "no 429 was answered: the faults were not in force");
        var created = emulator.State.CreatedIds("demo").ToList();
        Assert.Equal(300, created.Count);
        Assert.All(created, id => Assert.Equal(1, id.Count));
    }

    [MonoFact]
    public async Task A_status_read_works()
    {
        await using var emulator = await StartEmulator();
        Assert.Contains("status of ", RunHost(emulator, "status"));
    }

    [MonoFact]
    public async Task A_download_works()
    {
        await using var emulator = await StartEmulator();
        Assert.Contains("downloaded ", RunHost(emulator, "download"));
        Assert.True(emulator.State.Stats().MediaRequests >= 1);
    }

    [MonoFact]
    public async Task A_body_that_stalls_after_its_headers_ends_by_the_attempts_time_limit()
    {
        await using var emulator = await StartEmulator();
        var run = RunHost(emulator, "stalled-body"); // the host switches the fault on and times each read

        Assert.Contains("stalled status read ended in", run);
        Assert.Contains("stalled download ended in", run);
    }

    private static Task<EmulatorApp> StartEmulator(FaultSettings? faults = null) =>
        EmulatorApp.StartAsync(new EmulatorOptions { Url = "http://127.0.0.1:0", Seed = 25, RenderSeconds = 0, Faults = faults ?? new FaultSettings() });

    /// <summary>Runs one step of the host under Mono; returns its output, after asserting it passed.</summary>
    private string RunHost(EmulatorApp emulator, string step)
    {
        var work = Directory.CreateTempSubdirectory("ganai-mono-");
        try
        {
            var start = new ProcessStartInfo(MonoRuntime.Path) { RedirectStandardOutput = true, RedirectStandardError = true };
            foreach (var argument in new[] { "--debug", HostPath, BuiltModule.Folder, emulator.BaseUri.ToString(), step, work.FullName }) start.ArgumentList.Add(argument);
            var clock = Stopwatch.StartNew();
            using var process = Process.Start(start)!;
            var stdout = process.StandardOutput.ReadToEndAsync();
            var stderr = process.StandardError.ReadToEndAsync();
            if (!process.WaitForExit(TimeSpan.FromMinutes(3))) process.Kill(entireProcessTree: true);
            process.WaitForExit();
            var text = stdout.Result + stderr.Result;
            output.WriteLine($"mono {step}: exit {process.ExitCode} in {clock.Elapsed.TotalSeconds:0.0} s\n{text}");
            Assert.True(process.ExitCode == 0 && text.Contains("PASS " + step, StringComparison.Ordinal), $"The Mono host's step {step} failed:\n{text}");
            return text;
        }
        finally
        {
            work.Delete(recursive: true);
        }
    }

    /// <summary>The host, built beside this project in the same configuration.</summary>
    private static string HostPath
    {
        get
        {
            // bin/<configuration>/net10.0/ of this project
            var configuration = new DirectoryInfo(Path.TrimEndingDirectorySeparator(AppContext.BaseDirectory)).Parent!.Name;
            var path = Path.Combine(BuiltModule.Root, "tests", "GanAi.Compatibility.MonoHost", "bin", configuration, "net472", "GanAi.Compatibility.MonoHost.exe");
            return File.Exists(path) ? path : throw new InvalidOperationException($"The Mono host is not built at {path}.");
        }
    }
}
