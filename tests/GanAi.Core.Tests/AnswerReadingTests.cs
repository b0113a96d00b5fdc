using System.Text;
using GanAi.Batching;
using GanAi.Projects;
using GanAi.Status;

namespace GanAi.Core.Tests;

/// <summary>Reading the service's answers about projects and videos, tolerant where the docs are vague.</summary>
public class AnswerReadingTests
{
    private static readonly VideoRef Video = new("demo", "inf1", "row-1", "http://127.0.0.1/a.mp3");

    private static VideoStatus Status(string json) => VideoStatusReader.Parse(Encoding.UTF8.GetBytes(json), Video);

    [Theory]
    [InlineData("null")]
    [InlineData("{}")]
    [InlineData("\"None\"")]
    [InlineData("\"\"")]
    public void Reads_null_empty_object_and_None_as_no_error(string error)
    {
        var status = Status("{\"gen_status\": \"SUCCEEDED\", \"error\": " + error + "}");
        Assert.Null(status.Error);
        Assert.Equal(GenStatus.Succeeded, status.GenStatus);
        Assert.True(status.IsFinal);
    }

    [Fact]
    public void Reads_the_message_of_an_error_object()
    {
        var status = Status("{\"gen_status\": \"FAILED\", \"error\": {\"status_code\": 503, \"message\": \"GPU lost\"}}");
        Assert.Equal("GPU lost (status 503)", status.Error);
        Assert.Equal(GenStatus.Failed, status.GenStatus);
    }

    [Theory]
    [InlineData("PENDING", GenStatus.Pending, false)]
    [InlineData("LIPSYNC_PENDING", GenStatus.LipsyncPending, false)]
    [InlineData("INFERENCE_POST_PROCESSING", GenStatus.InferencePostProcessing, false)]
    [InlineData("BLOCKED", GenStatus.Blocked, true)]
    [InlineData("DELETED", GenStatus.Deleted, true)]
    [InlineData("UNKNOWN", GenStatus.Unknown, false)]
    [InlineData("SOMETHING_NEW", GenStatus.Unrecognized, false)]
    [InlineData("3", GenStatus.Unrecognized, false)]
    public void Reads_every_documented_status_and_tolerates_new_ones(string text, GenStatus expected, bool final)
    {
        var status = Status("{\"gen_status\": \"" + text + "\"}");
        Assert.Equal(expected, status.GenStatus);
        Assert.Equal(text, status.GenStatusText);
        Assert.Equal(final, status.IsFinal);
    }

    [Fact]
    public void Carries_the_ids_and_audio_of_the_input_over()
    {
        var status = Status("{\"gen_status\": \"SUCCEEDED\", \"video_url\": \"https://s3/v.mp4\"}");
        Assert.Equal(("row-1", "demo", "inf1"), (status.UniqueId, status.ProjectId, status.InferenceId));
        Assert.Equal("http://127.0.0.1/a.mp3", status.AudioUrl);
        Assert.Equal("https://s3/v.mp4", status.VideoUrl);
    }

    [Fact]
    public void Reads_a_projects_page_with_tag_names_from_the_keys_of_tags()
    {
        var json = """
            {"data": [{"project_id": "p1", "title": "Welcome", "project_type": "PERSONALIZED", "status": "PUBLISHED", "language": "en",
                       "tags": {"names": ["a"], "colors": []}, "available_credits": 12, "utilised_credits": "3",
                       "created_at": "1999-01-02T03:04:05Z", "smart_url": "https://x", "unknown": {"deep": [1]}},
                      {"title": "no id: skipped"}],
             "size": 7, "unpublished_projects": 0}
            """;
        var (items, size) = ProjectCatalog.ReadPage(Encoding.UTF8.GetBytes(json));
        var project = Assert.Single(items);
        Assert.Equal(7, size);
        Assert.Equal(new[] { "names", "colors" }, project.Tags);
        Assert.Equal(12, project.AvailableCredits);
        Assert.Equal(3, project.UtilisedCredits);
        Assert.Equal(new DateTimeOffset(1999, 1, 2, 3, 4, 5, TimeSpan.Zero), project.CreatedAt);
    }

    [Fact]
    public void Refuses_a_projects_answer_without_a_data_array()
    {
        Assert.Throws<GanAi.Api.GanApiException>(() => ProjectCatalog.ReadPage(Encoding.UTF8.GetBytes("[1, 2]")));
    }
}

