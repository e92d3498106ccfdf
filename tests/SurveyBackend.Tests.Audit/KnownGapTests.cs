using SurveyBackend.Aggregation;
using SurveyBackend.Auditing;

namespace SurveyBackend.Tests.Audit;

/// <summary>Gaps the auditor found in the production rule. Each test fails once its gap is closed: then delete it and its exception in <see cref="KnownGaps"/>.</summary>
public sealed class KnownGapTests
{
    [Fact]
    public void KnownGap_RequiredQuestionsAnsweredInAShownSegment_IsHiddenYetPinnedToTheShownSize()
    {
        var survey = Surveys.Skewed();
        var counts = Surveys.Count(survey, new SyntheticResponses(survey, seed: 1).Take(60));
        var results = ResultsBuilder.Build(survey, counts, DateTimeOffset.UnixEpoch);
        AuditedRelease[] releases = [new(results, counts)];

        var report = ReleaseAuditor.Audit(survey, releases);

        // Segment area=south shows 6 respondents and hides how many of them answered "org", a required question.
        var south = results.Segments.Single(s => s is { QuestionId: "area", OptionId: "south" });
        Assert.Equal(6, south.Respondents);
        Assert.Null(south.Questions!.Single(q => q.Id == "org").Answered);
        var pinned = Assert.Single(report.Violations, v => v.Figure == new Figure(Tally.SegmentScope("area", "south"), Tally.Answered("org")));
        Assert.Equal((6L, 6L, 6L), (pinned.TrueValue, pinned.Min, pinned.Max));
        Assert.All(report.Violations, v => Assert.True(KnownGaps.IsKnown(survey, v, releases), v.ToString()));
    }

    [Fact]
    public void KnownGap_ExclusiveOptionsHiddenZero_IsPinnedWhenAnotherOptionWasChosenByAllWhoAnswered()
    {
        var survey = Surveys.Skewed();
        // Everyone chose "news": 12 of 12 answered, so nobody chose the exclusive "none", which is hidden as a 0.
        var responses = Enumerable.Range(0, 12).Select(i => new Dictionary<string, IReadOnlyList<string>>
        {
            ["org"] = [i % 2 == 0 ? "county" : "district"], ["area"] = ["north"], ["stage"] = ["start"],
            ["uses"] = i % 3 == 0 ? ["news", "service"] : ["news"],
        }).ToList();
        var counts = Surveys.Count(survey, responses);
        var results = ResultsBuilder.Build(survey, counts, DateTimeOffset.UnixEpoch);
        var uses = results.Questions.Single(q => q.Id == "uses");
        Assert.Equal((12, 12), (uses.Answered, uses.Options.Single(o => o.Id == "news").Count));
        Assert.Null(uses.Options.Single(o => o.Id == "none").Count);

        var report = ReleaseAuditor.Audit(survey, [new(results, counts)]);

        var pinned = Assert.Single(report.Violations, v => v.Figure == new Figure(Tally.All, Tally.Chose("uses", "none")));
        Assert.Equal((0L, 0L, 0L), (pinned.TrueValue, pinned.Min, pinned.Max));
        Assert.True(KnownGaps.IsExclusiveZero(survey, pinned));
    }
}
