using System.Net;
using System.Text;
using System.Text.Json;
using GanAi.Api;

namespace GanAi.Core.Tests;

/// <summary>The token never leaves with what the service wrote, however it was echoed, and nothing else is taken.</summary>
public class TokenRedactionTests
{
    private const string Token = "sekrit-TOKEN/123+x";

    // A JWT as the token, and another one (same header, as every HS256 JWT has) that a CDN URL carries.
    private const string JwtHeader = "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9";
    private const string JwtPayload = "eyJzdWIiOiJnYW5haS11c2VyLTEiLCJzY29wZSI6InZpZGVvcyIsImlhdCI6OTQ2Njg0ODAwfQ";
    private const string JwtSignature = "EOme-pzTYmcWJ3ViEhD0zjtooMNen9v0zbIFrYtNQZU";
    private const string Jwt = JwtHeader + "." + JwtPayload + "." + JwtSignature;
    private const string OtherJwt = JwtHeader + ".eyJzdWIiOiJjZG4tdmlld2VyLTc3IiwicGF0aCI6Ii92L2EubXA0IiwiZXhwIjo5NDY3NzEyMDB9.tRIyHF3ad0mo5F9UgK4dxOPMCqQ-4qrHwaNnpysUA5U";

    private const string P = TokenRedactor.Placeholder;

    [Theory]
    [InlineData("500 Failed for Bearer sekrit-TOKEN/123+x", "500 Failed for Bearer " + P)]
    [InlineData("as BEARER SEKRIT-TOKEN/123+X.", "as BEARER " + P + ".")]
    [InlineData("mixed SeKrIt-ToKeN/123+X.", "mixed " + P + ".")]
    [InlineData("encoded Bearer%20sekrit-TOKEN%2F123%2Bx!", "encoded Bearer%20" + P + "!")]
    [InlineData("json \"sekrit-TOKEN/123\\u002Bx\"", "json \"" + P + "\"")]
    [InlineData("php \"sekrit-TOKEN\\/123+x\"", "php \"" + P + "\"")]
    [InlineData("cut Bearer sekrit-TO", "cut Bearer " + P)]
    [InlineData("without its start krit-TOKEN/123+x", "without its start " + P)]
    [InlineData("a middle run (ekrit-TO)", "a middle run (" + P + ")")]
    [InlineData("an escaped run TOKEN%2F12 and TOKEN\\/12", "an escaped run " + P + " and " + P)]
    [InlineData("twice sekrit-TOKEN/123+x and sekrit-TOKEN/123+x", "twice " + P + " and " + P)]
    [InlineData("adjacent halves sekrit-TOKEN/123+xsekrit-TOKEN/123+x", "adjacent halves " + P)]
    [InlineData("short sekrit- stays", "short sekrit- stays")]
    [InlineData("seven krit-TO stays", "seven krit-TO stays")]
    [InlineData("nothing here", "nothing here")]
    public void Takes_out_every_form_of_the_token(string text, string expected)
    {
        Assert.Equal(expected, new TokenRedactor(Token).Redact(text));
    }

    [Fact]
    public void Text_without_the_token_is_the_same_instance()
    {
        var text = "Internal Server Error (sekrit- is not it)";
        Assert.Same(text, new TokenRedactor(Token).Redact(text));
    }

