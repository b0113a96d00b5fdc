using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using GanAi.Emulator;

namespace GanAi.Core.Tests;

/// <summary>The emulator's faults, each seen over real HTTP as a client sees it (a plain HttpClient, no GanAi code in between).</summary>
public class EmulatorFaultTests
{
    // A token with what escaping and splitting act on: "/" (PHP's "\/"), "+" (System.Text.Json's \u002B).
    private const string SlashedToken = "abc/def+ghi-jkl/mno";

    // A CDN's own signed token (a JWT's shape): redacting the API token must leave it whole.
    private const string Jwt = "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJjZG4ifQ.c2lnbmF0dXJlLV8";

    [Theory]
    [InlineData(5, 402, 3)]
    [InlineData(4, 503, 2)]
    [InlineData(1, 400, 1)]
    public async Task Partial_create_makes_the_first_half_pays_for_those_only_and_answers_its_status(int items, int status, int made)
    {
        await using var emulator = await RunningEmulator.StartAsync(o => o.Faults = new FaultSettings { PartialCreateRate = 1, PartialCreateStatus = status });
        var answer = await PostBulkAsync(emulator, items);

        Assert.Equal(status, (int)answer.Status);
        using var body = JsonDocument.Parse(answer.Body);
        var detail = body.RootElement.GetProperty("detail").GetString()!;
        Assert.Contains($"made {made} of {items} videos", detail);
        if (status == 402) Assert.StartsWith("Not enough credits: ", detail);
        var state = emulator.App.State;
        Assert.Equal(Enumerable.Range(1, made).Select(i => "u" + i), state.CreatedIds("demo").Select(c => c.UniqueId).Order(StringComparer.Ordinal));
        Assert.All(state.CreatedIds("demo"), c => Assert.Equal(1, c.Count));
        Assert.Equal(made, state.Stats().RowsCreated);
        Assert.Equal(made, state.FindProject("demo")!.UtilisedCredits);
    }

    [Fact]
    public async Task Shared_inference_id_names_the_first_videos_id_in_every_item_while_each_item_is_still_made()
    {
        await using var emulator = await RunningEmulator.StartAsync(o => o.Faults = new FaultSettings { SharedInferenceIdRate = 1 });
        var items = await PostBulkItemsAsync(emulator, 3);

        var made = emulator.App.State.Videos("demo").Select(v => v.InferenceId).ToList();
        Assert.Equal(3, made.Distinct().Count());
        var first = items[0].GetProperty("inference_id").GetString();
        Assert.Contains(first, made);
        Assert.All(items, item => Assert.Equal(first, item.GetProperty("inference_id").GetString()));
        // Only the inference_id is wrong: each item's URLs are its own video's.
        Assert.Equal(3, items.Select(item => item.GetProperty("video_url").GetString()).Distinct().Count());
        Assert.Equal(new[] { "u1", "u2", "u3" }, items.Select(item => item.GetProperty("unique_id").GetString()));
    }

    [Fact]
    public async Task Foreign_project_id_names_another_project_in_every_item_of_videos_made_in_the_one_asked()
    {
        await using var emulator = await RunningEmulator.StartAsync(o => o.Faults = new FaultSettings { ForeignProjectIdRate = 1 });
        var items = await PostBulkItemsAsync(emulator, 3);

        Assert.Equal(3, items.Count);
        Assert.All(items, item => Assert.Equal("another-project", item.GetProperty("project_id").GetString()));
        Assert.Equal(3, emulator.App.State.Videos("demo").Count());
    }

    [Theory]
    [InlineData("", null)]
    [InlineData(null, "1")]
    [InlineData("3600", "3600")]
    public async Task Too_many_requests_sends_the_retry_after_asked_and_none_for_an_empty_one(string? retryAfter, string? expected)
    {
        await using var emulator = await RunningEmulator.StartAsync(o => o.Faults = new FaultSettings { TooManyRequestsRate = 1, RetryAfter = retryAfter });
        var answer = await PostBulkAsync(emulator, 1);

        Assert.Equal(HttpStatusCode.TooManyRequests, answer.Status);
        if (expected is null) Assert.False(answer.Headers.Contains("Retry-After"));
        else Assert.Equal(expected, Assert.Single(answer.Headers.GetValues("Retry-After")));
    }

