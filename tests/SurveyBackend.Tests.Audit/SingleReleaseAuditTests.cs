using Xunit.Abstractions;
using SurveyBackend.Aggregation;
using SurveyBackend.Auditing;

namespace SurveyBackend.Tests.Audit;

public sealed class SingleReleaseAuditTests(ITestOutputHelper output)
{
    private static readonly DateTimeOffset At = DateTimeOffset.UnixEpoch;

    [Fact]
    public void SkewedSurvey_WithSmallSegments_PinsNoHiddenFigure_BeyondTheKnownRequiredAnsweredGap()
    {
        var survey = Surveys.Skewed();
        var counts = Surveys.Count(survey, new SyntheticResponses(survey, seed: 1).Take(60));
        var results = ResultsBuilder.Build(survey, counts, At);
        Assert.Contains(results.Segments, s => s.Suppressed); // the scenario has small segments to protect
        AuditedRelease[] releases = [new(results, counts)];

        var report = ReleaseAuditor.Audit(survey, releases, new AuditOptions(Log: output.WriteLine));

        output.WriteLine(report.ToString());
        Assert.Empty(report.Violations);
        Assert.True(report.Targets > 50, report.ToString());
    }

    [Fact]
    public void SampleSurvey_At150Respondents_HasNoHiddenFigurePinned()
    {
        var survey = Surveys.Sample();
        var counts = Surveys.Count(survey, new SyntheticResponses(survey, seed: 150).Take(150));
        var results = ResultsBuilder.Build(survey, counts, At);

        var report = ReleaseAuditor.Audit(survey, [new AuditedRelease(results, counts)], new AuditOptions(Log: output.WriteLine));

        output.WriteLine(report.ToString());
        Assert.True(report.Passed, report.ToString());
        Assert.True(report.Targets > 500, report.ToString());
    }

    [Fact]
    public void Auditor_PinsAHiddenPart_WhenItIsTheShownTotalLessTheShownParts()
    {
        // Small-cell suppression without its complement: the one hidden option is answered minus the others.
        var survey = Surveys.Skewed();
        var counts = Surveys.Count(survey, new SyntheticResponses(survey, seed: 2).Take(40));
        var results = ResultsBuilder.Build(survey, counts, At);
        var stage = counts[Tally.All];
        var options = survey.FindQuestion("stage")!.ChoosableOptionIds;
        var smallest = options.MinBy(o => stage.GetValueOrDefault(Tally.Chose("stage", o)))!;
        var leaky = results with
        {
            Questions = [.. results.Questions.Select(q => q.Id != "stage" ? q : q with
            {
                Answered = (int)stage[Tally.Answered("stage")],
                Suppressed = false,
                Options = [.. options.Select(o => o == smallest
                    ? new OptionResult(o, null, null, Suppressed: true)
                    : new OptionResult(o, (int)stage.GetValueOrDefault(Tally.Chose("stage", o)), 0))],
            })],
        };

        var report = ReleaseAuditor.Audit(survey, [new AuditedRelease(leaky, counts)]);

        var pinned = Assert.Single(report.Violations, v => v.Figure == new Figure(Tally.All, Tally.Chose("stage", smallest)));
        Assert.Equal(stage.GetValueOrDefault(Tally.Chose("stage", smallest)), pinned.Min);
        Assert.Equal(pinned.Min, pinned.Max);
        Assert.False(report.Passed);
    }
}
