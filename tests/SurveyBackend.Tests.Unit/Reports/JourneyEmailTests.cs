using SurveyBackend.Aggregation;
using SurveyBackend.Journey;
using SurveyBackend.Reports;
using SurveyBackend.Surveys;

namespace SurveyBackend.Tests.Unit.Reports;

/// <summary>The email's key figures name the most common stage only where no stage figure is hidden.</summary>
public sealed class JourneyEmailTests
{
    private static readonly SurveyDefinition Survey = new()
    {
        Id = "j-1", Title = "Journey survey", Status = SurveyStatus.Closed, MinGroupSize = 5,
        Questions = [new Question { Id = "q", Text = "Q?", Type = QuestionType.Single, Options = [new() { Id = "no", Text = "No", Points = 0 }, new() { Id = "yes", Text = "Yes", Points = 1 }] }],
        Journey = new JourneyModel
        {
            Title = "The journey",
            Stages = [new JourneyStage("start", 0, "Starting", "a", "n"), new JourneyStage("far", 50, "Far along", "a", "n")],
        },
    };

    private static string KeyFigures(params OptionResult[] stages)
    {
        var results = new SurveyResults(Survey.Id, 40, DateTimeOffset.UnixEpoch, 5,
            [new QuestionResult("q", 40, [new OptionResult("no", 15, 0.375), new OptionResult("yes", 25, 0.625)]), new QuestionResult(StageQuestion.Id, 40, stages)], []);
        var report = new Report("r", Survey.Id, "T", "S", DateTimeOffset.UnixEpoch, null, DateTimeOffset.UnixEpoch, new ReportSnapshot(results, Survey, 1, DateTimeOffset.UnixEpoch));
        var html = new ReportEmailRenderer().RenderEmail(report, "https://r.example.org/x").Html;
        var start = html.IndexOf("<ul class=\"key-figures\"", StringComparison.Ordinal);
        return html[start..html.IndexOf("</ul>", start, StringComparison.Ordinal)];
    }

    [Fact]
    public void EveryStageShown_NamesTheMostCommon()
    {
        var figures = KeyFigures(new OptionResult("start", 15, 0.375), new OptionResult("far", 25, 0.625));
        Assert.Contains("<strong>Where councils are on the journey</strong><br>Most common stage: &#x201C;Far along&#x201D;, 62.5% (25)</li>", figures);
    }

    [Fact]
    public void AStageHidden_NamesNone_EvenWhenAShownOneIsLarger()
    {
        var figures = KeyFigures(new OptionResult("start", null, null, Suppressed: true), new OptionResult("far", 37, 0.925));
        Assert.Contains("<strong>Where councils are on the journey</strong><br>Most chosen: &#x2013;</li>", figures);
        Assert.DoesNotContain("Far along", figures);
    }
}
