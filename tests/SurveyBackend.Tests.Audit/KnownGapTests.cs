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

    private static IEnumerable<Dictionary<string, IReadOnlyList<string>>> Group(string org, int n, int answeringMood) =>
        Enumerable.Range(0, n).Select(i => new Dictionary<string, IReadOnlyList<string>>
        {
            ["org"] = [org], ["stage"] = ["start"], ["uses"] = [i % 2 == 0 ? "news" : "service"],
            ["mood"] = i < answeringMood ? [i % 3 == 0 ? "same" : "better"] : [],
        });

    [Fact]
    public void KnownGap_NewcomersOnlyInSegmentsHiddenBefore_PinTheOthersUnchangedAndAHiddenFigureOfTheFirstRelease()
    {
        // Release 1 hides fire (3) and police (4), so only their sum is known (7: everyone less the shown segments).
        // Release 2 adds k newcomers, all fire or police, and shows fire 5 and police 7: their sum grew by 5, all
        // the newcomers, so every other segment's change is 0 (hidden, yet pinned), and since fire and police
        // answered "mood" to a person in release 2, they did in release 1 too: parish's hidden 2 is then the rest.
        var survey = Surveys.Skewed();
        List<Dictionary<string, IReadOnlyList<string>>> first =
        [
            .. Group("county", 20, 15), .. Group("district", 20, 18), .. Group("health", 10, 8),
            .. Group("parish", 5, 2), .. Group("fire", 3, 3), .. Group("police", 4, 4),
        ];
        var c1 = Surveys.Count(survey, first);
        var r1 = ResultsBuilder.Build(survey, c1, DateTimeOffset.UnixEpoch);
        var c2 = Surveys.Count(survey, [.. first, .. Group("fire", 2, 2), .. Group("police", 3, 3)]);
        PriorRelease[] earlier = [new(c1, r1)];
        Assert.Equal(0, ReleaseRules.RespondentsNeeded(survey, c2, earlier));
        var r2 = ResultsBuilder.Build(survey, c2, DateTimeOffset.UnixEpoch.AddDays(1), earlier);
        var county = new Figure(Tally.All, Tally.Chose("org", "county"));
        Assert.Null(r2.Questions.Single(q => q.Id == "org").Options.Single(o => o.Id == "county").Count); // the change, 0, is hidden

        var report = ReleaseAuditor.Audit(survey, [new(r1, c1), new(r2, c2)], new AuditOptions(MaxPinned: 3));

        var parish = Assert.Single(report.Violations, v => v is { Release: 1, Since: 0 } && v.Figure == new Figure(Tally.SegmentScope("org", "parish"), Tally.Answered("mood")));
        Assert.Equal((2L, 2L, 2L), (parish.TrueValue, parish.Min, parish.Max));
        Assert.Contains(report.Violations, v => v is { Release: 2, Since: 1, TrueValue: 0, Min: 0, Max: 0 } && v.Figure == county);
    }
}