    [Theory]
    [InlineData("", false)]
    [InlineData(null, true)]
    public async Task The_rate_limiters_429s_carry_no_retry_after_when_it_is_empty(string? retryAfter, bool sent)
    {
        // One request a second: of five at once, most are refused however slow the machine.
        await using var emulator = await RunningEmulator.StartAsync(o => o.Faults = new FaultSettings { RateLimit = 1, RetryAfter = retryAfter });
        var answers = await Task.WhenAll(Enumerable.Range(0, 5).Select(_ => PostBulkAsync(emulator, 1)));

        var refused = answers.Where(a => a.Status == HttpStatusCode.TooManyRequests).ToList();
        Assert.NotEmpty(refused);
        Assert.All(refused, a => Assert.Equal(sent, a.Headers.Contains("Retry-After")));
    }

    [Fact]
    public async Task Cdn_token_is_appended_to_every_video_url_as_given()
    {
        await using var emulator = await RunningEmulator.StartAsync(o => o.Faults = new FaultSettings { CdnToken = Jwt });
        var items = await PostBulkItemsAsync(emulator, 2);

        Assert.All(items, item =>
        {
            Assert.EndsWith(".mp4?token=" + Jwt, item.GetProperty("video_url").GetString());
            Assert.DoesNotContain("?", item.GetProperty("thumbnail_url").GetString());
        });
    }

    [Theory]
    [InlineData("errorRate", new[] { 500, 502, 503 })]
    [InlineData("rejectToken", new[] { 401 })]
    [InlineData("partialCreate", new[] { 402 })]
    public async Task Echo_authorization_writes_every_form_of_the_token_into_an_error_detail(string cause, int[] statuses)
    {
        var faults = new FaultSettings { EchoAuthorization = true };
        faults = cause switch
        {
            "errorRate" => faults with { ErrorRate = 1 },
            "rejectToken" => faults with { RejectToken = true },
            _ => faults with { PartialCreateRate = 1 },
        };
        await using var emulator = await RunningEmulator.StartAsync(o =>
        {
            o.Token = SlashedToken;
            o.Faults = faults;
        });
        var answer = await PostBulkAsync(emulator, 1, SlashedToken);

        Assert.Contains((int)answer.Status, statuses);
        Assert.Equal("Failed for Bearer " + SlashedToken, answer.ReasonPhrase);
        var raw = Encoding.UTF8.GetString(answer.Body);
        Assert.Contains("/def+ghi-jkl/mno", raw);                    // without its first 3 characters
        Assert.Contains(@"abc\/def+ghi-jkl\/mno", raw);              // PHP's json_encode
        Assert.Contains(@"\u0061\u0062\u0063\u002F\u0064\u0065\u0066\u002B\u0067\u0068\u0069\u002D\u006A\u006B\u006C\u002F\u006D\u006E\u006F", raw);
        Assert.Contains(Convert.ToBase64String(Encoding.UTF8.GetBytes("Authorization: Bearer " + SlashedToken)), raw);

        // Still valid JSON, with what it always quoted: the header as sent, upper-cased, URL-encoded, cut to 17.
        using var body = JsonDocument.Parse(answer.Body);
        var detail = body.RootElement.GetProperty("detail").GetString()!;
        Assert.Contains("(request had Authorization: Bearer " + SlashedToken + ";", detail);
        Assert.Contains("; as BEARER ABC/DEF+GHI-JKL/MNO;", detail);
        Assert.Contains("; encoded " + Uri.EscapeDataString("Bearer " + SlashedToken) + ";", detail);
        Assert.Contains("; cut Bearer abc/def+gh;", detail);
        // Decoded, the escaped forms are the token itself: as sent, PHP-escaped, every character escaped.
        Assert.Equal(3, CountOf(detail, SlashedToken));
    }

    [Fact]
    public async Task Echo_authorization_splits_mixes_case_and_escapes_the_token_in_a_200s_item_urls()
    {
        await using var emulator = await RunningEmulator.StartAsync(o =>
        {
            o.Token = SlashedToken;
            o.Faults = new FaultSettings { EchoAuthorization = true, CdnToken = Jwt };
        });
        var answer = await PostBulkAsync(emulator, 2, SlashedToken);

        Assert.Equal(HttpStatusCode.OK, answer.Status);
        var raw = Encoding.UTF8.GetString(answer.Body);
        Assert.Equal(2, CountOf(raw, ".jpg?a=abc/def+g\""));
        Assert.Equal(2, CountOf(raw, "?b=hi-jkl/mno\""));
        Assert.Equal(2, CountOf(raw, "?c=AbC/DeF+GhI-JkL/MnO\""));
        Assert.Equal(2, CountOf(raw, @".mp3?d=abc\/def+ghi-jkl\/mno"""));

        using var body = JsonDocument.Parse(answer.Body);
        Assert.All(body.RootElement.EnumerateArray(), item =>
        {
            Assert.EndsWith(".mp4?token=" + Jwt + "&echo=Bearer " + SlashedToken, item.GetProperty("video_url").GetString());
            Assert.EndsWith(".mp3?d=" + SlashedToken, item.GetProperty("audio_url").GetString());
            Assert.EndsWith("?a=abc/def+g", item.GetProperty("thumbnail_url").GetString());
            Assert.EndsWith("?b=hi-jkl/mno", item.GetProperty("smart_url").GetString());
            Assert.EndsWith("?c=AbC/DeF+GhI-JkL/MnO", item.GetProperty("permalink").GetString());
        });
    }

