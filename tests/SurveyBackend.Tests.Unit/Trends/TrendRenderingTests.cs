using System.Text.Encodings.Web;
using System.Text.Json.Nodes;
using SurveyBackend.Aggregation;
using SurveyBackend.Releases;
using SurveyBackend.Reports;
using SurveyBackend.Surveys;

namespace SurveyBackend.Tests.Unit.Trends;

/// <summary>The page, the slides and the benchmark document of a survey with a previous wave carry the same figures.</summary>
public sealed class TrendRenderingTests
{
    private static Question Single(string id, string text, string? comparableWith = null) => new()
    {
        Id = id, Text = text, Type = QuestionType.Single, ComparableWith = comparableWith,
        Options = [new() { Id = "a", Text = "Alpha" }, new() { Id = "b", Text = "Beta" }, new() { Id = "c", Text = "Gamma" }],
    };

    private static readonly SurveyDefinition Now = new()
    {
        Id = "w-2017", Title = "Wave 2017", Status = SurveyStatus.Open, PreviousWave = "w-2016",
        Questions = [Single("stage", "Stage?"), Single("mood", "Mood today?", comparableWith: "previous"), Single("fresh", "Fresh?")],
    };

    private static readonly SurveyDefinition Then = new()
    {
        Id = "w-2016", Title = "Wave 2016", Status = SurveyStatus.Closed,
        Questions = [Single("stage", "Stage?"), Single("mood", "Mood?")],
    };

    private static readonly SurveyResults NowResults = new("w-2017", 100, DateTimeOffset.UnixEpoch, 5,
    [
        new QuestionResult("stage", 100, [new OptionResult("a", 55, 0.55), new OptionResult("b", 45, 0.45), new OptionResult("c", 0, 0)]),
        new QuestionResult("mood", 100, [new OptionResult("a", 30, 0.3), new OptionResult("b", null, null, true), new OptionResult("c", null, null, true)]),
        new QuestionResult("fresh", 100, [new OptionResult("a", 50, 0.5), new OptionResult("b", 25, 0.25), new OptionResult("c", 25, 0.25)]),
    ], []);

    private static readonly SurveyResults ThenResults = new("w-2016", 80, DateTimeOffset.UnixEpoch, 5,
    [
        new QuestionResult("stage", 80, [new OptionResult("a", 33, 0.4125), new OptionResult("b", 47, 0.5875), new OptionResult("c", 0, 0)]),
        new QuestionResult("mood", 80, [new OptionResult("a", 40, 0.5), new OptionResult("b", 40, 0.5), new OptionResult("c", 0, 0)]),
    ], []);

    private static readonly PreviousWave Previous = new("w-2016", "Wave 2016", 1, DateTimeOffset.Parse("2016-12-01T00:00:00Z"), ThenResults, Then);

    private static Report MakeReport(PreviousWave? previous) => new("rep1", Now.Id, "Report", "Summary",
        DateTimeOffset.Parse("2017-12-01T09:00:00Z"), null, DateTimeOffset.Parse("2017-12-01T08:00:00Z"),
        new ReportSnapshot(NowResults, Now, 2, DateTimeOffset.Parse("2017-11-30T00:00:00Z"), previous));

    private static string E(string text) => HtmlEncoder.Default.Encode(text);

    private const string Figure = "border:1px solid #c8ccd2;padding:3px 6px;text-align:left;white-space:nowrap;overflow-wrap:normal";

    [Fact]
    public void Page_ShowsThenNowAndTheChange_ForEachComparableQuestion()
    {
        var html = new ReportPageRenderer().RenderPage(MakeReport(Previous));

        Assert.Contains($"<h2 id=\"changes\">{E(TrendWords.English.SectionHeading)}</h2>", html);
        Assert.Contains(E(TrendWords.English.ComparedWith(Previous)), html);
        // 41.3% (41.25 rounded as shown) then, 55% now: +13.7 points, the difference of the two shown figures.
        Assert.Contains($">Alpha</th><td class=\"figures\" style=\"border:1px solid #c8ccd2;padding:3px 6px;text-align:left;white-space:nowrap;overflow-wrap:normal\">41.3%</td>", html);
        Assert.Contains($">{E("+13.7")}</td>", html);
        // Beta: 58.75% is shown 58.8%, so the change is -13.8 points (not the -13.75 of the unrounded shares).
        Assert.Contains($">{E("\u221213.8")}</td>", html);
        Assert.Contains(">0.0</td>", html); // Gamma: 0% both times
    }

