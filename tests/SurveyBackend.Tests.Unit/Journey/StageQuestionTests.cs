using SurveyBackend.Aggregation;
using SurveyBackend.Journey;
using SurveyBackend.Surveys;

namespace SurveyBackend.Tests.Unit.Journey;

/// <summary>The stage as counted: the answer to "journey.stage", everyone placed, hidden and summed like any figure.</summary>
public class StageQuestionTests
{
    private static readonly SurveyDefinition Sample = SurveyRules.Parse(
        File.ReadAllBytes(Path.Combine(AppContext.BaseDirectory, "Samples", "social-media-in-local-government.json")), "social-media-in-local-government").Value!;

    private static IReadOnlyDictionary<string, IReadOnlyList<string>> Answers(params (string Question, string[] Options)[] answers) =>
        answers.ToDictionary(a => a.Question, a => (IReadOnlyList<string>)a.Options);

    [Fact]
    public void TheDerivedQuestion_IsSingleOrderedRequired_WithTheStagesInOrder()
    {
        var stage = StageQuestion.Of(Sample)!;
        Assert.Equal("journey.stage", stage.Id);
        Assert.Equal((QuestionType.Single, true, true), (stage.Type, stage.Ordered, stage.Required));
        Assert.Equal(["broadcasting", "engaging", "serving", "embedded"], stage.Options.Select(o => o.Id));
        Assert.Null(StageQuestion.Of(Sample with { Journey = null }));
    }

    [Fact]
    public void NoScoredAnswer_CountsInTheFirstStage_AndASurveyWithoutAJourneyCountsNoStage()
    {
        var counted = StageQuestion.Counted(Sample, Answers(("organisationType", ["county"])));
        Assert.Equal(["broadcasting"], counted["journey.stage"]);
        Assert.Equal(["county"], counted["organisationType"]);
        Assert.False(StageQuestion.Counted(Sample with { Journey = null }, Answers(("maturity", ["embedded"]))).ContainsKey("journey.stage"));
    }

    [Fact]
    public void Results_CarryTheStage_OverallAndPerSegment_WithSmallStagesHidden()
    {
        static Dictionary<string, long> Scope(long n, long county, long broadcasting, long engaging, long serving) => new()
        {
            ["n"] = n, ["a|organisationType"] = n, ["o|organisationType|county"] = county, ["o|organisationType|district"] = n - county,
            ["a|journey.stage"] = n, ["o|journey.stage|broadcasting"] = broadcasting, ["o|journey.stage|engaging"] = engaging, ["o|journey.stage|serving"] = serving,
        };
        var counts = new Dictionary<string, IReadOnlyDictionary<string, long>>
        {
            ["all"] = Scope(30, 15, 20, 6, 4),
            ["seg|organisationType|county"] = Scope(15, 15, 9, 6, 0),
            ["seg|organisationType|district"] = Scope(15, 0, 11, 0, 4),
        };
        // Two organisation types, and no other segment, so the figures above are all there is.
        var twoTypes = Sample with
        {
            ReportingGroups = null,
            Segments = ["organisationType"],
            Questions = [.. Sample.Questions.Select(q => q.Id == "organisationType" ? q with { Options = [.. q.Options.Take(2)] } : q)],
        };
        var results = ResultsBuilder.Build(twoTypes, counts, DateTimeOffset.UnixEpoch);

        var stages = results.Stages!;
        Assert.Equal(30, stages.Answered);
        Assert.Equal(20, stages.Options[0].Count);
        Assert.True(stages.Options[2].Suppressed, "4 councils at a stage is below the threshold");
        var county = results.Segments.Single(s => s.OptionId == "county").Questions!.Single(q => q.Id == "journey.stage");
        Assert.Equal(15, county.Answered);
        Assert.True(county.Options[3].Suppressed);
        Assert.DoesNotContain(results.Asked, q => q.Id == "journey.stage");

        // The CSV carries the journey figures like any question's, named from the model; a hidden one is an empty cell.
        var csv = ResultsCsv.Write(results, twoTypes, release: 1).Split("\r\n");
        Assert.Contains("1,,,30,journey.stage,Your council on the social media journey,broadcasting,Broadcasting,30,20,0.667,false", csv);
        Assert.Contains("1,,,30,journey.stage,Your council on the social media journey,serving,Resolving requests,30,,,true", csv);
    }

    [Fact]
    public void TheStages_CompareWithAPreviousWave_OnlyWhereItScoredAlike()
    {
        static IReadOnlyDictionary<string, IReadOnlyDictionary<string, long>> Counts(long broadcasting, long engaging) =>
            new Dictionary<string, IReadOnlyDictionary<string, long>>
            {
                ["all"] = new Dictionary<string, long>
                {
                    ["n"] = broadcasting + engaging, ["a|journey.stage"] = broadcasting + engaging,
                    ["o|journey.stage|broadcasting"] = broadcasting, ["o|journey.stage|engaging"] = engaging,
                },
            };
        var survey = Sample with { Segments = [], ReportingGroups = null };
        var now = ResultsBuilder.Build(survey, Counts(30, 20), DateTimeOffset.UnixEpoch);
        var then = ResultsBuilder.Build(survey, Counts(40, 10), DateTimeOffset.UnixEpoch);

        var alike = WaveChanges.Compare(survey, now, survey, then).Single(t => t.QuestionId == "journey.stage");
        Assert.True(alike.Comparison.IsComparable);
        Assert.Equal(-20.0m, alike.Options.Single(o => o.OptionId == "broadcasting").Change);

        var rescored = survey with { Journey = survey.Journey! with { Stages = [.. survey.Journey.Stages.Select(s => s.Id == "engaging" ? s with { MinScore = 30 } : s)] } };
        var unlike = WaveChanges.Compare(survey, now, rescored, then).Single(t => t.QuestionId == "journey.stage");
        Assert.Equal((false, WaveComparison.JourneyScoredDifferently), (unlike.Comparison.IsComparable, unlike.Comparison.Reason));
        Assert.Empty(unlike.Options);
    }
}
