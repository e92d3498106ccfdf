using System.Net;
using System.Text.RegularExpressions;

namespace SurveyBackend.Tests.Integration.Reports;

[Collection(ReportsCollection.Name)]
public sealed class ReportPageTests(ReportsStack stack)
{
    [Fact]
    public async Task ReportPage_ShowsSummaryChartsAndBenchmarks_HiddenFiguresAlike_AndNamesTheRelease()
    {
        var survey = await stack.PutSurveyAsync("page");
        var reportId = await stack.PublishAsync(survey.Id, title: "Where councils are", summary: "## Key findings\n\nMost councils use **two or more** channels.",
            reportUrl: "https://cdn.example.org/report.pdf");

        using var response = await stack.Host.Client.GetAsync($"api/reports/{reportId}");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/html", response.Content.Headers.ContentType?.MediaType);
        Assert.Contains("default-src 'none'", response.Headers.GetValues("Content-Security-Policy").Single());
        var html = await response.Content.ReadAsStringAsync();

        Assert.Contains("<h1>Where councils are</h1>", html);
        Assert.Contains("<h2>Key findings</h2>", html);
        Assert.Contains("<strong>two or more</strong>", html);
        Assert.Contains("href=\"https://cdn.example.org/report.pdf\"", html);
        Assert.Contains($"href=\"{reportId}/results.csv\"", html);
        Assert.DoesNotContain("<script", html, StringComparison.OrdinalIgnoreCase);
        // A chart per question: the first option of organisationType is 60 of 120, a half-width bar.
        foreach (var question in survey.Questions) Assert.Contains(System.Text.Encodings.Web.HtmlEncoder.Default.Encode(question.Text), html);
        Assert.Contains("50% (60)", html);
        Assert.Matches("width=\"50%\" style=\"width:50%;background:#1f4e99", html);
        // Comparisons for both segments, an SVG chart and a table per other question; a hidden group and hidden cells
        // read the same dash, with one footnote.
        Assert.Contains("By: " + System.Text.Encodings.Web.HtmlEncoder.Default.Encode(survey.FindQuestion("organisationType")!.Text), html);
        Assert.Contains("By: " + System.Text.Encodings.Web.HtmlEncoder.Default.Encode(survey.FindQuestion("region")!.Text), html);
        // And the journey's: everyone and by each segment question (docs/journey.md).
        Assert.Equal(2 * (survey.Questions.Count - 1) + 3, Regex.Count(html, "<svg "));
        Assert.Equal(2 * (survey.Questions.Count - 1) + 2, Regex.Count(html, "<div class=\"sr-only\"><table class=\"benchmark\">"));
        Assert.Contains("<section id=\"journey\" aria-labelledby=\"journey-heading\">", html);
        var dash = System.Text.Encodings.Web.HtmlEncoder.Default.Encode(SurveyBackend.Display.DisplayText.Hidden);
        Assert.True(Regex.Count(html, $"<td class=\"suppressed\">{dash}</td>") > 10, "hidden cells read the dash");
        Assert.Single(Regex.Matches(html, "Not shown, to protect respondents"));
        Assert.DoesNotContain("fewer than", html, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("Release 1, made ", html);
        Assert.DoesNotContain(">null<", html);
    }

    [Fact]
    public async Task ReportPage_EscapesEveryText_AndDisablesRawHtmlAndScriptLinksInTheSummary()
    {
        var survey = await stack.PutSurveyAsync("xss", edit: json =>
        {
            json["questions"]![0]!["text"] = new System.Text.Json.Nodes.JsonObject { ["en"] = "Type <img src=x onerror=alert(1)> & \"quoted\"?", ["cy"] = "Type <img src=x onerror=alert(1)> & \"quoted\"?" };
            json["questions"]![0]!["options"]![0]!["text"] = new System.Text.Json.Nodes.JsonObject { ["en"] = "<script>alert('option')</script>", ["cy"] = "<script>alert('option')</script>" };
        });
        var reportId = await stack.PublishAsync(survey.Id,
            title: "<script>alert('title')</script>",
            summary: "<b onclick=\"x()\">raw</b> and <script>alert(1)</script>\n\n[click](javascript:alert(1)) <javascript:alert(2)>");

        var html = await stack.Host.Client.GetStringAsync($"api/reports/{reportId}");

        Assert.DoesNotContain("<script>", html, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("<img", html, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("<b onclick", html, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("javascript:", html, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("&lt;script&gt;", html);
        Assert.Contains(System.Text.Encodings.Web.HtmlEncoder.Default.Encode("<img src=x onerror=alert(1)>"), html);
    }

    [Fact]
    public async Task ReportPage_UnknownOrMalformedId_Returns404()
    {
        using var unknown = await stack.Host.Client.GetAsync("api/reports/AAAAAAAAAAAAAAAAAAAAAA");
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
        using var odd = await stack.Host.Client.GetAsync("api/reports/a'b");
        Assert.Equal(HttpStatusCode.NotFound, odd.StatusCode);
    }
}
