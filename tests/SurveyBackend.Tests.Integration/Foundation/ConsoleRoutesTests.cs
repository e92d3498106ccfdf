using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using SurveyBackend.Testing;

namespace SurveyBackend.Tests.Integration.Foundation;

/// <summary>The console page and the admin routes only it uses: keys, headers, and figures from the aggregates.</summary>
[Collection(StackCollection.Name)]
public sealed class ConsoleRoutesTests(StackFixture stack)
{
    [Theory]
    [InlineData("GET", "api/admin/surveys")]
    [InlineData("GET", "api/admin/surveys/social-media-in-local-government")]
    [InlineData("GET", "api/admin/surveys/social-media-in-local-government/days")]
    [InlineData("GET", "api/admin/surveys/social-media-in-local-government/reports")]
    [InlineData("POST", "api/admin/summary-preview")]
    public async Task AdminRoutes_WithoutTheKey_Are401(string method, string path)
    {
        using var request = new HttpRequestMessage(new HttpMethod(method), path);
        if (method == "POST") request.Content = JsonContent.Create(new { summary = "x" });
        using var response = await stack.Host.Client.SendAsync(request);
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task ConsolePage_IsStaticWithAStrictPolicy_AndItsAssetsAreServed()
    {
        using var page = await stack.Host.Client.GetAsync("api/console");
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        var policy = string.Join(' ', page.Headers.GetValues("Content-Security-Policy"));
        Assert.Contains("default-src 'none'", policy, StringComparison.Ordinal);
        Assert.Contains("frame-ancestors 'none'", policy, StringComparison.Ordinal);
        Assert.DoesNotContain("unsafe", policy, StringComparison.Ordinal);
        var html = await page.Content.ReadAsStringAsync();
        Assert.DoesNotContain("<script>", html, StringComparison.Ordinal);
        Assert.DoesNotContain("<style>", html, StringComparison.Ordinal);

        foreach (var (path, type) in new[] { ("api/console/console.js", "text/javascript"), ("api/console/console.css", "text/css") })
        {
            using var asset = await stack.Host.Client.GetAsync(path);
            Assert.Equal(HttpStatusCode.OK, asset.StatusCode);
            Assert.Equal(type, asset.Content.Headers.ContentType?.MediaType);
            Assert.Contains(path.Split('/')[^1] + "?v=", html, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task RespondentsPerDay_ComeFromTheAggregates_AndTheSurveyListCountsThem()
    {
        var json = JsonNode.Parse(await File.ReadAllTextAsync(RepoPaths.SampleSurvey))!.AsObject();
        var id = $"days-{Guid.NewGuid():N}"[..20];
        json["id"] = id;
        using (var put = await stack.Host.PutSurveyAsync(id, json.ToJsonString())) Assert.True(put.IsSuccessStatusCode);
        for (var i = 0; i < 3; i++)
        {
            using var posted = await stack.Host.Client.PostAsJsonAsync($"api/surveys/{id}/responses", new
            {
                submissionId = Guid.NewGuid().ToString(),
                answers = new Dictionary<string, object>
                {
                    ["organisationType"] = "county", ["region"] = "wales", ["role"] = "digital", ["channels"] = new[] { "twitter" },
                    ["maturity"] = "engage", ["customerService"] = "no", ["teamSize"] = "none", ["challenge"] = "skills",
                },
            });
            Assert.Equal(HttpStatusCode.Accepted, posted.StatusCode);
        }

        var days = await Eventually.GetAsync(
            async () => (await stack.Host.Admin.GetFromJsonAsync<JsonObject>($"api/admin/surveys/{id}/days"))!,
            d => (long)d["respondents"]! == 3, TimeSpan.FromSeconds(60), "three responses to be counted");
        var today = DateTime.UtcNow.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);
        var only = Assert.Single(days["days"]!.AsArray());
        Assert.Equal(today, (string)only!["day"]!);
        Assert.Equal(3, (long)only["respondents"]!);
        Assert.Equal(0, (long)days["undated"]!);

        var list = (await stack.Host.Admin.GetFromJsonAsync<JsonObject>("api/admin/surveys"))!["surveys"]!.AsArray();
        var listed = Assert.Single(list, s => (string)s!["id"]! == id)!;
        Assert.Equal(3, (long)listed["respondents"]!);
        Assert.Equal("open", (string)listed["status"]!);

        using var unknown = await stack.Host.Admin.GetAsync("api/admin/surveys/no-such-survey/days");
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
    }

    [Fact]
    public async Task SummaryPreview_RendersMarkdownAsTheReportDoes_AndEncodesHtml()
    {
        using var response = await stack.Host.Admin.PostAsJsonAsync("api/admin/summary-preview", new { summary = "**bold** <script>alert(1)</script>" });
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var html = (string)(await response.Content.ReadFromJsonAsync<JsonObject>())!["html"]!;
        Assert.Equal(SurveyBackend.Reports.MarkdownSummary.ToHtml("**bold** <script>alert(1)</script>"), html);
        Assert.Contains("<strong>bold</strong>", html, StringComparison.Ordinal);
        Assert.DoesNotContain("<script>", html, StringComparison.Ordinal);
    }
}
