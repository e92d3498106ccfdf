using System.Text;
using SurveyBackend.Aggregation;
using SurveyBackend.Languages;
using SurveyBackend.Releases;
using SurveyBackend.Reports;
using SurveyBackend.Surveys;

namespace SurveyBackend.Tests.Unit.Mailing;

/// <summary>
/// The report email's size is a property of the renderer: Gmail shows only about the first 102 KB of a message's HTML
/// and clips the rest, so every language variant of the sample survey's email must stay within
/// <see cref="ReportEmailRenderer.EmailHtmlBudget"/>.
/// </summary>
public sealed class ReportEmailSizeTests
{
    private const string PageUrl = "https://reports.example.org/api/reports/AbCdEfGhIjKlMnOpQrStUv";

    public static TheoryData<string> Variants => ["en", "cy", "both"];

    [Theory]
    [MemberData(nameof(Variants))]
    public void SampleReportEmail_At1000Respondents_WithAPreviousWaveAndAPdf_FitsTheBudget(string variant)
    {
        var email = Email(SampleReport(1_000), variant);

        var bytes = Encoding.UTF8.GetByteCount(email.Html);
        Assert.True(bytes <= ReportEmailRenderer.EmailHtmlBudget,
            $"The {variant} email's HTML is {bytes:N0} bytes, over the budget of {ReportEmailRenderer.EmailHtmlBudget:N0} (Gmail clips at about 102 KB).");
    }

    [Theory]
    [MemberData(nameof(Variants))]
    public void SampleReportEmail_KeepsTheLinkTheSummaryTheChangesAndTheUnsubscribeLine_AndDrawsAFewChartsAtMost(string variant)
    {
        var report = SampleReport(1_000);
        var email = Email(report, variant);
        var halves = variant == "both" ? 2 : 1;

        // The link to the full report, as the button and in the closing sentence, per language.
        Assert.True(Count(email.Html, "href=\"" + PageUrl + "?lang=") >= 2 * halves);
        Assert.Equal(halves, Count(email.Html, "<strong>summary</strong>") + Count(email.Html, "<strong>crynodeb</strong>"));
        Assert.Equal(halves, Count(email.Html, "<ol class=\"changes\">"));
        Assert.Equal(halves, Count(email.Html, $"href=\"{ReportEmailRenderer.UnsubscribePlaceholder}\""));
        Assert.Equal(halves, Count(email.Html, "class=\"key-figures\""));
        Assert.InRange(Count(email.Html, "class=\"chart\""), halves, ReportEmailRenderer.MaxEmailCharts * halves);
        Assert.DoesNotContain("<svg", email.Html, StringComparison.Ordinal);
        Assert.Contains(ReportEmailRenderer.UnsubscribePlaceholder, email.Text, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(Variants))]
    public void SampleReportEmail_NamesEachElementOnce_EvenWithBothLanguagesInOneDocument(string variant)
    {
        var email = Email(SampleReport(1_000), variant);

        // An id names one element: a second one breaks aria-labelledby and in-page links for the half it lands in.
        var ids = System.Text.RegularExpressions.Regex.Matches(email.Html, "\\sid=\"([^\"]+)\"").Select(m => m.Groups[1].Value).ToList();
        Assert.NotEmpty(ids);
        Assert.Empty(ids.GroupBy(id => id).Where(g => g.Count() > 1).Select(g => g.Key));
    }

    /// <summary>The email as <c>ReportEmailComposer.Content</c> makes it for each kind of recipient.</summary>
    internal static EmailContent Email(Report report, string variant) => variant switch
    {
        "both" => new ReportEmailRenderer().RenderBilingualEmail(report.In(UiText.Welsh), report, PageUrl),
        _ => new ReportEmailRenderer().RenderEmail(report.In(variant), PageUrl),
    };

    /// <summary>
    /// The shipped sample survey (English and Welsh, its reporting groups, two segments, eleven questions), answered at
    /// random by <paramref name="respondents"/> as the pages benchmark seeds it, with its 2016 wave as the previous wave
    /// (so the changes show), published in both languages with a PDF link, as the benchmark publishes it.
    /// </summary>
    internal static Report SampleReport(int respondents)
    {
        var survey = Languages.WelshPages.Sample();
        var previousParsed = SurveyRules.Parse(
            File.ReadAllBytes(Path.Combine(AppContext.BaseDirectory, "Samples", "social-media-in-local-government-2016.json")), "social-media-in-local-government-2016");
        Assert.True(previousParsed.IsValid);
        var then = previousParsed.Value!;
        var results = ResultsBuilder.Build(survey, RandomCounts(survey, respondents, new Random(respondents)), DateTimeOffset.UnixEpoch);
        var thenResults = ResultsBuilder.Build(then, RandomCounts(then, respondents, new Random(respondents + 1)), DateTimeOffset.UnixEpoch);
        var previous = new PreviousWave(then.Id, then.Title, 1, DateTimeOffset.Parse("2016-12-01T00:00:00Z"), thenResults, ReportingView.Of(then).Definition);
        return new Report("AbCdEfGhIjKlMnOpQrStUv", survey.Id, "Where councils are on the social media journey",
            "## Findings\nMost councils **engage** rather than broadcast; see the charts. The **summary**.",
            DateTimeOffset.Parse("2026-03-01T09:00:00Z"), "https://cdn.example.org/report.pdf", DateTimeOffset.Parse("2026-03-01T08:00:00Z"),
            new ReportSnapshot(results, ReportingView.Of(survey).Definition, 2, DateTimeOffset.Parse("2026-02-28T08:00:00Z"), previous),
            new Dictionary<string, ReportTexts>
            {
                [UiText.Welsh] = new("Ble mae cynghorau ar daith y cyfryngau cymdeithasol",
                    "## Canfyddiadau\nMae'r rhan fwyaf o gynghorau yn **ymgysylltu** yn hytrach na darlledu. Y **crynodeb**."),
            });
    }

    /// <summary>The counters of <paramref name="respondents"/> random answers, chosen as the benchmarks choose them.</summary>
    private static Dictionary<string, IReadOnlyDictionary<string, long>> RandomCounts(SurveyDefinition survey, int respondents, Random random)
    {
        var counts = new Dictionary<string, Dictionary<string, long>>(StringComparer.Ordinal);
        for (var i = 0; i < respondents; i++)
        {
            var answers = new Dictionary<string, IReadOnlyList<string>>(StringComparer.Ordinal);
            foreach (var question in survey.Questions)
            {
                var options = question.ChoosableOptionIds;
                if (question.Type == QuestionType.Single)
                {
                    answers[question.Id] = [options[random.Next(options.Count)]];
                    continue;
                }
                var exclusive = question.Options.Where(o => o.Exclusive).Select(o => o.Id).ToHashSet();
                var chosen = options.Where(o => !exclusive.Contains(o)).Where(_ => random.Next(3) == 0).Take(question.MaxSelections ?? int.MaxValue).ToArray();
                answers[question.Id] = chosen.Length > 0 ? chosen : [options.First(o => !exclusive.Contains(o))];
            }
            foreach (var (scope, counters) in Tally.For(answers, survey.Segments))
            {
                if (!counts.TryGetValue(scope, out var into)) counts[scope] = into = new(StringComparer.Ordinal);
                Tally.Add(into, counters);
            }
        }
        return counts.ToDictionary(c => c.Key, c => (IReadOnlyDictionary<string, long>)c.Value, StringComparer.Ordinal);
    }

    private static int Count(string text, string part) => text.Split(part).Length - 1;
}
