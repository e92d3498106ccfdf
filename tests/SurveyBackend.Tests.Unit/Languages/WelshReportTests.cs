using SurveyBackend.Aggregation;
using SurveyBackend.Languages;
using SurveyBackend.Releases;
using SurveyBackend.Reports;
using SurveyBackend.Surveys;

namespace SurveyBackend.Tests.Unit.Languages;

/// <summary>The report page, the slides and the email of the Welsh sample survey, read in Welsh and in English.</summary>
public class WelshReportTests
{
    private static readonly ReportPageRenderer Page = new();
    private static readonly ReportEmailRenderer Email = new();

    /// <summary>
    /// The sample as reported, with every choosable option chosen by 8 of 40 (enough to show), in all and in the first
    /// group of each segment, and a previous wave (the same definition, other figures) so the trend words show too.
    /// </summary>
    private static Report SampleReport(bool withWelsh = true)
    {
        var survey = ReportingView.Of(WelshPages.Sample()).Definition;
        Dictionary<string, long> Counts(int respondents)
        {
            var counts = new Dictionary<string, long> { [Tally.Respondents] = respondents };
            foreach (var question in survey.Questions)
            {
                counts[Tally.Answered(question.Id)] = respondents;
                foreach (var option in question.ChoosableOptionIds) counts[Tally.Chose(question.Id, option)] = respondents / 5;
            }
            return counts;
        }
        var scopes = new Dictionary<string, IReadOnlyDictionary<string, long>> { [Tally.All] = Counts(40) };
        foreach (var segment in survey.Segments)
            scopes[Tally.SegmentScope(segment, survey.FindQuestion(segment)!.ChoosableOptionIds[0])] = Counts(20);
        var results = ResultsBuilder.Build(survey, scopes, DateTimeOffset.UnixEpoch);
        var then = ResultsBuilder.Build(survey, new Dictionary<string, IReadOnlyDictionary<string, long>> { [Tally.All] = Counts(80) }, DateTimeOffset.UnixEpoch);
        var previous = new PreviousWave("w-2016", "2016", 1, DateTimeOffset.Parse("2016-12-01T00:00:00Z"), then, survey);
        return new Report("rep-cy", survey.Id, "Report <title>", "The **summary**.", DateTimeOffset.Parse("2026-03-01T09:00:00Z"), "https://example.org/r.pdf",
            DateTimeOffset.Parse("2026-02-01T09:00:00Z"), new ReportSnapshot(results, survey, 2, DateTimeOffset.Parse("2026-02-01T08:00:00Z"), previous),
            withWelsh ? new Dictionary<string, ReportTexts> { ["cy"] = new("Adroddiad <teitl>", "Y **crynodeb**.") } : null);
    }

    [Fact]
    public void WelshPage_IsMarkedWelsh_LinksBothVersions_AndShowsNoEnglishUiString()
    {
        var report = SampleReport().In(UiText.Welsh);
        var html = Page.RenderPage(report);

        Assert.Contains("<html lang=\"cy\">", html, StringComparison.Ordinal);
        Assert.Contains("<link rel=\"alternate\" hreflang=\"en\" href=\"rep-cy?lang=en\">", html, StringComparison.Ordinal);
        Assert.Contains("<link rel=\"alternate\" hreflang=\"cy\" href=\"rep-cy?lang=cy\">", html, StringComparison.Ordinal);
        Assert.Contains("<a href=\"rep-cy?lang=en\" hreflang=\"en\" lang=\"en\">English</a>", html, StringComparison.Ordinal);
        Assert.Contains("Adroddiad &lt;teitl&gt;", html, StringComparison.Ordinal);
        Assert.Contains("<strong>crynodeb</strong>", html, StringComparison.Ordinal);
        var decoded = System.Net.WebUtility.HtmlDecode(html);
        Assert.Contains(report.Wording.Questions[0].Text, decoded, StringComparison.Ordinal);
        Assert.NotEqual(report.Snapshot.Survey.Questions[0].Text, report.Wording.Questions[0].Text);
        // The sections the sample has: the change since the previous wave and the comparisons by group.
        Assert.Contains(UiText.For(UiText.Welsh)["trend.heading"], decoded, StringComparison.Ordinal);
        Assert.Contains(UiText.For(UiText.Welsh)["report.benchmarks"], decoded, StringComparison.Ordinal);
        Assert.Empty(WelshPages.EnglishOn(html));
    }

    [Fact]
    public void WelshWording_NamesReportingGroupsInWelsh_ThoughTheyAreReportedAsOptions()
    {
        var welsh = WelshPages.Sample().In(UiText.Welsh);
        var report = SampleReport().In(UiText.Welsh);
        foreach (var (questionId, groups) in welsh.ReportingGroups!)
            foreach (var group in groups)
                Assert.Equal(group.Text, report.Wording.FindQuestion(questionId)!.Options.Single(o => o.Id == group.Id).Text);
    }

    [Fact]
    public void EnglishPage_OfTheSameReport_LinksToWelsh_AndTheEnglishCheckCatchesIt()
    {
        var html = Page.RenderPage(SampleReport().In(UiText.English));

        Assert.Contains("<html lang=\"en\">", html, StringComparison.Ordinal);
        Assert.Contains("<a href=\"rep-cy?lang=cy\" hreflang=\"cy\" lang=\"cy\">Cymraeg</a>", html, StringComparison.Ordinal);
        Assert.Contains(WelshPages.EnglishOn(html), e => e.StartsWith("'What changed since the previous wave'", StringComparison.Ordinal));
    }

