using System.Text.RegularExpressions;

namespace GanAi.Compatibility.Tests;

/// <summary>
/// The built module folder, checked against .NET Framework's reference assemblies: what Windows
/// PowerShell 5.1 loads must bind there (<see cref="FrameworkClosure"/> says how it is modelled).
/// </summary>
public class ClosureTests
{
    /// <summary>
    /// The module's files that answer a request at another version than asked (the resolve handler
    /// answers by name): each on purpose, each shipped. A new one, or one that no longer happens,
    /// fails the check, so the list stays what the module does.
    /// </summary>
    private static readonly (string Name, string Requested, string Shipped)[] AllowedMismatches =
    [
        // Polly.Core 8 was built against AsyncInterfaces 6.0.0.0; System.Text.Json 8 and TimeProvider need the 8.0.0.0 that ships.
        ("Microsoft.Bcl.AsyncInterfaces", "6.0.0.0", "8.0.0.0"),
        // Polly.Core asks TimeProvider 8.0.0.0; its package 8.0.1 (assembly 8.0.0.1) ships.
        ("Microsoft.Bcl.TimeProvider", "8.0.0.0", "8.0.0.1"),
        // System.Memory, System.Text.Json and Encodings.Web ask System.Buffers 4.0.2.0; 4.5.1 (4.0.3.0) ships.
        ("System.Buffers", "4.0.2.0", "4.0.3.0"),
        // Polly.Core asks 4.2.0.0; the package 5.0.0 (assembly 4.2.1.0) ships.
        ("System.ComponentModel.Annotations", "4.2.0.0", "4.2.1.0"),
        // Polly.Core, System.Memory and Threading.Tasks.Extensions ask 4.0.4.1; System.Text.Json 8 needs the 6.0.0.0 that ships.
        ("System.Runtime.CompilerServices.Unsafe", "4.0.4.1", "6.0.0.0"),
    ];

    [Theory]
    [InlineData("4.7.1")]
    [InlineData("4.7.2")]
    public void What_Windows_PowerShell_loads_binds_on_the_lowest_declared_framework_and_later(string framework)
    {
        using var closure = FrameworkClosure.Check(BuiltModule.Folder, BuiltModule.FrameworkReferences(framework), BuiltModule.PowerShellReference);

        Assert.True(closure.Problems.Count == 0, $"On .NET Framework {framework}:\n" + string.Join("\n", closure.Problems.Take(40)));
        Assert.Contains(closure.ModuleAssemblies, p => p.EndsWith(Path.Combine("dependencies", "GanAi.Core.dll"), StringComparison.Ordinal));
        Assert.DoesNotContain(closure.ModuleAssemblies, p => p.Contains("net8.0", StringComparison.Ordinal));
        // Not an empty check: the module's own references went through it.
        Assert.Contains(closure.Bindings, b => b.Requested.Name == "Polly.Core" && b.Source == FrameworkClosure.Source.Module);
        Assert.Contains(closure.Bindings, b => b.Requested.Name == "netstandard" && b.Source == FrameworkClosure.Source.Framework);
    }

    [Fact]
    public void Each_version_mismatch_is_on_the_allow_list_and_each_entry_still_happens()
    {
        using var closure = FrameworkClosure.Check(BuiltModule.Folder, BuiltModule.FrameworkReferences("4.7.2"), BuiltModule.PowerShellReference);

        var found = closure.Mismatches.Select(m => (m.Name, m.Requested.ToString(), m.Shipped.ToString())).OrderBy(m => m).ToList();
        Assert.Equal(AllowedMismatches.OrderBy(m => m), found);
        foreach (var (name, _, _) in AllowedMismatches)
            Assert.True(File.Exists(Path.Combine(BuiltModule.Folder, "dependencies", name + ".dll")), $"{name}.dll is not in dependencies/");
    }

