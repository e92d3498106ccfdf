using SurveyBackend.Aggregation;
using SurveyBackend.Reports;
using SurveyBackend.Surveys;

namespace SurveyBackend.Tests.Unit.Reports;

public sealed class ReportRendererTests
{
    private static readonly SurveyDefinition Survey = new()
    {
        Id = "s-1",
        Title = "Survey <one>",
        Status = SurveyStatus.Closed,
        Segments = ["kind"],
        MinGroupSize = 5,
        Questions =
        [
            new Question { Id = "kind", Text = "Kind?", Type = QuestionType.Single, Options = [new() { Id = "a", Text = "Alpha" }, new() { Id = "b", Text = "Beta & <b>bold</b>" }] },
            new Question { Id = "use", Text = "Use \"which\"?", Type = QuestionType.Multiple, AllowOther = true, Options = [new() { Id = "x", Text = "X" }, new() { Id = "y", Text = "Y" }] },
        ],
    };

    private static Report MakeReport(string title = "Title", string summary = "Summary") => new(
        "rep1", Survey.Id, title, summary, DateTimeOffset.Parse("2026-03-01T09:00:00Z"), null, DateTimeOffset.Parse("2026-02-01T09:00:00Z"),
        new ReportSnapshot(new SurveyResults(Survey.Id, 40, DateTimeOffset.UtcNow, 5,
            [
                new QuestionResult("kind", 40, [new OptionResult("a", 36, 0.9), new OptionResult("b", null, null, true)]),
                new QuestionResult("use", 40, [new OptionResult("x", 40, 1.0), new OptionResult("y", 0, 0), new OptionResult("other", 12, 0.3)]),
            ],
            [
                new SegmentResult("kind", "a", 36, [new QuestionResult("use", 36, [new OptionResult("x", 36, 1.0), new OptionResult("y", null, null, true), new OptionResult("other", 10, 0.2778)])]),
                new SegmentResult("kind", "b", null, null, true),
            ]), Survey));

    [Fact]
    public void RenderPage_DrawsBarsAsTableCells_WidthsFromShares()
    {
        var html = new ReportRenderer().RenderPage(MakeReport());

        Assert.Contains("width=\"90%\" style=\"width:90%;background:#1f4e99", html);
        Assert.Contains("90% (36)", html);
        Assert.Contains("100% (40)", html);
        Assert.Contains("0% (0)", html);
        Assert.Contains(">Other<", html);
        Assert.Contains("more than one answer allowed", html);
        Assert.DoesNotContain("<script", html);
        Assert.DoesNotContain("<svg", html);
    }

    [Fact]
    public void RenderPage_SuppressedFigures_ReadFewerThanN()
    {
        var html = new ReportRenderer().RenderPage(MakeReport());

        // The overall suppressed option, the suppressed cell in a segment, and the suppressed segment row.
        Assert.Contains(">fewer than 5</td>", html);
        Assert.Contains("<td class=\"suppressed\">fewer than 5</td>", html);
        Assert.Contains("colspan=\"4\">fewer than 5 respondents</td>", html);
        Assert.Contains("27.8% (10)", html);
    }

    [Fact]
    public void RenderPage_EncodesTitlesAndWording()
    {
        var html = new ReportRenderer().RenderPage(MakeReport(title: "<script>alert(1)</script>"));

        Assert.DoesNotContain("<script>", html);
        Assert.DoesNotContain("<b>bold</b>", html);
        Assert.Contains("&lt;script&gt;", html);
        Assert.Contains("Survey &lt;one&gt;", html);
        Assert.Contains("Use &quot;which&quot;?", html);
    }

    [Fact]
    public void RenderEmail_HasChartsUnsubscribePlaceholderAndPlainText_NoBenchmarkTables()
    {
        var email = new ReportRenderer().RenderEmail(MakeReport(), "https://r.example.org/api/reports/rep1");

        Assert.Equal("Title", email.Subject);
        Assert.Contains("background:#1f4e99", email.Html);
        Assert.Contains($"href=\"{ReportRenderer.UnsubscribePlaceholder}\"", email.Html);
        Assert.DoesNotContain("class=\"benchmark\"", email.Html);
        Assert.DoesNotContain("<style", email.Html);
        Assert.Contains("online report", email.Html);
        Assert.Contains("  X: 100% (40)", email.Text);
        Assert.Contains("  Beta & <b>bold</b>: fewer than 5", email.Text);
        Assert.Contains("Unsubscribe: " + ReportRenderer.UnsubscribePlaceholder, email.Text);
        Assert.Contains("https://r.example.org/api/reports/rep1", email.Text);
    }

    [Fact]
    public void Csv_FormulaLikeText_IsEscaped_AndSuppressedFiguresEmpty()
    {
        var survey = Survey with { Questions = [Survey.Questions[0] with { Text = "=HYPERLINK(\"http://evil\")" }, Survey.Questions[1]] };
        var report = MakeReport() with { Snapshot = MakeReport().Snapshot with { Survey = survey } };

        var csv = ReportCsv.Write(report);

        Assert.DoesNotContain(",=HYPERLINK", csv);
        Assert.Contains(",,kind,\"'=HYPERLINK", csv);
        Assert.Contains(",,kind,", csv);
        Assert.Contains("kind,b,use,", csv);
        Assert.Contains(",b,Beta & <b>bold</b>,40,40,,,true", csv);
    }
}