    [Fact]
    public void Every_run_of_eight_is_found_at_every_position_of_a_body()
    {
        // The quick check probes every 5th byte only: each run of the secret, shifted by 0 to 4
        // bytes, must still be found (and the same for the JWT's payload, which is matched whole).
        var redactor = new TokenRedactor(Token);
        var jwt = new TokenRedactor(Jwt);
        for (var shift = 0; shift < 5; shift++)
        {
            for (var offset = 0; offset + 8 <= Token.Length; offset++)
            {
                var body = Encoding.UTF8.GetBytes("{\"d\":\"" + new string(' ', shift) + Token.Substring(offset, 8) + "\"}");
                Assert.Equal(new string(' ', shift) + P, Detail(redactor.RedactBody(body)));
            }
            for (var offset = 0; offset + 8 <= JwtSignature.Length; offset++)
            {
                var body = Encoding.UTF8.GetBytes("{\"d\":\"" + new string(' ', shift) + JwtSignature.Substring(offset, 8) + "\"}");
                Assert.Equal(new string(' ', shift) + P, Detail(jwt.RedactBody(body)));
            }
            var payload = Encoding.UTF8.GetBytes("{\"d\":\"" + new string(' ', shift) + JwtPayload + "\"}");
            Assert.Equal(new string(' ', shift) + P, Detail(jwt.RedactBody(payload)));
        }
    }

    [Fact]
    public void A_token_shorter_than_a_run_is_matched_whole_only()
    {
        var redactor = new TokenRedactor("Ab3dE9");
        Assert.Equal("x" + P + "y", redactor.Redact("xab3de9y"));
        Assert.Equal("Ab3dE and b3dE9 stay", redactor.Redact("Ab3dE and b3dE9 stay"));
    }

    [Fact]
    public void A_token_that_is_not_ASCII_is_still_matched_whole_and_by_runs()
    {
        var redactor = new TokenRedactor("sekrit-T\u00f6k\u00e9n-123");
        Assert.Equal("x " + P + " y", Detail(redactor.RedactBody(Encoding.UTF8.GetBytes("{\"d\":\"x SEKRIT-T\u00f6k\u00e9n-123 y\"}"))));
        Assert.Equal("cut " + P, redactor.Redact("cut T\u00f6k\u00e9n-123"));
        Assert.Equal("seven \u00f6k\u00e9n-12 stays", redactor.Redact("seven \u00f6k\u00e9n-12 stays"));
    }

    // ---- Bodies: what a person sees is the decoded text of every string ----

    [Fact]
    public void A_PHP_body_that_writes_slashes_as_backslash_slash_is_redacted()
    {
        var redacted = RedactBody(Token, "{\"detail\":\"Bearer sekrit-TOKEN\\/123+x was refused\"}");
        Assert.Equal("Bearer " + P + " was refused", Detail(redacted));
    }

    [Fact]
    public void A_token_written_entirely_in_unicode_escapes_is_redacted()
    {
        var escaped = string.Concat(Token.Select(c => $"\\u{(int)c:x4}"));
        var redacted = RedactBody(Token, "{\"detail\":\"Bearer " + escaped + "\"}");
        Assert.Equal("Bearer " + P, Detail(redacted));
    }

    [Fact]
    public void The_token_without_its_first_three_characters_is_redacted_in_a_200_item()
    {
        var redacted = RedactBody(Token, "[{\"unique_id\":\"a\",\"video_url\":\"https://x/a.mp4?k=" + Token.Substring(3) + "\"}]");
        Assert.Equal("https://x/a.mp4?k=" + P, Item(redacted, "video_url"));
        Assert.Equal("a", Item(redacted, "unique_id"));
    }

    [Fact]
    public void A_token_split_in_two_halves_across_two_fields_is_redacted_in_both()
    {
        var (first, second) = (Token.Substring(0, 9), Token.Substring(9)); // 9 characters each
        var redacted = RedactBody(Token, "[{\"unique_id\":\"" + first + "\",\"smart_url\":\"https://x/s/" + second + "\"}]");
        Assert.Equal(P, Item(redacted, "unique_id"));
        Assert.Equal("https://x/s/" + P, Item(redacted, "smart_url"));
    }

    [Fact]
    public void Mixed_case_in_a_200_items_field_is_redacted()
    {
        var redacted = RedactBody(Token, "[{\"unique_id\":\"a\",\"video_url\":\"https://x/a.mp4?echo=Bearer SeKrIt-ToKeN/123+X\"}]");
        Assert.Equal("https://x/a.mp4?echo=Bearer " + P, Item(redacted, "video_url"));
    }