    [Fact]
    public void Page_AChangeWithAHiddenShare_IsADash_AndClaimsNothingMore()
    {
        var html = new ReportPageRenderer().RenderPage(MakeReport(Previous));
        var mood = html[html.IndexOf("<caption style=\"text-align:left;font-weight:600;padding:2px 0\">Mood today?", StringComparison.Ordinal)..];
        mood = mood[..mood.IndexOf("</table>", StringComparison.Ordinal)];

        // Beta is hidden now and shown then: then is shown, now and the change are dashes.
        Assert.Contains($">Beta</th><td class=\"figures\" style=\"{Figure}\">50%</td><td class=\"figures\" style=\"{Figure}\">{E(SurveyBackend.Display.DisplayText.Hidden)}</td><td class=\"figures change\" style=\"{Figure}\">{E(SurveyBackend.Display.DisplayText.Hidden)}</td>", mood);
        Assert.DoesNotContain("fewer", html, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public void Page_MarksRewordedAndNotComparableQuestions()
    {
        var html = new ReportPageRenderer().RenderPage(MakeReport(Previous));

        Assert.Contains(E(TrendWords.English.MarkedComparable), html);
        Assert.Contains(E(TrendWords.English.NotComparable(WaveComparison.NotAskedBefore)), html);
        Assert.Contains($"<li>Fresh? ({E(WaveComparison.NotAskedBefore)})</li>", html);
        // No change table for the question that does not compare.
        Assert.DoesNotContain("Fresh?: ", html);
    }

    [Fact]
    public void Page_RanksTheLargestShownChangesFirst()
    {
        var html = new ReportPageRenderer().RenderPage(MakeReport(Previous));
        var list = html[html.IndexOf("<ol class=\"changes\">", StringComparison.Ordinal)..html.IndexOf("</ol>", StringComparison.Ordinal)];

        // Mood Alpha -20.0, Stage Beta -13.8, Stage Alpha +13.7; nothing hidden, no zero.
        var items = System.Text.RegularExpressions.Regex.Matches(list, "<li>(.*?)</li>").Select(m => m.Groups[1].Value).ToList();
        Assert.Equal(3, items.Count);
        Assert.StartsWith(E("Mood today? — Alpha"), items[0]);
        Assert.Contains(E("50% then, 30% now (\u221220.0 points)"), items[0]);
        Assert.StartsWith(E("Stage? — Beta"), items[1]); // -13.8 before +13.7
        Assert.StartsWith(E("Stage? — Alpha"), items[2]);
    }

    [Fact]
    public void Page_DrawsThePreviousShareAsAMarkerOnEachBar_WhereItIsShown()
    {
        var html = new ReportPageRenderer().RenderPage(MakeReport(Previous));

        Assert.Contains("<span class=\"was\" data-share=\"41.3%\" style=\"left:41.3%\"></span>", html);
        Assert.Contains("<span class=\"was\" data-share=\"50%\" style=\"left:50%\"></span>", html);
        // Two comparable questions of three options each.
        Assert.Equal(6, System.Text.RegularExpressions.Regex.Matches(html, "<span class=\"was\"").Count);
        Assert.Contains(E(TrendWords.English.MarkerLegend), html);
    }

    [Fact]
    public void Page_WithoutAPublicPreviousRelease_SaysSo_AndShowsNoChange()
    {
        var html = new ReportPageRenderer().RenderPage(MakeReport(previous: null));

        Assert.Contains(E(TrendWords.English.NoPublicRelease), html);
        Assert.DoesNotContain("class=\"was\"", html);
        Assert.DoesNotContain("class=\"trend\"", html);
    }

    [Fact]
    public void Page_OfASurveyWithNoPreviousWave_HasNoTrendSection()
    {
        var report = MakeReport(null);
        report = report with { Snapshot = report.Snapshot with { Survey = Now with { PreviousWave = null, Questions = [.. Now.Questions.Select(q => q with { ComparableWith = null })] } } };
        var html = new ReportPageRenderer().RenderPage(report);

        Assert.DoesNotContain("id=\"changes\"", html);
        Assert.DoesNotContain(E(TrendWords.English.NoPublicRelease), html);
    }

    [Fact]
    public void Slides_CarryTheSameChanges_AndMarkers()
    {
        var html = new SlidesRenderer().Render(MakeReport(Previous));

        Assert.Contains("id=\"changes\"", html);
        Assert.Contains(E("Mood today? — Alpha: 50% then, 30% now (\u221220.0 points)."), html);
        Assert.Contains($"<tspan font-weight=\"400\"> ({E("+13.7")})</tspan>", html);
        Assert.Contains("<rect class=\"was\"", html);
        Assert.Contains(E(TrendWords.English.NotComparable(WaveComparison.NotAskedBefore)), html);
        Assert.Contains("aria-label=\"3 of 6\"", html); // title, how to read, what changed, three questions
    }

    [Fact]
    public void Benchmark_AddsPreviousWave_WithTheSameFigures_AndKeepsTheResultsShape()
    {
        var release = new Release("w-2017", 2, 100, DateTimeOffset.Parse("2017-11-30T00:00:00Z"), 2, NowResults);
        var document = JsonNode.Parse(new Benchmark(release, Now, Previous).ToPublicJson())!.AsObject();

        Assert.Equal(2, (int)document["release"]!);
        Assert.Equal(100, (int)document["respondents"]!);
        var wave = document["previousWave"]!;
        Assert.Equal("w-2016", (string)wave["surveyId"]!);
        Assert.Equal(1, (int)wave["release"]!);
        var questions = wave["questions"]!.AsArray();
        Assert.Equal(["same", "markedComparable", "notComparable"], questions.Select(q => (string)q!["comparability"]!));
        var alpha = questions[0]!["options"]![0]!;
        Assert.Equal(0.55, (double)alpha["share"]!);
        Assert.Equal(0.4125, (double)alpha["previousShare"]!);
        Assert.Equal(13.7m, (decimal)alpha["change"]!);
        var hiddenNow = questions[1]!["options"]![1]!;
        Assert.Null(hiddenNow["change"]);
        Assert.True((bool)hiddenNow["suppressed"]!);
        Assert.Equal(WaveComparison.NotAskedBefore, (string)questions[2]!["reason"]!);
        Assert.Null(questions[2]!["options"]);
    }

    [Fact]
    public void Benchmark_WithoutAPreviousWave_IsTheReleaseDocument()
    {
        var release = new Release("w-2017", 2, 100, DateTimeOffset.Parse("2017-11-30T00:00:00Z"), 2, NowResults);
        Assert.Equal(release.ToPublicJson(), new Benchmark(release, null, null).ToPublicJson());
        Assert.Equal("\"w-2017-r2\"", new Benchmark(release, null, null).ETag);
        var named = JsonNode.Parse(new Benchmark(release, Now, null).ToPublicJson())!["previousWave"]!;
        Assert.Null(named["release"]);
        Assert.Empty(named["questions"]!.AsArray());
    }

    [Fact]
    public void Csv_OfAReportWithAPreviousWave_CarriesThePreviousShareAndTheChange_OnTheEveryoneRows()
    {
        var report = MakeReport(Previous);
        var lines = ResultsCsv.Write(report.Snapshot.Results, report.Snapshot.Survey, report.Snapshot.Release, report.Snapshot.Trends()).Split("\r\n", StringSplitOptions.RemoveEmptyEntries);

        Assert.Equal(string.Join(',', [.. ResultsCsv.Header, .. ResultsCsv.TrendHeader]), lines[0]);
        Assert.EndsWith(",stage,Stage?,a,Alpha,100,55,0.55,false,0.413,13.7", lines.Single(l => l.Contains(",stage,Stage?,a,", StringComparison.Ordinal)));
        Assert.EndsWith(",stage,Stage?,b,Beta,100,45,0.45,false,0.588,-13.8", lines.Single(l => l.Contains(",stage,Stage?,b,", StringComparison.Ordinal)));
        // Hidden now: the share and the change are empty; the previous wave's shown share stays.
        Assert.EndsWith(",mood,Mood today?,b,Beta,100,,,true,0.5,", lines.Single(l => l.Contains(",mood,Mood today?,b,", StringComparison.Ordinal)));
        // Not comparable: both empty.
        Assert.EndsWith(",fresh,Fresh?,a,Alpha,100,50,0.5,false,,", lines.Single(l => l.Contains(",fresh,Fresh?,a,", StringComparison.Ordinal)));
        // A report of a survey without a previous wave keeps the old header.
        Assert.Equal(string.Join(',', ResultsCsv.Header), ResultsCsv.Write(NowResults, Now, 2).Split("\r\n")[0]);
    }

    [Fact]
    public void Email_RanksTheLargestChanges_AndCarriesTheChangeTablesOfItsCharts_WithoutMarkers()
    {
        var email = new ReportEmailRenderer().RenderEmail(MakeReport(Previous), "https://example.org/r");

        Assert.Contains($"<h2 id=\"changes-en\">{E(TrendWords.English.SectionHeading)}</h2>", email.Html);
        Assert.Contains("<ol class=\"changes\">", email.Html);
        // Mood changed most (−20 points), then Stage: both drawn, each with its table.
        Assert.Contains($"<caption style=\"text-align:left;font-weight:600;padding:2px 0\">{E(TrendWords.English.TableCaption("Mood today?"))}</caption>", email.Html);
        Assert.Contains($"<caption style=\"text-align:left;font-weight:600;padding:2px 0\">{E(TrendWords.English.TableCaption("Stage?"))}</caption>", email.Html);
        Assert.Contains("class=\"trend\"", email.Html);
        Assert.DoesNotContain("class=\"was\"", email.Html);
        Assert.Contains("Alpha: 55% (55); previous wave 41.3%, change +13.7 points", email.Text);
    }
}
