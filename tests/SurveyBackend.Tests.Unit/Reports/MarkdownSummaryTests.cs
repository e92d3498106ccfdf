using SurveyBackend.Reports;

namespace SurveyBackend.Tests.Unit.Reports;

public sealed class MarkdownSummaryTests
{
    [Fact]
    public void ToHtml_RendersMarkdown()
    {
        var html = MarkdownSummary.ToHtml("## Findings\n\n- **most** councils\n- [the data](https://example.org/data)");

        Assert.Contains("<h2>Findings</h2>", html);
        Assert.Contains("<strong>most</strong>", html);
        Assert.Contains("<a href=\"https://example.org/data\">the data</a>", html);
    }

    [Theory]
    [InlineData("<script>alert(1)</script>", "<script")]
    [InlineData("<img src=x onerror=alert(1)>", "<img")]
    [InlineData("text <b onclick=\"x()\">bold</b>", "<b ")]
    [InlineData("[x](javascript:alert(1))", "javascript:")]
    [InlineData("<javascript:alert(1)>", "javascript:")]
    [InlineData("[x](JaVaScRiPt:alert(1))", "javascript:")]
    [InlineData("![pixel](https://tracker.example.org/p.gif)", "<img")]
    public void ToHtml_RawHtmlAndScriptLinks_NeverComeThrough(string markdown, string forbidden)
    {
        var html = MarkdownSummary.ToHtml(markdown);

        Assert.DoesNotContain(forbidden, html, StringComparison.OrdinalIgnoreCase);
    }
}