    [Fact]
    public void A_URL_encoded_token_inside_a_JSON_string_is_redacted()
    {
        var redacted = RedactBody(Token, "{\"detail\":\"GET /x?auth=Bearer%20sekrit-TOKEN%2F123%2Bx failed\"}");
        Assert.Equal("GET /x?auth=Bearer%20" + P + " failed", Detail(redacted));
    }

    [Fact]
    public void A_JSON_escaped_token_inside_a_decoded_string_is_redacted()
    {
        // The service encoded its own JSON twice: the detail's text is itself JSON, with the token escaped in it.
        var inner = JsonSerializer.Serialize(new { auth = Token }); // {"auth":"sekrit-TOKEN/123\u002Bx"}
        Assert.Contains("\\u002B", inner);
        var redacted = RedactBody(Token, JsonSerializer.Serialize(new { detail = inner }));
        Assert.Equal("{\"auth\":\"" + P + "\"}", Detail(redacted));
    }

    [Theory]
    [InlineData("")]
    [InlineData("x")]
    [InlineData("xy")]
    public void Base64_of_the_authorization_header_in_an_error_detail_is_redacted_at_each_alignment(string before)
    {
        var line = before + "Authorization: Bearer " + Token;
        var encoded = Convert.ToBase64String(Encoding.UTF8.GetBytes(line));
        var redacted = Detail(RedactBody(Token, "{\"detail\":\"request was " + encoded + "\"}"));

        // From the first character that only "Bearer <token>" sets to the last one the token sets fully:
        // one placeholder; the characters that mix in the neighbours' bits stay.
        var bearerAt = Encoding.UTF8.GetByteCount(before + "Authorization: ");
        var start = (8 * bearerAt + 5) / 6;
        var end = 8 * Encoding.UTF8.GetByteCount(line) / 6;
        Assert.Equal("request was " + encoded.Substring(0, start) + P + encoded.Substring(end), redacted);
    }

    [Theory]
    [InlineData("")]
    [InlineData("k")]
    [InlineData("ke")]
    public void Base64_of_the_token_alone_inside_longer_text_is_redacted_at_each_alignment(string before)
    {
        var line = before + "token=" + Token + ";";
        var encoded = Convert.ToBase64String(Encoding.UTF8.GetBytes(line));
        var redacted = new TokenRedactor(Token).Redact(encoded);

        var tokenAt = Encoding.UTF8.GetByteCount(before + "token=");
        var start = (8 * tokenAt + 5) / 6;
        var end = 8 * (tokenAt + Token.Length) / 6;
        Assert.Equal(encoded.Substring(0, start) + P + encoded.Substring(end), redacted);
    }

    [Fact]
    public void Base64url_of_the_authorization_header_is_redacted()
    {
        const string token = "gan~key>>??sekrit~~99";
        var standard = Convert.ToBase64String(Encoding.UTF8.GetBytes("Authorization: Bearer " + token));
        var url = standard.TrimEnd('=').Replace('+', '-').Replace('/', '_');
        Assert.NotEqual(standard.TrimEnd('='), url); // the two alphabets differ for this token
        var redacted = new TokenRedactor(token).Redact("h=" + url);
        Assert.StartsWith("h=" + url.Substring(0, 20) + P, redacted); // "Authorization: " is 15 bytes: 20 characters
        Assert.True(redacted.Length <= "h=".Length + 20 + P.Length + 2, redacted);
    }

    [Fact]
    public void A_property_name_that_holds_the_token_is_redacted()
    {
        var redacted = RedactBody(Token, "{\"sekrit-TOKEN/123+x\":1}");
        Assert.Equal("{\"" + P + "\":1}", Encoding.UTF8.GetString(redacted));
    }

    [Fact]
    public void An_HTML_error_page_is_redacted_as_text()
    {
        var redacted = RedactBody(Token, "<html><body><p>Authorization: Bearer SEKRIT-token/123+x</p></body></html>");
        Assert.Equal("<html><body><p>Authorization: Bearer " + P + "</p></body></html>", Encoding.UTF8.GetString(redacted));
    }