    [Fact]
    public void Report_WithoutThePublishersWelsh_IsEnglishOnly_EvenWhenTheSurveyDeclaresWelsh()
    {
        var report = SampleReport(withWelsh: false);
        Assert.Equal([UiText.English], report.Languages);
        var html = Page.RenderPage(report.In(UiText.Welsh));

        Assert.Contains("<html lang=\"en\">", html, StringComparison.Ordinal);
        Assert.DoesNotContain("hreflang", html, StringComparison.Ordinal);
        Assert.DoesNotContain(">Cymraeg<", html, StringComparison.Ordinal);
    }

    [Fact]
    public void WelshSlides_AreMarkedWelsh_LinkBothVersions_AndShowNoEnglishUiString()
    {
        var html = new SlidesRenderer().Render(SampleReport().In(UiText.Welsh));

        Assert.Contains("<html lang=\"cy\">", html, StringComparison.Ordinal);
        Assert.Contains("<link rel=\"alternate\" hreflang=\"en\" href=\"slides?lang=en\">", html, StringComparison.Ordinal);
        Assert.Contains("lang=\"en\">English</a>", html, StringComparison.Ordinal);
        Assert.Contains("data-words=\"Sleid {number} o {count}\"", html, StringComparison.Ordinal);
        Assert.Contains(".svg?lang=cy\"", html, StringComparison.Ordinal);
        Assert.Empty(WelshPages.EnglishOn(html));
    }

    [Fact]
    public void WelshEmail_IsWelsh_InHtmlAndText_AndLinksTheWelshPage()
    {
        var email = Email.RenderEmail(SampleReport().In(UiText.Welsh), "https://r.example.org/api/reports/rep-cy");

        Assert.Equal("Adroddiad <teitl>", email.Subject);
        Assert.Contains("<html lang=\"cy\">", email.Html, StringComparison.Ordinal);
        Assert.Contains("href=\"https://r.example.org/api/reports/rep-cy?lang=cy\"", email.Html, StringComparison.Ordinal);
        Assert.Contains(">Dad-danysgrifio</a>", email.Html, StringComparison.Ordinal);
        Assert.Contains("<a class=\"full-report\" href=\"https://r.example.org/api/reports/rep-cy?lang=cy\"", email.Html, StringComparison.Ordinal);
        Assert.Contains(">Darllenwch yr adroddiad llawn ar-lein</a>", email.Html, StringComparison.Ordinal);
        Assert.Contains(">Ffigurau allweddol</h2>", email.Html, StringComparison.Ordinal);
        Assert.Contains("<br>Dewiswyd amlaf: ", email.Html, StringComparison.Ordinal);
        Assert.Empty(WelshPages.EnglishOn(email.Html));
        Assert.Empty(WelshPages.EnglishOn(System.Net.WebUtility.HtmlEncode(email.Text)));
        Assert.Contains("Dad-danysgrifio: " + ReportEmailRenderer.UnsubscribePlaceholder, email.Text, StringComparison.Ordinal);
    }

    [Fact]
    public void BilingualEmail_IsWelshFirst_ThenEnglishMarkedSo()
    {
        var report = SampleReport();
        var email = Email.RenderBilingualEmail(report.In(UiText.Welsh), report, "https://r.example.org/api/reports/rep-cy");

        Assert.Equal("Adroddiad <teitl> / Report <title>", email.Subject);
        Assert.Contains("<html lang=\"cy\">", email.Html, StringComparison.Ordinal);
        var welsh = email.Html.IndexOf("Diolch am gymryd rhan", StringComparison.Ordinal);
        var english = email.Html.IndexOf("Thank you for taking part", StringComparison.Ordinal);
        Assert.True(welsh > 0 && english > welsh, $"Welsh at {welsh}, English at {english}");
        Assert.True(email.Html.LastIndexOf("<div lang=\"en\">", english, StringComparison.Ordinal) > welsh);
        Assert.True(email.Text.IndexOf("Diolch am gymryd rhan", StringComparison.Ordinal) < email.Text.IndexOf("Thank you for taking part", StringComparison.Ordinal));
        Assert.Equal(2, email.Html.Split(ReportEmailRenderer.UnsubscribePlaceholder).Length - 1);
        // Each half leads with its own button to the page in its language.
        var welshButton = email.Html.IndexOf("<a class=\"full-report\" href=\"https://r.example.org/api/reports/rep-cy?lang=cy\"", StringComparison.Ordinal);
        var englishButton = email.Html.IndexOf("<a class=\"full-report\" href=\"https://r.example.org/api/reports/rep-cy?lang=en\"", StringComparison.Ordinal);
        Assert.True(welsh < welshButton && welshButton < english && english < englishButton, $"buttons at {welshButton} and {englishButton}");
    }

    [Fact]
    public void ReadingInWelsh_ChangesNoFigure_AndTheStoredReportStaysEnglish()
    {
        var report = SampleReport();
        var welsh = report.In(UiText.Welsh);

        Assert.Same(report.Snapshot, welsh.Snapshot);
        Assert.Equal(report.Snapshot.Trends()!.Select(t => t.Comparison.Comparability), welsh.Snapshot.Trends()!.Select(t => t.Comparison.Comparability));
        Assert.Throws<InvalidOperationException>(() => welsh.ToStored());
        var back = Report.FromStored(report.ToStored());
        Assert.Equal("Adroddiad <teitl>", back.In(UiText.Welsh).Title);
        Assert.Equal("Report <title>", back.Title);
    }
}