    [Fact]
    public void The_declared_minimum_is_the_lowest_that_binds()
    {
        // 4.6.2 to 4.7 have no netstandard.dll: nothing of the module's can bind there (4.7's
        // reference assemblies are not on the registry this project restores from; 4.6.2 is what
        // Windows Server 2016 has as installed).
        using var closure = FrameworkClosure.Check(BuiltModule.Folder, BuiltModule.FrameworkReferences("4.6.2"), BuiltModule.PowerShellReference);
        Assert.Contains(closure.Problems, p => p.Contains("assembly netstandard, Version=2.0.0.0", StringComparison.Ordinal));

        var manifest = File.ReadAllText(Path.Combine(BuiltModule.Folder, "GanAi.psd1"));
        Assert.Matches(new Regex(@"DotNetFrameworkVersion\s*=\s*'4\.7\.1'"), manifest);
        // The guard that ends the import on an older framework: 461308 is 4.7.1's lowest Release value.
        Assert.Contains("-ge 461308", File.ReadAllText(Path.Combine(BuiltModule.Folder, "GanAi.Requirements.psm1")), StringComparison.Ordinal);
    }

    [Fact]
    public void The_module_folders_public_types_need_nothing_from_the_dependencies_folder()
    {
        // GanAi.Models loads (as a nested module) before GanAi.dll's initializer installs the resolve handler.
        using var closure = FrameworkClosure.Check(BuiltModule.Folder, BuiltModule.FrameworkReferences("4.7.2"), BuiltModule.PowerShellReference);

        var fromModels = closure.Bindings.Where(b => b.Referrer == "GanAi.Models.dll").ToList();
        Assert.NotEmpty(fromModels);
        Assert.All(fromModels, b => Assert.Equal(FrameworkClosure.Source.Framework, b.Source));
    }

    [Fact]
    public void A_net8_assembly_in_the_Windows_PowerShell_set_fails_the_check()
    {
        var copy = Directory.CreateTempSubdirectory("ganai-closure-");
        try
        {
            CopyFolder(BuiltModule.Folder, copy.FullName);
            var dependencies = Path.Combine(copy.FullName, "dependencies");
            File.Copy(Path.Combine(dependencies, "net8.0", "GanAi.Core.dll"), Path.Combine(dependencies, "GanAi.Core.dll"), overwrite: true);

            using var closure = FrameworkClosure.Check(copy.FullName, BuiltModule.FrameworkReferences("4.7.2"), BuiltModule.PowerShellReference);

            Assert.Contains(closure.Problems, p => p.StartsWith(Path.Combine("dependencies", "GanAi.Core.dll") + ": built for .NETCoreApp", StringComparison.Ordinal));
            Assert.Contains(closure.Problems, p => p.Contains("assembly System.Runtime, Version=8.0.0.0", StringComparison.Ordinal));
        }
        finally
        {
            copy.Delete(recursive: true);
        }
    }

    [Fact]
    public void The_core_needs_nothing_of_Polly_that_an_older_Polly_8_lacks()
    {
        // On 5.1 every Polly.Core 8.x is assembly version 8.0.0.0, and the first one loaded in the
        // session serves every module: GanAi.Core keeps to what 8.1.0 has (docs/installing.md).
        var copy = Directory.CreateTempSubdirectory("ganai-closure-");
        try
        {
            CopyFolder(BuiltModule.Folder, copy.FullName);
            File.Copy(BuiltModule.Package("polly.core", "8.1.0", Path.Combine("lib", "netstandard2.0", "Polly.Core.dll")), Path.Combine(copy.FullName, "dependencies", "Polly.Core.dll"), overwrite: true);

            using var closure = FrameworkClosure.Check(copy.FullName, BuiltModule.FrameworkReferences("4.7.2"), BuiltModule.PowerShellReference);

            Assert.Contains(closure.Bindings, b => b.Requested.Name == "Polly.Core" && b.Version == new Version(8, 0, 0, 0) && b.Source == FrameworkClosure.Source.Module);
            Assert.True(closure.Problems.Count == 0, string.Join("\n", closure.Problems.Take(40)));
        }
        finally
        {
            copy.Delete(recursive: true);
        }
    }

    private static void CopyFolder(string from, string to)
    {
        foreach (var directory in Directory.EnumerateDirectories(from, "*", SearchOption.AllDirectories))
            Directory.CreateDirectory(Path.Combine(to, Path.GetRelativePath(from, directory)));
        foreach (var file in Directory.EnumerateFiles(from, "*", SearchOption.AllDirectories))
            File.Copy(file, Path.Combine(to, Path.GetRelativePath(from, file)));
    }
}
