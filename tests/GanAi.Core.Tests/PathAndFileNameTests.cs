using GanAi.Api;
using GanAi.Downloads;

namespace GanAi.Core.Tests;

/// <summary>Ids that reach a URL path or a file name cannot change where they point.</summary>
public class PathAndFileNameTests
{
    private static readonly Uri Base = new("http://127.0.0.1:5000/api/");

    [Theory]
    [InlineData("a/b")]
    [InlineData("a?x=1#f")]
    [InlineData("x&project_id=other")]
    [InlineData("%2e%2e")]
    [InlineData("..\\..")]
    [InlineData("a\u0000b\r\n")]
    [InlineData("../../users/login")]
    public void Keeps_an_inference_id_inside_its_path_segment(string id)
    {
        var uri = new Uri(Base, ApiPaths.VideoStatus("demo", id));
        Assert.StartsWith("/api/projects/demo/inference/", uri.AbsolutePath);
        Assert.EndsWith("/video_status", uri.AbsolutePath);
        Assert.Equal(6, uri.AbsolutePath.Trim('/').Split('/').Length); // api, projects, demo, inference, <id>, video_status
        Assert.Equal(string.Empty, uri.Query);
        Assert.Equal(id, Uri.UnescapeDataString(uri.AbsolutePath.Split('/')[5]));
    }

    [Theory]
    [InlineData(".")]
    [InlineData("..")]
    [InlineData("...")]
    [InlineData("")]
    public void Refuses_ids_that_a_URI_parser_would_resolve_away(string id)
    {
        Assert.Throws<ArgumentException>(() => ApiPaths.VideoStatus("demo", id));
        Assert.Throws<ArgumentException>(() => ApiPaths.Webhook(id));
    }

    [Fact]
    public void Escapes_the_project_id_of_the_bulk_call_as_one_query_value()
    {
        var uri = new Uri(Base, ApiPaths.BulkCreate("x&project_id=other"));
        Assert.Equal("?project_id=x%26project_id%3Dother", uri.Query);
    }

    [Theory]
    [InlineData("a/b", "a%2Fb")]
    [InlineData("a\\b", "a%5Cb")]
    [InlineData("..", "%2E%2E")]
    [InlineData(".", "%2E")]
    [InlineData("../../etc/passwd", "%2E.%2F..%2Fetc%2Fpasswd")]
    [InlineData("c:x", "c%3Ax")]
    [InlineData("CON", "%43ON")]
    [InlineData("con.txt", "%63on.txt")]
    [InlineData("lpt1", "%6Cpt1")]
    [InlineData(" lead", "%20lead")]
    [InlineData("trail.", "trail%2E")]
    [InlineData("100%", "100%25")]
    [InlineData("tab\there", "tab%09here")]
    [InlineData("Ünïcödé 😀", "Ünïcödé 😀")]
    [InlineData("a*b?c\"d<e>f|g", "a%2Ab%3Fc%22d%3Ce%3Ef%7Cg")]
    public void Makes_a_file_name_safe_for_every_file_system(string id, string expected)
    {
        Assert.Equal(expected, SafeFileName.Stem(id));
    }

    [Fact]
    public void Gives_different_ids_different_names()
    {
        var ids = new[] { "a/b", "a%2Fb", "a_b", "a:b", "a\\b", "..", "%2E%2E", "CON", "%43ON" };
        var names = ids.Select(SafeFileName.Stem).ToList();
        Assert.Equal(ids.Length, names.Distinct(StringComparer.Ordinal).Count());
    }

    [Fact]
    public void Shortens_long_names_with_a_hash_of_the_whole_id()
    {
        var a = new string('/', 256);
        var b = new string('/', 255) + ":";
        var stemA = SafeFileName.Stem(a);
        var stemB = SafeFileName.Stem(b);
        Assert.True(System.Text.Encoding.UTF8.GetByteCount(stemA) <= SafeFileName.MaxStemBytes);
        Assert.NotEqual(stemA, stemB);
        Assert.Matches("^(%2F)+~[0-9a-f]{16}$", stemA);
    }