    [Fact]
    public void A_string_that_does_not_decode_cleanly_is_still_redacted()
    {
        // A lone surrogate escape: GetString would throw on it; the string is read anyway.
        var redacted = RedactBody(Token, "{\"detail\":\"\\ud800 Bearer sekrit-TOKEN\\/123+x\"}");
        Assert.Equal("\uFFFD Bearer " + P, Detail(redacted));
    }

    // ---- A JWT as the token ----

    [Fact]
    public void A_whole_JWT_is_one_placeholder()
    {
        Assert.Equal("Bearer " + P + " was refused", new TokenRedactor(Jwt).Redact("Bearer " + Jwt + " was refused"));
    }

    [Fact]
    public void A_JWTs_signature_alone_is_redacted_and_so_is_a_run_of_eight_of_it()
    {
        var redactor = new TokenRedactor(Jwt);
        Assert.Equal("sig=" + P, redactor.Redact("sig=" + JwtSignature));
        Assert.Equal("part=" + P + "!", redactor.Redact("part=" + JwtSignature.Substring(10, 8) + "!"));
    }

    [Fact]
    public void A_seven_character_run_of_the_secret_stays()
    {
        var text = "part=" + JwtSignature.Substring(10, 7) + "!";
        Assert.Same(text, new TokenRedactor(Jwt).Redact(text));
        var body = Encoding.UTF8.GetBytes("{\"detail\":\"" + Token.Substring(5, 7) + "\"}");
        Assert.Same(body, new TokenRedactor(Token).RedactBody(body));
    }

    [Fact]
    public void A_JWTs_payload_alone_is_redacted()
    {
        Assert.Equal("claims=" + P, new TokenRedactor(Jwt).Redact("claims=" + JwtPayload));
    }

    [Fact]
    public void A_JWTs_header_alone_is_not_redacted()
    {
        var text = "header=" + JwtHeader;
        Assert.Same(text, new TokenRedactor(Jwt).Redact(text));
    }

    [Fact]
    public void A_CDN_URL_that_carries_another_JWT_survives_byte_for_byte()
    {
        var body = Encoding.UTF8.GetBytes(
            "[{\"unique_id\":\"a\",\"video_url\":\"https://cdn.example/v/a.mp4?token=" + OtherJwt + "\"," +
            "\"thumbnail_url\":\"https://cdn.example/v/a.jpg?token=" + OtherJwt + "&size=<320>+\"}]");
        Assert.Same(body, new TokenRedactor(Jwt).RedactBody(body));
    }

    // ---- What is kept ----

    [Fact]
    public void A_body_without_the_token_is_returned_as_the_same_array()
    {
        var body = BulkAnswer(100, echo: null);
        Assert.Same(body, new TokenRedactor(Token).RedactBody(body));
        Assert.Same(body, new TokenRedactor(Jwt).RedactBody(body));
    }

    [Fact]
    public void A_body_with_escapes_but_without_the_token_is_decoded_and_returned_as_the_same_array()
    {
        // A backslash sends the body to be decoded (an escape could hide the token); nothing found, nothing changes.
        var body = Encoding.UTF8.GetBytes(Encoding.UTF8.GetString(BulkAnswer(10, echo: null)).Replace("/", "\\/"));
        Assert.Same(body, new TokenRedactor(Token).RedactBody(body));
        Assert.Same(body, new TokenRedactor(Jwt).RedactBody(body));
    }

    [Fact]
    public void A_body_with_the_token_stays_JSON_with_every_other_byte_as_it_was()
    {
        var body = BulkAnswer(3, echo: "Bearer " + Token);
        var redacted = new TokenRedactor(Token).RedactBody(body);

        // Only the echoing strings changed; URLs keep their '+', '&' and '<' unescaped, numbers their form.
        var expected = Encoding.UTF8.GetString(body).Replace("Bearer " + Token, "Bearer " + P);
        Assert.Equal(expected, Encoding.UTF8.GetString(redacted));
        using var parsed = JsonDocument.Parse(redacted);
        Assert.Equal(3, parsed.RootElement.GetArrayLength());
        Assert.Equal("https://x/row-1.jpg?a=1&b=<2>+3", parsed.RootElement[1].GetProperty("thumbnail_url").GetString());
    }

