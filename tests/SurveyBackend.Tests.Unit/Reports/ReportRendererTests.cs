using System.Text.RegularExpressions;
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
            ]), Survey, Release: 2, ReleasedAt: DateTimeOffset.Parse("2026-02-01T08:00:00Z")));

    [Fact]
    public void RenderPage_DrawsBarsAsTableCells_WidthsFromShares()
    {
        var html = new ReportPageRenderer().RenderPage(MakeReport());

        Assert.Contains("width=\"90%\" style=\"width:90%;background:#1f4e99", html);
        Assert.Contains("90% (36)", html);
        Assert.Contains("100% (40)", html);
        Assert.Contains("0% (0)", html);
        Assert.Contains(">Other<", html);
        Assert.Contains("more than one answer allowed", html);
        Assert.DoesNotContain("<script", html);
    }

    [Fact]
    public void RenderPage_ComparesEachQuestionAcrossTheShownGroups_AsAnSvgChart_WithATableOfTheSameFigures()
    {
        var html = new ReportPageRenderer().RenderPage(MakeReport());

        // One chart for the one other question; everyone and the shown group Alpha drawn, the hidden group Beta not.
        var svg = Regex.Match(html, "<svg .*?</svg>", RegexOptions.Singleline).Value;
        Assert.Single(Regex.Matches(html, "<svg "));
        Assert.Contains(">Everyone</text>", svg);
        Assert.Contains(">Alpha</text>", svg);
        Assert.DoesNotContain("Beta", svg);
        Assert.Contains("width=\"300\"", svg); // 100% of everyone chose X: a full bar
        Assert.Contains(">100%</text>", svg);
        Assert.Contains(">&#x2013;</text>", svg); // Alpha's hidden Y: a dash, no bar
        Assert.Contains("<p class=\"hidden-groups\">Beta &amp; &lt;b&gt;bold&lt;/b&gt;: &#x2013;</p>", html);
        // The table for screen readers: a row per answer, a column per group, the hidden group as dashes.
        Assert.Contains("<div class=\"sr-only\"><table class=\"benchmark\">", html);
        Assert.Contains("<tr><th scope=\"row\">Other</th><td>30% (12)</td><td>27.8% (10)</td><td class=\"suppressed\">&#x2013;</td></tr>", html);
        Assert.DoesNotContain("overflow-x", html);
    }

    [Fact]
    public void RenderPage_HiddenFigures_ReadTheSameDash_WithOneFootnote_AndNeverFewerThan()
    {
        var html = new ReportPageRenderer().RenderPage(MakeReport());

        // The overall hidden option, the hidden cell in a segment, and the hidden segment row.
        var dash = System.Text.Encodings.Web.HtmlEncoder.Default.Encode(SurveyBackend.Display.DisplayText.Hidden);
        Assert.Contains($">{dash}</td></tr>", html);
        Assert.Contains($"<td class=\"suppressed\">{dash}</td>", html);
        Assert.Contains($"<th scope=\"col\">Beta &amp; &lt;b&gt;bold&lt;/b&gt; ({dash})</th>", html);
        Assert.Contains("27.8% (10)", html);
        Assert.Single(Regex.Matches(html, "Not shown, to protect respondents"));
        Assert.DoesNotContain("fewer", html, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public void ASmallFigureAndOneHiddenToProtectIt_AreRenderedIdentically_OnPageEmailAndCsv()
    {
        // b is small (2); c (8) is hidden only so that b cannot be worked out as answered - a.
        var survey = new SurveyDefinition
        {
            Id = "s-2", Title = "S", Status = SurveyStatus.Closed, MinGroupSize = 5,
            Questions = [new Question { Id = "q", Text = "Q?", Type = QuestionType.Single, Required = true, Options = [new() { Id = "a", Text = "A" }, new() { Id = "b", Text = "B" }, new() { Id = "c", Text = "C" }] }],
        };
        var counts = new Dictionary<string, IReadOnlyDictionary<string, long>>
        {
            [Tally.All] = new Dictionary<string, long> { [Tally.Respondents] = 20, [Tally.Answered("q")] = 20, [Tally.Chose("q", "a")] = 10, [Tally.Chose("q", "b")] = 2, [Tally.Chose("q", "c")] = 8 },
        };
        var results = ResultsBuilder.Build(survey, counts, DateTimeOffset.UnixEpoch);
        Assert.Equal(new int?[] { 10, null, null }, results.Questions[0].Options.Select(o => o.Count));
        var report = new Report("rep2", survey.Id, "T", "S", DateTimeOffset.UnixEpoch, null, DateTimeOffset.UnixEpoch,
            new ReportSnapshot(results, survey, 1, DateTimeOffset.UnixEpoch));
        var html = new ReportPageRenderer().RenderPage(report);
        Assert.Equal(Row(html, "B").Replace(">B<", ">C<", StringComparison.Ordinal), Row(html, "C"));
        var email = new ReportEmailRenderer().RenderEmail(report, "https://r.example.org/x");
        Assert.Contains("  B: –\n", email.Text);
        Assert.Contains("  C: –\n", email.Text);
        // The key figure names only a shown answer, and says it is the most chosen of those shown: B or C might be more.
        Assert.Contains("Most chosen of the answers shown: A, 50% (10)</li>", email.Html);
        Assert.NotEmpty(Row(email.Html, "B"));
        Assert.Equal(Row(email.Html, "B").Replace(">B<", ">C<", StringComparison.Ordinal), Row(email.Html, "C"));
        var csv = ResultsCsv.Write(results, survey, 1).Split("\r\n");
        Assert.Contains("1,,,20,q,Q?,b,B,20,,,true", csv);
        Assert.Contains("1,,,20,q,Q?,c,C,20,,,true", csv);

        static string Row(string html, string label) => Regex.Match(html, $"<tr><td[^>]*>{label}</td>.*?</tr>").Value;
    }

    [Fact]
    public void RenderPageAndEmail_NameTheRelease()
    {
        var report = MakeReport();
        var email = new ReportEmailRenderer().RenderEmail(report, "https://r.example.org/api/reports/rep1");

        Assert.Contains("Release 2, made 1 February 2026.", new ReportPageRenderer().RenderPage(report));
        Assert.Contains("Release 2, made 1 February 2026.", email.Html);
        Assert.Contains("Release 2, made 1 February 2026.", email.Text);
    }

    [Fact]
    public void RenderPage_EncodesTitlesAndWording()
    {
        var html = new ReportPageRenderer().RenderPage(MakeReport(title: "<script>alert(1)</script>"));

        Assert.DoesNotContain("<script>", html);
        Assert.DoesNotContain("<b>bold</b>", html);
        Assert.Contains("&lt;script&gt;", html);
        Assert.Contains("Survey &lt;one&gt;", html);
        Assert.Contains("Use &quot;which&quot;?", html);
    }

    [Fact]
    public void RenderEmail_HasTheLinkKeyFiguresAChartUnsubscribePlaceholderAndPlainText_NoComparisons()
    {
        var email = new ReportEmailRenderer().RenderEmail(MakeReport(), "https://r.example.org/api/reports/rep1");

        Assert.Equal("Title", email.Subject);
        // The full report first, as a button: white on the bar colour.
        Assert.Contains("<td style=\"background:#1f4e99;border-radius:4px;padding:12px 20px\"><a class=\"full-report\" href=\"https://r.example.org/api/reports/rep1\" style=\"color:#ffffff;", email.Html);
        Assert.True(email.Html.IndexOf("class=\"full-report\"", StringComparison.Ordinal) < email.Html.IndexOf("<ul class=\"key-figures\"", StringComparison.Ordinal));
        Assert.Contains("<p style=\"margin:0 0 8px\">Based on 40 responses to &#x201C;Survey &lt;one&gt;&#x201D;.</p>", email.Html);
        // Kind is a segment: a key figure, not a chart. Its hidden Beta is never named as the most chosen.
        Assert.Contains("<strong>Kind?</strong><br>Most chosen of the answers shown: Alpha, 90% (36)</li>", email.Html);
        Assert.Contains("<strong>Use &quot;which&quot;?</strong><br>Most chosen: X, 100% (40)</li>", email.Html);
        Assert.Single(Regex.Matches(email.Html, "class=\"chart\""));
        Assert.Contains("width=\"100%\" style=\"width:100%;background:#1f4e99", email.Html);
        // The comparisons are the page's: a sentence with a link, no SVG and no Outlook conditional comment.
        Assert.DoesNotContain("<svg", email.Html);
        Assert.DoesNotContain("<!--[if", email.Html);
        Assert.Contains("broken down by the answers to &#x201C;Kind?&#x201D;, with every figure in tables, is in the <a href=\"https://r.example.org/api/reports/rep1\" style=\"color:#0b4fa8\">online report</a>.", email.Html);
        Assert.Contains($"href=\"{ReportEmailRenderer.UnsubscribePlaceholder}\"", email.Html);
        Assert.DoesNotContain("class=\"benchmark\"", email.Html);
        Assert.DoesNotContain("<style", email.Html);
        Assert.Contains("  X: 100% (40)", email.Text);
        Assert.Contains("  Beta & <b>bold</b>: –", email.Text);
        Assert.Single(Regex.Matches(email.Text, "Not shown, to protect respondents"));
        Assert.Single(Regex.Matches(email.Html, "Not shown, to protect respondents"));
        Assert.DoesNotContain("fewer", email.Html + email.Text, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("Unsubscribe: " + ReportEmailRenderer.UnsubscribePlaceholder, email.Text);
        Assert.Contains("https://r.example.org/api/reports/rep1", email.Text);
    }

    [Fact]
    public void RenderEmail_DrawsAtMostThreeQuestions_TheFirstThatAreNotSegments_AndEveryQuestionAsAKeyFigure()
    {
        Question Q(string id) => new() { Id = id, Text = id.ToUpperInvariant() + "?", Type = QuestionType.Single, Options = [new() { Id = "a", Text = "A" }, new() { Id = "b", Text = "B" }] };
        var survey = new SurveyDefinition
        {
            Id = "s-5", Title = "S", Status = SurveyStatus.Closed, MinGroupSize = 5, Segments = ["seg"],
            Questions = [Q("seg"), Q("one"), Q("two"), Q("three"), Q("four")],
        };
        var results = new SurveyResults(survey.Id, 20, DateTimeOffset.UnixEpoch, 5,
            [.. survey.Questions.Select(q => new QuestionResult(q.Id, 20, [new OptionResult("a", 12, 0.6), new OptionResult("b", 8, 0.4)]))], []);
        var report = new Report("rep5", survey.Id, "T", "S", DateTimeOffset.UnixEpoch, null, DateTimeOffset.UnixEpoch, new ReportSnapshot(results, survey, 1, DateTimeOffset.UnixEpoch));

        var html = new ReportEmailRenderer().RenderEmail(report, "https://r.example.org/x").Html;

        Assert.Equal(ReportEmailRenderer.MaxEmailCharts, Regex.Matches(html, "class=\"chart\"").Count);
        Assert.Equal(["ONE?", "TWO?", "THREE?"], Regex.Matches(html, "<h3[^>]*>([^<]*)</h3>").Select(m => m.Groups[1].Value));
        Assert.Equal(5, Regex.Matches(html, "<br>Most chosen: A, 60% \\(12\\)</li>").Count);
        Assert.Contains("Every question&#x2019;s chart, with all its figures, is in the <a href=\"https://r.example.org/x\"", html);
    }

    [Fact]
    public void Csv_FormulaLikeText_IsEscaped_AndSuppressedFiguresEmpty()
    {
        var survey = Survey with { Questions = [Survey.Questions[0] with { Text = "=HYPERLINK(\"http://evil\")" }, Survey.Questions[1]] };
        var report = MakeReport() with { Snapshot = MakeReport().Snapshot with { Survey = survey } };

        var csv = ResultsCsv.Write(report.Snapshot.Results, report.Snapshot.Survey, report.Snapshot.Release);

        Assert.DoesNotContain(",=HYPERLINK", csv);
        Assert.Contains(",kind,\"'=HYPERLINK", csv);
        Assert.Contains(",b,Beta & <b>bold</b>,40,,,true", csv);
        // The hidden group kind=b: every figure empty, marked hidden like any other.
        Assert.Contains("2,kind,b,,use,", csv);
        Assert.Contains(",x,X,,,,true", csv);
    }
}
