using SurveyBackend.Aggregation;
using SurveyBackend.Auditing;
using SurveyBackend.Journey;
using SurveyBackend.Surveys;
using Xunit.Abstractions;

namespace SurveyBackend.Tests.Audit;

/// <summary>The journey table (the stage, counted as the answer to "journey.stage") against the attacker who knows the scoring rule.</summary>
public sealed class JourneyAuditTests(ITestOutputHelper output)
{
    private AuditReport Audit(SurveyDefinition survey, IReadOnlyList<AuditedRelease> releases)
    {
        var report = ReleaseAuditor.Audit(survey, releases, new AuditOptions(Log: output.WriteLine));
        output.WriteLine(report.ToString());
        return report;
    }

    [Fact]
    public void OneRelease_WithTheJourneyTable_PinsNoHiddenFigure()
    {
        var survey = Surveys.SkewedWithJourney();
        var responses = new SyntheticResponses(survey, seed: 1).Take(60);
        var releases = Releases.Make(survey, responses, 60);
        var stages = releases[0].Published.Stages!;
        Assert.Contains(stages.Options, o => o.Count is not null);
        Assert.Contains(releases[0].Published.Segments, s => s.Questions?.Any(q => q.Id == StageQuestion.Id && q.Options.Any(o => o.Suppressed)) == true);

        var report = Audit(survey, releases);

        Assert.Empty(report.Violations);
        Assert.True(report.Targets > 50, report.ToString());
    }

    [Fact]
    public void ThreeReleases_WithTheJourneyTable_PinNoHiddenFigureNorChange()
    {
        var survey = Surveys.SkewedWithJourney();
        var responses = new SyntheticResponses(survey, seed: 30).Take(90);
        var releases = Releases.Make(survey, responses, 50, 50 + Surveys.K, 90);

        var report = Audit(survey, releases);

        Assert.Empty(report.Violations);
        Assert.True(report.Targets > 3 * 100, report.ToString());
    }

    [Fact]
    public void AReleaseThatHidesAQuestion_ButShowsTheStages_GivesTheQuestionAwayThroughTheJourneyTable()
    {
        // "mid" is exactly those who chose a1 without b1, "high" those who chose both: the stages give "a" away.
        var survey = Surveys.Telling();
        static IEnumerable<Dictionary<string, IReadOnlyList<string>>> Like(int count, string a, string b) =>
            Enumerable.Range(0, count).Select(_ => new Dictionary<string, IReadOnlyList<string>> { ["a"] = [a], ["b"] = [b] });
        var counts = Surveys.Count(survey, [.. Like(15, "a0", "b0"), .. Like(6, "a0", "b1"), .. Like(11, "a1", "b0"), .. Like(9, "a1", "b1")]);
        var results = ResultsBuilder.Build(survey, counts, DateTimeOffset.UnixEpoch);
        Assert.All(results.Stages!.Options, o => Assert.NotNull(o.Count));
        // The deliberately unsafe release: question "a" withheld whole, the journey table shown as built.
        var leaky = results with
        {
            Questions = [.. results.Questions.Select(q => q.Id != "a" ? q : q with
            {
                Answered = null, Suppressed = true, Options = [.. q.Options.Select(o => new OptionResult(o.Id, null, null, Suppressed: true))],
            })],
        };

        var report = Audit(survey, [new AuditedRelease(leaky, counts)]);

        var a1 = new Figure(Tally.All, Tally.Chose("a", "a1"));
        var pinned = Assert.Single(report.Violations, v => v.Figure == a1);
        Assert.Equal(counts[Tally.All][Tally.Chose("a", "a1")], pinned.Min);
        Assert.Equal(pinned.Min, pinned.Max);

        // Without the journey table (and its rule) the same release keeps "a" hidden: the leak is the journey's.
        var noJourney = survey with { Journey = null };
        var withoutStages = leaky with { Questions = [.. leaky.Questions.Where(q => q.Id != StageQuestion.Id)] };
        var plain = Audit(noJourney, [new AuditedRelease(withoutStages, counts)]);
        Assert.DoesNotContain(plain.Violations, v => v.Figure == a1);
    }
}
