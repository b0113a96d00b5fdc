using System.Reflection;

namespace GanAi.Compatibility.Tests;

/// <summary>Where the tests find the built module and the reference assemblies they check it against.</summary>
internal static class BuiltModule
{
    /// <summary>The repository's root (the folder of GanAi.sln).</summary>
    public static string Root { get; } = FindRoot();

    /// <summary>out/GanAi, as ./build.ps1 Build lays it out; a test fails (not skips) without it.</summary>
    public static string Folder
    {
        get
        {
            var folder = Path.Combine(Root, "out", "GanAi");
            if (!File.Exists(Path.Combine(folder, "GanAi.dll")))
                throw new InvalidOperationException($"No built module at {folder}: run ./build.ps1 Build first (./build.ps1 Test does).");
            return folder;
        }
    }

    /// <summary>The .NET Framework reference assemblies of <paramref name="version"/> ("4.7.2"), restored by this project.</summary>
    public static string FrameworkReferences(string version)
    {
        var moniker = "net" + version.Replace(".", string.Empty, StringComparison.Ordinal);
        var packageVersion = Metadata("NetFrameworkReferenceAssemblies").Split(';').Select(p => p.Split('=')).Single(p => p[0] == moniker)[1];
        var folder = Path.Combine(PackageRoot, "microsoft.netframework.referenceassemblies." + moniker, packageVersion, "build", ".NETFramework", "v" + version);
        if (!Directory.Exists(folder)) throw new InvalidOperationException($"The reference assemblies of .NET Framework {version} are not at {folder} (restore this project).");
        return folder;
    }

    /// <summary>System.Management.Automation as PowerShellStandard.Library has it: the surface Windows PowerShell 5.1 provides.</summary>
    public static string PowerShellReference =>
        Directory.EnumerateFiles(Path.Combine(PackageRoot, "powershellstandard.library"), "System.Management.Automation.dll", SearchOption.AllDirectories)
            .Where(p => p.Contains(Path.Combine("lib", "netstandard2.0"), StringComparison.Ordinal))
            .OrderBy(p => p, StringComparer.Ordinal).Last();

    /// <summary>A file of a package this project downloads.</summary>
    public static string Package(string id, string version, string file)
    {
        var path = Path.Combine(PackageRoot, id, version, file);
        return File.Exists(path) ? path : throw new InvalidOperationException($"{path} is missing (restore this project).");
    }

    private static string PackageRoot => Metadata("NuGetPackageRoot");

    private static string Metadata(string key) =>
        typeof(BuiltModule).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().Single(a => a.Key == key).Value
        ?? throw new InvalidOperationException($"The test assembly has no {key}.");

    private static string FindRoot()
    {
        for (var folder = new DirectoryInfo(AppContext.BaseDirectory); folder != null; folder = folder.Parent)
        {
            if (File.Exists(Path.Combine(folder.FullName, "GanAi.sln"))) return folder.FullName;
        }
        throw new InvalidOperationException("GanAi.sln was not found above " + AppContext.BaseDirectory);
    }
}