    [Fact]
    public async Task A_client_that_gives_up_during_latency_after_create_leaves_the_videos_made_and_the_handler_ends()
    {
        await using var emulator = await RunningEmulator.StartAsync(o => o.Faults = new FaultSettings { LatencyAfterCreateMs = 3_600_000 });
        using var http = new HttpClient { BaseAddress = emulator.App.BaseUri };
        using var giveUp = new CancellationTokenSource();
        var post = http.SendAsync(BulkRequest(3, EmulatorOptions.DefaultToken), giveUp.Token);

        // The videos are made, and the handler sleeps on the hour: the client gives up.
        Assert.True(await UntilAsync(async () => (await GetJsonAsync(http, "/_emulator/created?project_id=demo")).GetArrayLength() == 3),
            "the emulator made the videos before its latency");
        giveUp.Cancel();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => post);

        // The answer counter counts a request when its handler returns ("0": no answer sent); a
        // handler sleeping out the hour would never be counted.
        var stopwatch = Stopwatch.StartNew();
        Assert.True(await UntilAsync(async () => (await GetJsonAsync(http, "/_emulator/stats")).GetProperty("answers").TryGetProperty("0", out _)),
            "the handler ended once the client had gone");
        Assert.True(stopwatch.Elapsed < TimeSpan.FromSeconds(10), $"it took {stopwatch.Elapsed}");
        var stats = await GetJsonAsync(http, "/_emulator/stats");
        Assert.Equal(1, stats.GetProperty("bulkRequests").GetInt64());
        Assert.Equal(3, stats.GetProperty("rowsCreated").GetInt64());
        Assert.Equal(1, stats.GetProperty("answers").GetProperty("0").GetInt64());
        var created = await GetJsonAsync(http, "/_emulator/created?project_id=demo");
        Assert.Equal(new[] { "u1", "u2", "u3" }, created.EnumerateArray().Select(c => c.GetProperty("uniqueId").GetString()).Order(StringComparer.Ordinal));
    }

    [Theory]
    [InlineData("""{"partialCreateStatus": 200}""", "partialCreateStatus")]
    [InlineData("""{"partialCreateRate": 1.5}""", "partialCreateRate")]
    [InlineData("""{"sharedInferenceIdRate": 1.5}""", "sharedInferenceIdRate")]
    [InlineData("""{"foreignProjectIdRate": -0.5}""", "foreignProjectIdRate")]
    [InlineData("""{"cdnToken": ""}""", "cdnToken")]
    [InlineData("""{"latencyAfterCreateMs": -1}""", "latencyAfterCreateMs")]
    public async Task The_control_api_refuses_a_value_out_of_range_and_keeps_the_faults_it_had(string json, string name)
    {
        await using var emulator = await RunningEmulator.StartAsync();
        using var http = new HttpClient { BaseAddress = emulator.App.BaseUri };
        using var answer = await http.PutAsync("/_emulator/faults", new StringContent(json, Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.BadRequest, answer.StatusCode);
        Assert.Contains(name, await answer.Content.ReadAsStringAsync());
        Assert.Equal(new FaultSettings(), emulator.App.State.Faults);
    }

    [Fact]
    public async Task The_control_api_takes_the_new_faults_an_hours_latency_and_an_empty_retry_after()
    {
        await using var emulator = await RunningEmulator.StartAsync();
        using var http = new HttpClient { BaseAddress = emulator.App.BaseUri };
        const string json = """
            {"partialCreateRate": 0.5, "partialCreateStatus": 599, "sharedInferenceIdRate": 1, "foreignProjectIdRate": 0.25,
             "cdnToken": "a.b.c", "retryAfter": "", "latencyAfterCreateMs": 3600000}
            """;
        using var answer = await http.PutAsync("/_emulator/faults", new StringContent(json, Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.OK, answer.StatusCode);
        Assert.Equal(new FaultSettings
        {
            PartialCreateRate = 0.5, PartialCreateStatus = 599, SharedInferenceIdRate = 1, ForeignProjectIdRate = 0.25,
            CdnToken = "a.b.c", RetryAfter = "", LatencyAfterCreateMs = 3_600_000,
        }, emulator.App.State.Faults);
    }

    [Fact]
    public void Problem_refuses_a_success_status_for_partial_create_and_a_share_above_one()
    {
        Assert.Null(new FaultSettings().Problem());
        Assert.Equal(402, new FaultSettings().PartialCreateStatus);
        Assert.Contains("partialCreateStatus", new FaultSettings { PartialCreateStatus = 200 }.Problem());
        Assert.Contains("partialCreateStatus", new FaultSettings { PartialCreateStatus = 600 }.Problem());
        Assert.Contains("partialCreateRate", new FaultSettings { PartialCreateRate = 1.5 }.Problem());
        Assert.Contains("sharedInferenceIdRate", new FaultSettings { SharedInferenceIdRate = double.NaN }.Problem());
        Assert.Null(new FaultSettings { PartialCreateStatus = 400, RetryAfter = "", CdnToken = "x", LatencyAfterCreateMs = 3_600_000 }.Problem());
    }

    [Fact]
    public void The_command_line_sets_the_new_faults_and_refuses_bad_values()
    {
        var options = EmulatorOptions.Parse(new[]
        {
            "--partial-create-rate", "0.5", "--partial-create-status", "503", "--shared-inference-id-rate", "1",
            "--foreign-project-id-rate", "0.25", "--cdn-token", Jwt, "--retry-after", "", "--latency-after-create-ms", "3600000",
        });
        Assert.Equal(new FaultSettings
        {
            PartialCreateRate = 0.5, PartialCreateStatus = 503, SharedInferenceIdRate = 1, ForeignProjectIdRate = 0.25,
            CdnToken = Jwt, RetryAfter = "", LatencyAfterCreateMs = 3_600_000,
        }, options.Faults);

        Assert.Contains("partialCreateStatus", Assert.Throws<ArgumentException>(() => EmulatorOptions.Parse(new[] { "--partial-create-status", "200" })).Message);
        Assert.Throws<ArgumentException>(() => EmulatorOptions.Parse(new[] { "--shared-inference-id-rate", "1.5" }));
        Assert.Throws<ArgumentException>(() => EmulatorOptions.Parse(new[] { "--foreign-project-id-rate", "-1" }));
        Assert.Throws<ArgumentException>(() => EmulatorOptions.Parse(new[] { "--cdn-token", "" }));
        foreach (var option in new[] { "--partial-create-rate", "--partial-create-status", "--shared-inference-id-rate", "--foreign-project-id-rate", "--cdn-token" })
            Assert.Contains(option + " ", EmulatorOptions.Usage);
    }

    private sealed record Answer(HttpStatusCode Status, string? ReasonPhrase, HttpResponseHeaders Headers, byte[] Body);

    private static HttpRequestMessage BulkRequest(int items, string token)
    {
        var body = "[" + string.Join(",", Enumerable.Range(1, items).Select(i => $$"""{"names":"x","unique_id":"u{{i}}"}""")) + "]";
        var request = new HttpRequestMessage(HttpMethod.Post, "/create_video/bulk?project_id=demo")
        {
            Content = new StringContent(body, Encoding.UTF8, "application/json"),
        };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return request;
    }

    private static async Task<Answer> PostBulkAsync(RunningEmulator emulator, int items, string token = EmulatorOptions.DefaultToken)
    {
        using var http = new HttpClient { BaseAddress = emulator.App.BaseUri };
        using var request = BulkRequest(items, token);
        using var response = await http.SendAsync(request);
        return new Answer(response.StatusCode, response.ReasonPhrase, response.Headers, await response.Content.ReadAsByteArrayAsync());
    }

    private static async Task<List<JsonElement>> PostBulkItemsAsync(RunningEmulator emulator, int items)
    {
        var answer = await PostBulkAsync(emulator, items);
        Assert.Equal(HttpStatusCode.OK, answer.Status);
        using var body = JsonDocument.Parse(answer.Body);
        return body.RootElement.EnumerateArray().Select(item => item.Clone()).ToList();
    }

    private static async Task<JsonElement> GetJsonAsync(HttpClient http, string path)
    {
        using var body = JsonDocument.Parse(await http.GetByteArrayAsync(path));
        return body.RootElement.Clone();
    }

    private static async Task<bool> UntilAsync(Func<Task<bool>> condition)
    {
        var deadline = Stopwatch.StartNew();
        while (deadline.Elapsed < TimeSpan.FromSeconds(10))
        {
            if (await condition()) return true;
            await Task.Delay(50);
        }
        return false;
    }

    private static int CountOf(string text, string part)
    {
        var count = 0;
        for (var at = text.IndexOf(part, StringComparison.Ordinal); at >= 0; at = text.IndexOf(part, at + part.Length, StringComparison.Ordinal)) count++;
        return count;
    }
}
