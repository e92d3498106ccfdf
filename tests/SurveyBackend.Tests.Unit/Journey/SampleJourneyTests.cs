using SurveyBackend.Journey;
using SurveyBackend.Surveys;

namespace SurveyBackend.Tests.Unit.Journey;

/// <summary>The sample survey's model on councils a head of comms would recognise; the middle one is docs/journey.md's worked example.</summary>
public class SampleJourneyTests
{
    private static readonly SurveyDefinition Sample = SurveyRules.Parse(
        File.ReadAllBytes(Path.Combine(AppContext.BaseDirectory, "Samples", "social-media-in-local-government.json")), "social-media-in-local-government").Value!;

    private static JourneyResult Score(params (string Question, string[] Options)[] answers) =>
        JourneyScore.Of(Sample, answers.ToDictionary(a => a.Question, a => (IReadOnlyList<string>)a.Options))!;

    [Fact]
    public void MostPointsPossible_PerScoredQuestion()
    {
        Assert.Equal(
            [("channels", 5), ("maturity", 9), ("customerService", 8), ("insightUse", 8), ("teamSize", 4), ("successMeasures", 8)],
            Sample.Questions.Where(JourneyScore.IsScored).Select(q => (q.Id, JourneyScore.MaxPoints(q))));
    }

    [Fact]
    public void ABroadcastingCouncil()
    {
        var result = Score(("maturity", ["broadcast"]), ("customerService", ["no"]), ("insightUse", ["reach"]),
            ("successMeasures", ["followers", "engagement"]), ("channels", ["twitter", "facebook"]), ("teamSize", ["under-1"]));
        Assert.Equal((12, "broadcasting"), (result.Score, result.Stage.Id));
        Assert.Equal([14, 8], result.Indexes.Select(i => i.Score));
    }

    [Fact]
    public void TheWorkedExample_AnEngagingCouncil()
    {
        var result = Score(("maturity", ["engage"]), ("customerService", ["ad-hoc"]), ("insightUse", ["reach", "campaigns"]),
            ("successMeasures", ["engagement", "satisfaction", "sentiment"]), ("channels", ["twitter", "facebook", "instagram", "youtube"]),
            ("teamSize", ["1-2"]), ("organisationType", ["county"]));
        Assert.Equal((40, "engaging"), (result.Score, result.Stage.Id));
        Assert.Equal([("engagement", 43), ("service", 38)], result.Indexes.Select(i => (i.Index.Id, i.Score)));
    }

    [Fact]
    public void ACouncilResolvingRequests()
    {
        var result = Score(("maturity", ["service"]), ("customerService", ["process"]), ("insightUse", ["reach", "campaigns", "services"]),
            ("successMeasures", ["engagement", "satisfaction", "requests"]), ("channels", ["twitter", "facebook", "instagram", "whatsapp"]),
            ("teamSize", ["3-5"]));
        Assert.Equal((71, "serving"), (result.Score, result.Stage.Id));
    }

    [Fact]
    public void TheBestAnswers_AreEmbedded_AndNoAnswersAreBroadcasting()
    {
        var best = Score(("maturity", ["embedded"]), ("customerService", ["integrated"]), ("insightUse", ["reach", "campaigns", "services", "policy"]),
            ("successMeasures", ["channel-shift", "requests", "satisfaction"]), ("channels", ["twitter", "facebook", "instagram", "nextdoor", "whatsapp", "other"]),
            ("teamSize", ["6-plus"]));
        Assert.Equal((100, "embedded"), (best.Score, best.Stage.Id));
        Assert.Equal([100, 100], best.Indexes.Select(i => i.Score));

        var none = Score();
        Assert.Equal((0, "broadcasting"), (none.Score, none.Stage.Id));
    }
}
