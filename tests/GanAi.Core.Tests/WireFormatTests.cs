using System.Text;
using System.Text.Json;
using GanAi.Api;
using GanAi.Batching;

namespace GanAi.Core.Tests;

public class BulkRequestWriterTests
{
    [Fact]
    public void Writes_one_object_per_row_with_its_tags_and_unique_id()
    {
        var rows = new[]
        {
            Runs.Row(1, "a1", ("names", "Ann"), ("company", "Contoso")),
            Runs.Row(2, "b2", ("names", "Bo"), ("company", "Fabrikam")),
        };
        var body = BulkRequestWriter.Write(rows);
        using var document = JsonDocument.Parse(body.AsMemory());
        var items = document.RootElement.EnumerateArray().ToList();
        Assert.Equal(2, items.Count);
        Assert.Equal("Ann", items[0].GetProperty("names").GetString());
        Assert.Equal("Contoso", items[0].GetProperty("company").GetString());
        Assert.Equal("a1", items[0].GetProperty("unique_id").GetString());
        Assert.Equal("b2", items[1].GetProperty("unique_id").GetString());
        Assert.Equal(3, items[1].EnumerateObject().Count());
    }

    [Theory]
    [InlineData("quote \" and backslash \\")]
    [InlineData("new\nline\r\ttab")]
    [InlineData("emoji 😀 and right-to-left עברית")]
    [InlineData("<script>alert('x')</script> & markup")]
    [InlineData("  leading and trailing  ")]
    [InlineData("\u0000 nul and \u001f unit separator")]
    public void Round_trips_any_text_exactly(string value)
    {
        // Built directly: RowBuilder refuses NUL and the other controls, but the writer must still escape any text.
        var row = new VideoRow(1, "src", "id " + value, new List<KeyValuePair<string, string>> { new("names", value) });
        var body = BulkRequestWriter.Write(new[] { row });
        using var document = JsonDocument.Parse(body.AsMemory());
        var item = document.RootElement[0];
        Assert.Equal(value, item.GetProperty("names").GetString());
        Assert.Equal("id " + value, item.GetProperty("unique_id").GetString());
    }

    [Fact]
    public void Sends_non_ascii_text_as_utf8_not_escapes()
    {
        var body = BulkRequestWriter.Write(new[] { Runs.Row(1, "a", ("names", "Björn")) });
        Assert.Contains("Björn", Encoding.UTF8.GetString(body.Array!, body.Offset, body.Count));
    }
}

public class ErrorBodyReaderTests
{
    [Fact]
    public void Reads_fastapi_validation_errors_with_the_item_index()
    {
        var body = Encoding.UTF8.GetBytes("""{"detail":[{"type":"missing","loc":["body",3,"names"],"msg":"Field required"},{"type":"missing","loc":["query","project_id"],"msg":"Field required"}]}""");
        var (detail, issues) = ErrorBodyReader.Read(body);
        Assert.Null(detail);
        Assert.Equal(2, issues.Count);
        Assert.Equal(3, issues[0].ItemIndex);
        Assert.Equal("names", issues[0].Field);
        Assert.Equal("Field required", issues[0].Message);
        Assert.Null(issues[1].ItemIndex);
    }

    [Fact]
    public void Reads_a_text_detail_and_survives_a_body_that_is_not_json()
    {
        Assert.Equal("Project not found", ErrorBodyReader.Read(Encoding.UTF8.GetBytes("""{"detail":"Project not found"}""")).Detail);
        Assert.Equal("<html>bad gateway</html>", ErrorBodyReader.Read(Encoding.UTF8.GetBytes("<html>bad\ngateway</html>")).Detail!.Replace(" ", "").Replace("badgateway", "bad gateway"));
        Assert.Null(ErrorBodyReader.Read(Array.Empty<byte>()).Detail);
    }

    [Fact]
    public void Refuses_an_answer_nested_deeper_than_the_cap()
    {
        var deep = string.Concat(Enumerable.Repeat("[", 200)) + string.Concat(Enumerable.Repeat("]", 200));
        var (detail, issues) = ErrorBodyReader.Read(Encoding.UTF8.GetBytes("{\"detail\":" + deep + "}"));
        Assert.Empty(issues);
        Assert.StartsWith("{\"detail\":[[[", detail); // kept as a snippet, not parsed
    }
}

public class ConnectionAddressTests
{
    [Theory]
    [InlineData("https://api.gan.ai", "https://api.gan.ai/")]
    [InlineData("https://example.com/base", "https://example.com/base/")]
    [InlineData("http://127.0.0.1:5080", "http://127.0.0.1:5080/")]
    [InlineData("http://127.8.9.10:5080/", "http://127.8.9.10:5080/")]
    [InlineData("http://localhost:1234", "http://localhost:1234/")]
    [InlineData("http://[::1]:1234", "http://[::1]:1234/")]
    public void Accepts_https_and_loopback_http(string given, string expected) =>
        Assert.Equal(expected, ConnectionAddress.Validate(new Uri(given)).ToString());

    [Theory]
    [InlineData("http://api.gan.ai")]
    [InlineData("http://10.0.0.5:5080")]
    [InlineData("http://localhost.example.com")]
    [InlineData("ftp://127.0.0.1")]
    [InlineData("https://user:pw@api.gan.ai")]
    public void Refuses_plain_http_beyond_loopback_and_other_schemes(string given)
    {
        var error = Assert.Throws<ArgumentException>(() => ConnectionAddress.Validate(new Uri(given)));
        Assert.DoesNotContain("pw", error.Message);
    }
}