    [Fact]
    public void Keeps_every_planned_file_inside_the_folder_and_separates_ids_that_differ_only_by_case()
    {
        var folder = Path.Combine(Path.GetTempPath(), "ganai-plan-" + Guid.NewGuid().ToString("N"));
        var planner = new FileNamePlanner(folder);
        foreach (var id in new[] { "../x", "..", "/etc/passwd", "C:\\Windows\\x", "\\\\server\\share\\x", "a\u0000b" })
            Assert.Equal(Path.GetFullPath(folder), Path.GetDirectoryName(planner.PathFor(id, ".mp4")));

        var upper = planner.PathFor("Ann", ".mp4");
        var lower = planner.PathFor("ann", ".mp4");
        Assert.NotEqual(upper.ToUpperInvariant(), lower.ToUpperInvariant());
        Assert.Equal(upper, planner.PathFor("Ann", ".mp4")); // the same id keeps its name
    }
}

public class FileNameCollisionTests
{
    [Fact]
    public void An_id_that_is_literally_another_ids_shortened_form_gets_a_file_of_its_own()
    {
        var longId = new string('a', 300);
        var shortened = GanAi.Downloads.SafeFileName.Stem(longId); // "<cut>~<hash>"
        Assert.Matches("~[0-9a-f]{16}$", shortened);

        var literal = GanAi.Downloads.SafeFileName.Stem(shortened); // an id that is that text
        Assert.NotEqual(shortened, literal);
        Assert.EndsWith("%7E" + shortened[^16..], literal);
        Assert.Equal("plain-id~not-a-hash", GanAi.Downloads.SafeFileName.Stem("plain-id~not-a-hash")); // other names keep theirs
        Assert.Equal("x~0123", GanAi.Downloads.SafeFileName.Stem("x~0123"));
    }

    [Theory]
    [InlineData("https://s3.example/a.mp4", "https://other.example/b.mp4", true)]
    [InlineData("https://s3.example/a.mp4", "/relative/b.mp4", true)]
    [InlineData("https://s3.example/a.mp4", "http://s3.example/b.mp4", false)]
    [InlineData("https://s3.example/a.mp4", "file:///etc/passwd", false)]
    [InlineData("http://127.0.0.1:5080/a.mp4", "http://localhost:5080/b.mp4", true)]
    [InlineData("http://127.0.0.1:5080/a.mp4", "https://s3.example/b.mp4", true)]
    [InlineData("http://127.0.0.1:5080/a.mp4", "http://example.com/b.mp4", false)]
    [InlineData("http://127.0.0.1:5080/a.mp4", "ftp://127.0.0.1/b.mp4", false)]
    public void Follows_media_redirects_from_https_to_https_and_plain_http_only_on_loopback(string from, string to, bool followed)
    {
        var location = new Uri(to, UriKind.RelativeOrAbsolute);
        if (followed) Assert.NotNull(GanAi.Downloads.MediaDownloader.FollowRedirect(new Uri(from), location));
        else Assert.Throws<GanAi.Downloads.MediaRedirectRefusedException>(() => GanAi.Downloads.MediaDownloader.FollowRedirect(new Uri(from), location));
    }

    [Theory]
    [InlineData("welcome-2O26", new[] { "welcome-2026", "Welcome-2025" })]
    [InlineData("DEMO", new[] { "demo" })]
    [InlineData("Project other", new[] { "other" })] // the title
    [InlineData("zzzzzz", new string[0])]
    public void Names_close_matches_of_a_mistyped_project_id(string typed, string[] expected)
    {
        var projects = new[] { "demo", "welcome-2026", "Welcome-2025", "other" }.Select(id => new GanProject(id) { Title = "Project " + id });
        Assert.Equal(expected, GanAi.Projects.ProjectCatalog.CloseTo(projects, typed).Select(p => p.ProjectId));
    }
}