/// <summary>The pre-flight check of New-GanVideoBatch against the project's tags.</summary>
public class TagPreflightTests
{
    private static GanProject Project(params string[] tags) => new("acme") { Tags = new TagList(tags), AvailableCredits = 10 };

    private static VideoRow Row(params (string Name, string Value)[] tags) =>
        new(3, "src", "id-3", tags.Select(t => new KeyValuePair<string, string>(t.Name, t.Value)).ToList());

    [Fact]
    public void Sends_a_column_under_the_project_spelling_when_it_differs_by_case_or_spaces_and_says_so_once()
    {
        var preflight = new TagPreflight(Project("first_name", "company"), "unique_id");
        Assert.True(preflight.TryApply(Row((" First_Name ", "Ann"), ("company", "C")), out var row, out _));
        Assert.Equal(new[] { "first_name", "company" }, row.Tags.Select(t => t.Key));
        Assert.True(preflight.TryApply(Row((" First_Name ", "Bo"), ("company", "C")), out _, out _));
        var message = Assert.Single(preflight.TakeMessages());
        Assert.False(message.IsWarning);
        Assert.Contains("' First_Name '", message.Text);
    }

    [Fact]
    public void Fails_a_row_that_lacks_a_tag_naming_every_missing_tag()
    {
        var preflight = new TagPreflight(Project("first_name", "company", "city"), "unique_id");
        Assert.False(preflight.TryApply(Row(("first_name", "Ann")), out _, out var failure));
        Assert.Equal(ErrorIds.MissingTag, failure!.ErrorId);
        Assert.Contains("'company', 'city'", failure.Message);
    }

    [Fact]
    public void Warns_once_per_column_that_is_not_a_tag_but_not_about_the_id_column()
    {
        var preflight = new TagPreflight(Project("names"), "Email");
        for (var i = 0; i < 3; i++) Assert.True(preflight.TryApply(Row(("names", "A"), ("Email", "a@x"), ("notes", "n")), out _, out _));
        var warning = Assert.Single(preflight.TakeMessages());
        Assert.True(warning.IsWarning);
        Assert.Contains("'notes'", warning.Text);
    }

    [Fact]
    public void Refuses_two_columns_that_both_name_one_tag()
    {
        var preflight = new TagPreflight(Project("names"), "unique_id");
        Assert.False(preflight.TryApply(Row(("names", "A"), (" names", "B")), out _, out var failure));
        Assert.Equal(ErrorIds.DuplicateTagName, failure!.ErrorId);
        Assert.False(preflight.TryApply(Row(("Names", "A"), ("names", "B")), out _, out var reversed));
        Assert.Equal(ErrorIds.DuplicateTagName, reversed!.ErrorId);
    }
}

/// <summary>A 200 bulk answer read into each row's answer: by unique_id, with odd and inconsistent answers told apart (docs/delivery.md, rule 7).</summary>
public class BulkAnswerReaderTests
{
    private static object Item(string? id, string? inference, string project = "demo") => new { unique_id = id, inference_id = inference, project_id = project, video_url = "https://v.example/" + inference };

    private static byte[] Body(params object[] items) => System.Text.Json.JsonSerializer.SerializeToUtf8Bytes(items);

    private static List<VideoRow> Rows(params string[] ids) => ids.Select((id, i) => Runs.Row(i + 1, id)).ToList();

    private static RowAnswer Of(BulkAnswerReading reading, string id) => reading.Answers.Single(a => a.Row.UniqueId == id);

    [Fact]
    public void Matches_by_unique_id_whatever_the_order()
    {
        var reading = new BulkAnswerReader("demo").Read(Rows("a", "b"), Body(Item("b", "i-b"), Item("a", "i-a")));
        Assert.Equal(AnswerKind.Made, Of(reading, "a").Kind);
        Assert.Equal("i-a", Of(reading, "a").Item!.InferenceId);
        Assert.Equal("i-b", Of(reading, "b").Item!.InferenceId);
        Assert.Equal(0, reading.Strangers);
    }