    [Fact]
    public void An_empty_token_redacts_nothing()
    {
        var body = Encoding.UTF8.GetBytes("{\"detail\":\"x\"}");
        Assert.Same(body, new TokenRedactor("").RedactBody(body));
    }

    // ---- Where it is used ----

    [Fact]
    public async Task Every_answer_through_the_client_is_redacted_success_or_not()
    {
        // A 200's body in mixed case: the old quick check looked only for as-written, upper and lower case.
        using var handler = new FixedAnswer(HttpStatusCode.OK, "OK for bEaReR sEkRiT-tOkEn/123+X",
            "[{\"unique_id\":\"a\",\"video_url\":\"https://x/a.mp4?echo=sEkRiT-tOkEn/123+X\"}]");
        var client = new GanApiClient(new Uri("http://127.0.0.1:9/"), SecureText.Protect(Token), handler);
        var answer = await client.SendAsync(HttpMethod.Get, "projects", null, CancellationToken.None);
        Assert.Equal("OK for bEaReR " + P, answer.ReasonPhrase);
        Assert.Equal("https://x/a.mp4?echo=" + P, Item(answer.Body, "video_url"));
    }

    private static byte[] RedactBody(string token, string json) => new TokenRedactor(token).RedactBody(Encoding.UTF8.GetBytes(json));

    private static string? Detail(byte[] body)
    {
        using var parsed = JsonDocument.Parse(body);
        var root = parsed.RootElement;
        return (root.TryGetProperty("detail", out var detail) ? detail : root.GetProperty("d")).GetString();
    }

    private static string? Item(byte[] body, string name)
    {
        using var parsed = JsonDocument.Parse(body);
        return parsed.RootElement[0].GetProperty(name).GetString();
    }

    /// <summary>A bulk answer as FastAPI writes it (nothing escaped that JSON does not require), optionally echoing in every video_url.</summary>
    private static byte[] BulkAnswer(int rows, string? echo)
    {
        var json = new StringBuilder("[");
        for (var i = 0; i < rows; i++)
        {
            if (i > 0) json.Append(", ");
            var id = $"{i:x8}-7d2c-4b1e-9a4f-0c5e8b2d{i:x4}";
            json.Append("{\"video_url\": \"https://x/row-").Append(i).Append(".mp4").Append(echo is null ? "" : "?echo=" + echo).Append("\", ")
                .Append("\"audio_url\": \"https://x/row-").Append(i).Append(".mp3\", ")
                .Append("\"inference_id\": \"").Append(id).Append("\", \"project_id\": \"demo\", ")
                .Append("\"unique_id\": \"row-").Append(i).Append("\", \"credits\": 1.50e0, ")
                .Append("\"smart_url\": \"https://x/share/").Append(id).Append("\", ")
                .Append("\"permalink\": \"https://x/p/").Append(id).Append("\", ")
                .Append("\"thumbnail_url\": \"https://x/row-").Append(i).Append(".jpg?a=1&b=<2>+3\"}");
        }
        return Encoding.UTF8.GetBytes(json.Append(']').ToString());
    }

    private sealed class FixedAnswer : HttpMessageHandler
    {
        private readonly HttpStatusCode _status;
        private readonly string _reason;
        private readonly string _body;

        public FixedAnswer(HttpStatusCode status, string reason, string body) => (_status, _reason, _body) = (status, reason, body);

        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken) =>
            Task.FromResult(new HttpResponseMessage(_status) { ReasonPhrase = _reason, Content = new ByteArrayContent(Encoding.UTF8.GetBytes(_body)) });
    }
}
