using System.Text;
using GanAi.Api;

namespace GanAi.Core.Tests;

/// <summary>The token never leaves with what the service wrote, however it was echoed.</summary>
public class TokenRedactionTests
{
    private const string Token = "sekrit-TOKEN/123+x";

    [Theory]
    [InlineData("500 Failed for Bearer sekrit-TOKEN/123+x", "500 Failed for Bearer [the token]")]
    [InlineData("as BEARER SEKRIT-TOKEN/123+X.", "as BEARER [the token].")]
    [InlineData("encoded Bearer%20sekrit-TOKEN%2F123%2Bx!", "encoded Bearer%20[the token]!")]
    [InlineData("cut Bearer sekrit-TO", "cut Bearer [the token]")]
    [InlineData("json \"sekrit-TOKEN/123\\u002Bx\"", "json \"[the token]\"")]
    [InlineData("twice sekrit-TOKEN/123+x and sekrit-TOKEN/123+x", "twice [the token] and [the token]")]
    [InlineData("short sekrit- stays", "short sekrit- stays")]
    [InlineData("nothing here", "nothing here")]
    public void Takes_out_every_form_of_the_token(string text, string expected)
    {
        Assert.Equal(expected, TokenRedaction.Redact(text, Token));
    }

    [Fact]
    public void An_error_body_is_redacted_whatever_the_case()
    {
        var body = Encoding.UTF8.GetBytes("{\"detail\":\"Bearer SeKrIt-ToKeN/123+x\"}");
        Assert.Equal("{\"detail\":\"Bearer [the token]\"}", Encoding.UTF8.GetString(TokenRedaction.Redact(body, Token, thorough: true)));
    }

    [Fact]
    public void A_body_without_the_token_is_returned_as_it_is()
    {
        var body = Encoding.UTF8.GetBytes("[{\"unique_id\":\"a\",\"video_url\":\"https://x/a.mp4\"}]");
        Assert.Same(body, TokenRedaction.Redact(body, Token, thorough: false));
    }

    [Fact]
    public void A_body_that_echoes_the_token_in_a_field_stays_JSON_without_it()
    {
        var body = Encoding.UTF8.GetBytes("[{\"unique_id\":\"a\",\"video_url\":\"https://x/a.mp4?echo=Bearer SEKRIT-TOKEN/123+X\"}]");
        var redacted = Encoding.UTF8.GetString(TokenRedaction.Redact(body, Token, thorough: false));
        Assert.DoesNotContain("sekrit", redacted, StringComparison.OrdinalIgnoreCase);
        using var parsed = System.Text.Json.JsonDocument.Parse(redacted);
        Assert.Equal("https://x/a.mp4?echo=Bearer [the token]", parsed.RootElement[0].GetProperty("video_url").GetString());
    }
}
