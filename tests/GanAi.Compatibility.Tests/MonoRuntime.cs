using System.Diagnostics;

namespace GanAi.Compatibility.Tests;

/// <summary>
/// Mono (Debian's mono-runtime), which runs the net472 host. Under CI (CI=true, as .ci/run sets
/// it) it is installed where it is missing, and a failed install fails the tests that need it;
/// elsewhere (a developer's Mac, a machine without apt) those tests are skipped and say why.
/// </summary>
internal static class MonoRuntime
{
    /// <summary>
    /// What apt installs: the runtime, the class libraries the module's netstandard2.0 build uses,
    /// and mono-devel, the one Debian package with Mono's runtime facades (netstandard.dll among them).
    /// </summary>
    public static readonly string[] Packages = ["mono-runtime", "mono-devel", "libmono-system-net-http4.0-cil", "libmono-system-runtime4.0-cil", "libmono-system-numerics4.0-cil", "libmono-system-componentmodel-dataannotations4.0-cil", "libmono-system-core4.0-cil"];

    private static readonly Lazy<string> Installed = new(Install, LazyThreadSafetyMode.ExecutionAndPublication);

    private static bool InCi => string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase);

    /// <summary>Why a Mono test cannot run here, or null (Mono is installed, or CI will install it).</summary>
    public static string? SkipReason =>
        Find() != null || InCi ? null : "Mono is not installed (Debian: apt-get install " + string.Join(" ", Packages) + "); under CI=true the tests install it.";

    /// <summary>The mono executable, installed first if CI needs it.</summary>
    public static string Path => Find() ?? Installed.Value;

    private static string? Find() => Find("mono");

    private static string Install()
    {
        if (!OperatingSystem.IsLinux() || Find("apt-get") is null)
            throw new InvalidOperationException("CI=true and Mono is missing, but this is not a Debian-like Linux with apt-get: install Mono by hand.");
        var clock = Stopwatch.StartNew();
        Run("apt-get", "update -qq");
        Run("apt-get", "install -y -qq --no-install-recommends " + string.Join(" ", Packages));
        var mono = Find() ?? throw new InvalidOperationException("apt-get installed Mono, but no mono is on the PATH.");
        Console.WriteLine($"Mono installed in {clock.Elapsed.TotalSeconds:0} s ({string.Join(" ", Packages)}).");
        return mono;
    }

    private static string? Find(string tool) =>
        (Environment.GetEnvironmentVariable("PATH") ?? string.Empty).Split(System.IO.Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Select(folder => System.IO.Path.Combine(folder, tool)).FirstOrDefault(File.Exists);

    private static void Run(string tool, string arguments)
    {
        var start = new ProcessStartInfo(tool, arguments) { RedirectStandardOutput = true, RedirectStandardError = true };
        start.Environment["DEBIAN_FRONTEND"] = "noninteractive";
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(TimeSpan.FromMinutes(10))) process.Kill(entireProcessTree: true);
        process.WaitForExit();
        if (process.ExitCode != 0)
            throw new InvalidOperationException($"{tool} {arguments} failed ({process.ExitCode}):\n{output.Result}\n{error.Result}");
    }
}

/// <summary>A test that needs Mono: skipped with the reason where Mono is missing outside CI.</summary>
public sealed class MonoFactAttribute : FactAttribute
{
    public MonoFactAttribute() => Skip = MonoRuntime.SkipReason!;
}
