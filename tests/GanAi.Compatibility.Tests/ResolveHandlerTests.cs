#pragma warning disable SYSLIB0039 // TLS 1.0 and 1.1 are named only to test that they are kept as the process set them
using System.Net;

namespace GanAi.Compatibility.Tests;

/// <summary>
/// The resolve handler Windows PowerShell 5.1 runs (FrameworkDependencies), fed the exact requests
/// the closure check lists, and the other decisions the 5.1 path makes.
/// </summary>
public class ResolveHandlerTests
{
    [Fact]
    public void Each_request_the_module_answers_gets_the_shipped_file_and_no_other_request_is_answered()
    {
        var module = BuiltModule.Folder;
        using var closure = FrameworkClosure.Check(module, BuiltModule.FrameworkReferences("4.7.2"), BuiltModule.PowerShellReference);
        var shipped = closure.ModuleAssemblies.Select(Path.GetFileNameWithoutExtension).ToHashSet(StringComparer.OrdinalIgnoreCase);

        var answered = closure.Bindings.Where(b => b.Source == FrameworkClosure.Source.Module).ToList();
        Assert.Contains(answered, b => b.Requested.Name == "GanAi.Core"); // from GanAi.dll
        Assert.Contains(answered, b => b.Requested.Name == "GanAi.Models" && b.Referrer.StartsWith("dependencies", StringComparison.Ordinal)); // from GanAi.Core
        foreach (var binding in answered)
            Assert.Equal(binding.Path, GanAi.FrameworkDependencies.PathFor(module, binding.Requested.FullName));

        // What the framework or PowerShell answers, the handler is never asked for with a name it ships; asked anyway, it says null.
        var others = closure.Bindings.Where(b => b.Source != FrameworkClosure.Source.Module && !shipped.Contains(b.Requested.Name!)).ToList();
        Assert.NotEmpty(others);
        foreach (var binding in others)
            Assert.Null(GanAi.FrameworkDependencies.PathFor(module, binding.Requested.FullName));
    }

    [Theory]
    [InlineData("System.Runtime.Loader, Version=4.1.0.0, Culture=neutral, PublicKeyToken=b03f5f7f11d50a3a")]
    [InlineData("Polly.Core.Other")]
    [InlineData("net8.0/GanAi.Core")]
    [InlineData("..\\GanAi.Core")]
    [InlineData("../dependencies/GanAi.Core")]
    [InlineData("GanAi.Isolation")] // PowerShell 7's, in dependencies/net8.0: never on 5.1
    [InlineData("")]
    [InlineData("a, Version=not-a-version")]
    public void A_name_that_is_not_one_of_the_modules_files_gets_null(string requested)
    {
        Assert.Null(GanAi.FrameworkDependencies.PathFor(BuiltModule.Folder, requested));
    }

    [Fact]
    public void A_request_is_answered_by_name_whatever_version_it_asks()
    {
        var expected = Path.Combine(BuiltModule.Folder, "dependencies", "Polly.Core.dll");
        Assert.Equal(expected, GanAi.FrameworkDependencies.PathFor(BuiltModule.Folder, "Polly.Core, Version=7.0.0.0, Culture=neutral, PublicKeyToken=c8a3ffc3f8f825cc"));
        Assert.Equal(expected, GanAi.FrameworkDependencies.PathFor(BuiltModule.Folder, "Polly.Core"));
    }

    [Theory]
    [InlineData(".NET Framework 4.8.9290.0", true)]
    [InlineData("Mono 6.8.0.105 (Debian 6.8.0.105+dfsg-3.3 Wed Mar 15 2023)", true)]
    [InlineData(".NET 8.0.11", false)]
    [InlineData(".NET 10.0.0", false)]
    [InlineData(".NET Core 3.1.32", false)]
    public void The_resolve_handler_path_is_taken_where_there_are_no_load_contexts(string description, bool taken)
    {
        Assert.Equal(taken, GanAi.FrameworkDependencies.AppliesTo(description));
    }

    [Theory]
    [InlineData(SecurityProtocolType.SystemDefault, SecurityProtocolType.SystemDefault)] // the OS chooses: TLS 1.2 and 1.3 stay allowed
    [InlineData(SecurityProtocolType.Tls, SecurityProtocolType.Tls | SecurityProtocolType.Tls12)]
    [InlineData(SecurityProtocolType.Tls11 | SecurityProtocolType.Tls, SecurityProtocolType.Tls11 | SecurityProtocolType.Tls | SecurityProtocolType.Tls12)]
    [InlineData(SecurityProtocolType.Tls12, SecurityProtocolType.Tls12)]
    [InlineData(SecurityProtocolType.Tls13, SecurityProtocolType.Tls13 | SecurityProtocolType.Tls12)]
    public void TLS_1_2_is_added_only_when_the_process_does_not_leave_the_choice_to_the_system(SecurityProtocolType current, SecurityProtocolType expected)
    {
        Assert.Equal(expected, GanAi.FrameworkDependencies.WithTls12(current));
    }
}
