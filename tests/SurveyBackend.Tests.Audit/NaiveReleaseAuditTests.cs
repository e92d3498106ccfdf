using Xunit.Abstractions;
using SurveyBackend.Aggregation;
using SurveyBackend.Auditing;

namespace SurveyBackend.Tests.Audit;

/// <summary>Two reports built each on its own, as before releases: the auditor must catch what they give away.</summary>
public sealed class NaiveReleaseAuditTests(ITestOutputHelper output)
{
    [Fact]
    public void TwoReportsOneRespondentApart_WithoutTheCrossReleaseRule_GiveThatRespondentAway()
    {
        var survey = Surveys.Skewed();
        var responses = new SyntheticResponses(survey, seed: 3).Take(61);
        var first = Surveys.Count(survey, responses.Take(60));
        var second = Surveys.Count(survey, responses);

        var report = ReleaseAuditor.Audit(survey,
        [
            new AuditedRelease(ResultsBuilder.Build(survey, first, DateTimeOffset.UnixEpoch), first),
            new AuditedRelease(ResultsBuilder.Build(survey, second, DateTimeOffset.UnixEpoch.AddDays(1)), second),
        ], new AuditOptions(MaxPinned: 5, Log: output.WriteLine));

        output.WriteLine(report.ToString());
        // Subtracting one report from the other tells what the newcomer answered, beyond their mere arrival.
        Assert.Contains(report.Violations, v => v is { Release: 2, Since: 1 } && v.Figure.Counter != Tally.Respondents);
        Assert.Contains(report.Violations, v => v is { Release: 2, Since: 1, TrueValue: 1 } && v.Figure == new Figure(Tally.All, Tally.Respondents));
    }
}