    [Fact]
    public void An_id_named_twice_with_two_videos_is_made_twice_with_the_first_video_and_both_ids()
    {
        var answer = Of(new BulkAnswerReader("demo").Read(Rows("a", "b"), Body(Item("a", "i-1"), Item("b", "i-b"), Item("a", "i-2"))), "a");
        Assert.Equal(AnswerKind.MadeTwice, answer.Kind);
        Assert.Equal("i-1", answer.Item!.InferenceId);
        Assert.Equal(new[] { "i-1", "i-2" }, answer.InferenceIds);
        Assert.Equal("'i-1', 'i-2'", answer.DescribeIds());
    }

    [Fact]
    public void One_video_listed_twice_is_made_once()
    {
        Assert.Equal(AnswerKind.Made, Of(new BulkAnswerReader("demo").Read(Rows("a"), Body(Item("a", "i-1"), Item("a", "i-1"))), "a").Kind);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    public void An_item_without_its_inference_id_is_told_apart(string? inference)
    {
        Assert.Equal(AnswerKind.WithoutInferenceId, Of(new BulkAnswerReader("demo").Read(Rows("a"), Body(Item("a", inference))), "a").Kind);
    }

    [Fact]
    public void An_id_named_once_with_and_once_without_an_inference_id_may_be_two_videos()
    {
        var answer = Of(new BulkAnswerReader("demo").Read(Rows("a"), Body(Item("a", null), Item("a", "i-1"))), "a");
        Assert.Equal(AnswerKind.MadeTwice, answer.Kind);
        Assert.Equal("i-1", answer.Item!.InferenceId); // the result carries the video it can name
    }

    [Fact]
    public void Counts_items_that_name_no_unique_id_or_another_and_a_row_it_does_not_name()
    {
        var reading = new BulkAnswerReader("demo").Read(Rows("a", "b"), Body(Item(null, "i-x"), Item("a", "i-a"), Item("zz", "i-z")));
        Assert.Equal(2, reading.Strangers);
        Assert.Equal(AnswerKind.NotNamed, Of(reading, "b").Kind);
    }

    [Fact]
    public void One_video_named_for_every_row_of_an_answer_is_no_rows_result()
    {
        // Once such an answer became 200 results sharing one video: 199 people got someone else's.
        var ids = Enumerable.Range(1, 200).Select(i => "r-" + i).ToArray();
        var reading = new BulkAnswerReader("demo").Read(Rows(ids), Body(ids.Select(id => Item(id, "one-video")).ToArray()));
        Assert.All(reading.Answers, a => Assert.Equal(AnswerKind.SharedVideo, a.Kind));
    }

    [Fact]
    public void A_video_named_earlier_in_the_run_is_not_given_to_a_later_row()
    {
        var reader = new BulkAnswerReader("demo");
        var first = reader.Read(Rows("a"), Body(Item("a", "i-1")));
        var later = reader.Read(Rows("b", "c"), Body(Item("b", "i-1"), Item("c", "i-c")));
        Assert.Equal(AnswerKind.Made, Of(first, "a").Kind);
        Assert.Equal(AnswerKind.SharedVideo, Of(later, "b").Kind);
        Assert.Equal(AnswerKind.Made, Of(later, "c").Kind);
    }

    [Fact]
    public void Runs_do_not_share_what_they_saw()
    {
        Assert.Equal(AnswerKind.Made, Of(new BulkAnswerReader("demo").Read(Rows("a"), Body(Item("a", "i-1"))), "a").Kind);
        Assert.Equal(AnswerKind.Made, Of(new BulkAnswerReader("demo").Read(Rows("a"), Body(Item("a", "i-1"))), "a").Kind);
    }

    [Fact]
    public void An_item_of_another_project_is_no_result()
    {
        var reading = new BulkAnswerReader("demo").Read(Rows("a", "b"), Body(Item("a", "i-a", project: "someone-else"), Item("b", "i-b")));
        Assert.Equal(AnswerKind.ForeignProject, Of(reading, "a").Kind);
        Assert.Equal(AnswerKind.Made, Of(reading, "b").Kind);
    }

    [Theory]
    [InlineData("<html>502</html>")]
    [InlineData("null")]
    [InlineData("{\"detail\": \"x\"}")]
    public void An_answer_that_is_not_a_json_array_is_malformed(string body)
    {
        var reading = new BulkAnswerReader("demo").Read(Rows("a"), System.Text.Encoding.UTF8.GetBytes(body));
        Assert.NotNull(reading.Malformed);
        Assert.Empty(reading.Answers);
    }
}
