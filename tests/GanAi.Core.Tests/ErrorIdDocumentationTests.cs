using System.Reflection;

namespace GanAi.Core.Tests;

/// <summary>Scripts test ErrorIds: every one the module can write is explained in the README.</summary>
public class ErrorIdDocumentationTests
{
    [Fact]
    public void The_README_names_every_ErrorId()
    {
        var readme = File.ReadAllText(Path.Combine(RepositoryRoot(), "README.md"));
        var ids = typeof(ErrorIds).GetFields(BindingFlags.Public | BindingFlags.Static)
            .Where(f => f.IsLiteral && f.FieldType == typeof(string))
            .Select(f => (string)f.GetRawConstantValue()!)
            .ToList();

        Assert.True(typeof(ErrorIds).IsPublic); // scripts and their mocks name them: [GanAi.ErrorIds]::TokenRefused
        Assert.Equal("GanAi.Models", typeof(ErrorIds).Assembly.GetName().Name); // the assembly PowerShell resolves types from
        Assert.Contains(ErrorIds.FileNotWritten, ids); // the reflection finds the constants at all
        Assert.True(ids.Count > 30, $"only {ids.Count} ErrorIds found");
        var missing = ids.Where(id => !readme.Contains("`" + id + "`", StringComparison.Ordinal)).ToList();
        Assert.True(missing.Count == 0, "The README does not name: " + string.Join(", ", missing));
    }

    private static string RepositoryRoot()
    {
        for (var folder = new DirectoryInfo(AppContext.BaseDirectory); folder != null; folder = folder.Parent)
        {
            if (File.Exists(Path.Combine(folder.FullName, "GanAi.sln"))) return folder.FullName;
        }
        throw new InvalidOperationException("GanAi.sln not found above " + AppContext.BaseDirectory);
    }
}
