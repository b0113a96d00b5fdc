using System.Collections.Specialized;
using System.Reflection;
using GanAi.Batching;

namespace GanAi.Core.Tests;

/// <summary>
/// What tests of users' scripts stand on: every ErrorId has its category and kind in one table, and
/// the typed fakes behave as PowerShell calls them (positional, $null passed as "").
/// </summary>
public class ModelFactoryTests
{
    private static IEnumerable<string> AllErrorIds() => typeof(ErrorIds).GetFields(BindingFlags.Public | BindingFlags.Static)
        .Where(f => f.IsLiteral && f.FieldType == typeof(string))
        .Select(f => (string)f.GetRawConstantValue()!);

    [Fact]
    public void Every_ErrorId_has_a_category_the_cmdlets_can_write()
    {
        var ids = AllErrorIds().ToList();
        Assert.True(ids.Count > 30);
        foreach (var id in ids)
        {
            var name = ErrorIds.CategoryOf(id);
            Assert.True(Enum.TryParse<FailureCategory>(name, out _), $"{id}: {name} is not a FailureCategory");
        }
        Assert.Equal(FailureCategory.AuthenticationError, Failures.CategoryOf(ErrorIds.TokenRefused));
        Assert.Equal(FailureCategory.WriteError, Failures.CategoryOf(ErrorIds.JournalUnavailable));
        Assert.Throws<ArgumentException>(() => ErrorIds.CategoryOf("NoSuchId"));
    }

    [Fact]
    public void The_ErrorIds_about_videos_are_the_ones_the_video_cmdlets_write()
    {
        var video = AllErrorIds().Where(ErrorIds.IsAboutVideo).OrderBy(id => id, StringComparer.Ordinal).ToArray();
        Assert.Equal(new[] { "DownloadFailed", "FileNotWritten", "FolderUnavailable", "InvalidMediaUrl", "InvalidVideoReference",
            "VideoBlocked", "VideoDeleted", "VideoFailed", "VideoNotFound", "VideoNotReady", "WaitTimedOut" }, video);
    }

    [Theory]
    [InlineData(ErrorIds.TokenRefused, typeof(UnauthorizedAccessException))]
    [InlineData(ErrorIds.JournalUnavailable, typeof(IOException))]
    [InlineData(ErrorIds.ServiceUnreachable, typeof(HttpRequestException))]
    [InlineData(ErrorIds.MissingUniqueId, typeof(ArgumentException))]
    [InlineData(ErrorIds.RateLimited, typeof(InvalidOperationException))]
    [InlineData(ErrorIds.InsufficientCredits, typeof(InvalidOperationException))]
    public void A_run_ending_error_carries_one_exception_type_per_ErrorId(string errorId, Type expected)
    {
        var inner = new TimeoutException("inner");
        var reported = GanModelFactory.RunEnding(errorId, "message", inner);
        Assert.IsType(expected, reported);
        Assert.Same(inner, reported.InnerException);
        Assert.IsType(expected, GanModelFactory.RunEndingException(errorId));
    }

    [Fact]
    public void Empty_text_means_not_given_as_PowerShell_passes_null_for_a_string()
    {
        var result = GanModelFactory.VideoResult("", "", "", null, "");
        Assert.Equal("row-1", result.UniqueId);
        Assert.Equal("project", result.ProjectId);
        Assert.Matches("^[0-9a-f]{32}$", result.InferenceId);
        Assert.EndsWith(result.InferenceId + ".mp4", result.VideoUrl);

        var status = GanModelFactory.VideoStatus("", "", "", "", error: "");
        Assert.Equal(GenStatus.Succeeded, status.GenStatus);
        Assert.Null(status.UniqueId);
        Assert.Null(status.Error);

        var row = GanModelFactory.VideoRowException(ErrorIds.MissingTag, "", "", 3);
        Assert.Contains("Row 3", row.Message);
        Assert.Null(row.UniqueId);
        Assert.Equal(3, row.RowNumber);
    }

    [Fact]
    public void A_fake_result_keeps_its_tags_in_order_as_text()
    {
        var tags = new OrderedDictionary { ["names"] = "Ann", ["count"] = 3, ["company"] = "Contoso" };
        var result = GanModelFactory.VideoResult("lead-1", "inf-1", "demo", tags);
        Assert.Equal(new[] { "names", "count", "company" }, result.GetTags().Select(t => t.Key));
        Assert.Equal(new[] { "Ann", "3", "Contoso" }, result.GetTags().Select(t => t.Value));
    }
}
