using System.Reflection;
using System.Text.RegularExpressions;

namespace GanAi.Core.Tests;

/// <summary>
/// Scripts test ErrorIds: every one the module can write has a row in docs/errors.md (when it is
/// written and what to do), with the category the module gives it.
/// </summary>
public class ErrorIdDocumentationTests
{
    private static readonly Regex TableRow = new(@"^\|\s*`(?<id>[A-Za-z]+)`[^|]*\|(?<category>[^|]*)\|(?<when>[^|]*)\|(?<todo>[^|]*)\|\s*$", RegexOptions.Multiline);

    [Fact]
    public void Docs_errors_has_a_row_for_every_ErrorId_with_its_category_when_and_what_to_do()
    {
        var page = File.ReadAllText(Path.Combine(RepositoryRoot(), "docs", "errors.md"));
        var ids = AllErrorIds();

        Assert.True(typeof(ErrorIds).IsPublic); // scripts and their mocks name them: [GanAi.ErrorIds]::TokenRefused
        Assert.Equal("GanAi.Models", typeof(ErrorIds).Assembly.GetName().Name); // the assembly PowerShell resolves types from
        Assert.Contains(ErrorIds.FileNotWritten, ids); // the reflection finds the constants at all
        Assert.True(ids.Count > 30, $"only {ids.Count} ErrorIds found");

        var rows = TableRow.Matches(page).Cast<Match>().ToList();
        var documented = rows.Select(r => r.Groups["id"].Value).ToHashSet(StringComparer.Ordinal);
        var missing = ids.Where(id => !documented.Contains(id)).ToList();
        Assert.True(missing.Count == 0, "docs/errors.md has no row for: " + string.Join(", ", missing));
        var unknown = documented.Where(id => !ids.Contains(id)).ToList();
        Assert.True(unknown.Count == 0, "docs/errors.md documents ErrorIds the module does not have: " + string.Join(", ", unknown));

        foreach (var row in rows)
        {
            var id = row.Groups["id"].Value;
            Assert.Contains(ErrorIds.CategoryOf(id), row.Groups["category"].Value);
            Assert.False(string.IsNullOrWhiteSpace(row.Groups["when"].Value), id + ": when is it written?");
            Assert.False(string.IsNullOrWhiteSpace(row.Groups["todo"].Value), id + ": what should the user do?");
        }
    }

    [Fact]
    public void Docs_errors_lists_exactly_the_ErrorIds_that_end_a_run_where_it_says_so()
    {
        var page = File.ReadAllText(Path.Combine(RepositoryRoot(), "docs", "errors.md"));
        var start = page.IndexOf("## Errors that end a run", StringComparison.Ordinal);
        Assert.True(start >= 0, "docs/errors.md has no section 'Errors that end a run'");
        var end = page.IndexOf("\n## ", start + 3, StringComparison.Ordinal);
        var section = page.Substring(start, (end < 0 ? page.Length : end) - start);
        var listed = TableRow.Matches(section).Cast<Match>().Select(r => r.Groups["id"].Value).ToHashSet(StringComparer.Ordinal);
        var ending = AllErrorIds().Where(ErrorIds.EndsBatchRun).ToHashSet(StringComparer.Ordinal);
        Assert.Equal(ending.OrderBy(id => id), listed.OrderBy(id => id));
        Assert.All(ending.Where(ErrorIds.EndsAnyCommand), id => Assert.True(ErrorIds.EndsBatchRun(id)));
        Assert.Equal(new[] { ErrorIds.RateLimited, ErrorIds.ServiceUnreachable, ErrorIds.TokenRefused }, AllErrorIds().Where(ErrorIds.EndsAnyCommand).OrderBy(id => id));
    }

    [Fact]
    public void The_table_reader_sees_a_row_and_its_cells()
    {
        var rows = TableRow.Matches("| `TokenRefused` | AuthenticationError | refused | connect again |\n| ErrorId | Category | When | What |\n").Cast<Match>().ToList();
        var row = Assert.Single(rows);
        Assert.Equal("TokenRefused", row.Groups["id"].Value);
        Assert.Contains("AuthenticationError", row.Groups["category"].Value);
    }

    private static List<string> AllErrorIds() =>
        typeof(ErrorIds).GetFields(BindingFlags.Public | BindingFlags.Static)
            .Where(f => f.IsLiteral && f.FieldType == typeof(string))
            .Select(f => (string)f.GetRawConstantValue()!)
            .ToList();

    internal static string RepositoryRoot()
    {
        for (var folder = new DirectoryInfo(AppContext.BaseDirectory); folder != null; folder = folder.Parent)
        {
            if (File.Exists(Path.Combine(folder.FullName, "GanAi.sln"))) return folder.FullName;
        }
        throw new InvalidOperationException("GanAi.sln not found above " + AppContext.BaseDirectory);
    }
}
