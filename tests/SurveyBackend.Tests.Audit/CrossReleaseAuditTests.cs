using SurveyBackend.Aggregation;
using SurveyBackend.Auditing;
using Xunit.Abstractions;

namespace SurveyBackend.Tests.Audit;

/// <summary>Releases of one survey, taken together, against the exact attacker.</summary>
public sealed class CrossReleaseAuditTests(ITestOutputHelper output)
{
    private const int K = Surveys.K;
    private const int First = 60;

    private AuditReport Audit(IReadOnlyList<AuditedRelease> releases, int? maxPinned = null)
    {
        var report = ReleaseAuditor.Audit(Surveys.Skewed(), releases, new AuditOptions(MaxPinned: maxPinned, Log: output.WriteLine));
        output.WriteLine(report.ToString());
        return report;
    }

    private static List<Dictionary<string, IReadOnlyList<string>>> Responses(int seed, int count) =>
        new SyntheticResponses(Surveys.Skewed(), seed).Take(count);

    /// <summary>
    /// <paramref name="first"/> responses, then <paramref name="more"/> newcomers who share their answer to "stage"
    /// (so the next release has a change of at least k to show) and, if given, one of them in a chosen segment.
    /// </summary>
    private static List<Dictionary<string, IReadOnlyList<string>>> ThenNewcomers(int seed, int first, int more, Func<Dictionary<string, IReadOnlyList<string>>, bool>? lone = null)
    {
        var generator = new SyntheticResponses(Surveys.Skewed(), seed);
        var responses = generator.Take(first);
        var stage = responses.GroupBy(r => r["stage"][0]).MaxBy(g => g.Count())!.Key;
        var pool = generator.Take(2_000).Where(r => r["stage"][0] == stage).ToList();
        var newcomers = lone is null
            ? pool.Take(more)
            : pool.Where(lone).Take(1).Concat(pool.Where(r => !lone(r)).Take(more - 1));
        return [.. responses, .. newcomers];
    }

    [Theory]
    [InlineData(1)]
    [InlineData(K - 1)]
    public void ReleaseFewerThanKApart_IsRefused_AndBuiltWithoutTheRuleGivesTheNewcomersAway(int apart)
    {
        var survey = Surveys.Skewed();
        var responses = Responses(seed: 10 + apart, First + apart);
        var first = Releases.Make(survey, responses, First);

        Assert.Equal(K - apart, ReleaseRules.RespondentsNeeded(survey, Surveys.Count(survey, responses), Releases.Prior(first)));

        // The mutation check: an operator who built it anyway, each report on its own.
        var report = Audit([.. first, Releases.WithoutTheRule(survey, responses, day: 1)], maxPinned: 5);
        Assert.Contains(report.Violations, v => v is { Release: 2, Since: 1 } && v.Figure.Counter != Tally.Respondents);
    }

    [Fact]
    public void ReleaseKApart_WithTheRule_PassesTheAudit()
    {
        var survey = Surveys.Skewed();
        var responses = ThenNewcomers(seed: 20, First, K);
        Assert.Equal(0, ReleaseRules.RespondentsNeeded(survey, Surveys.Count(survey, responses), Releases.Prior(Releases.Make(survey, responses, First))));
        var releases = Releases.Make(survey, responses, First, First + K);

        var report = Audit(releases);

        Assert.Empty(report.Violations);
        Assert.Contains(releases[1].Published.Questions, q => q.Options.Any(o => o.Count is not null)); // not all blanks
    }

    [Fact]
    public void ReleaseKApart_WithoutTheRule_FailsTheAudit()
    {
        // The same two releases with the cross-release rule turned off: the auditor must catch it.
        var survey = Surveys.Skewed();
        var responses = ThenNewcomers(seed: 20, First, K);
        var first = Releases.Make(survey, responses, First);

        var report = Audit([.. first, Releases.WithoutTheRule(survey, responses, day: 1)], maxPinned: 5);

        Assert.Contains(report.Violations, v => v is { Release: 2, Since: 1, Shown: true } && v.Figure.Counter != Tally.Respondents);
    }

    [Fact]
    public void ThreeReleases_WithTheRule_PassTheAudit()
    {
        var survey = Surveys.Skewed();
        var responses = Responses(seed: 30, 90);
        var releases = Releases.Make(survey, responses, 50, 50 + K, 90);

        var report = Audit(releases);

        Assert.Empty(report.Violations);
        Assert.True(report.Targets > 3 * 100, report.ToString());
    }

    [Fact]
    public void OneNewcomerInASmallSegment_AmongEnoughOthers_StaysProtected()
    {
        var survey = Surveys.Skewed();
        var before = Responses(seed: 40, First);
        // The smallest org segment the first release shows: one newcomer joins it, the others go elsewhere.
        var first = Releases.Make(survey, before, First);
        var small = first[0].Published.Segments.Where(s => s is { QuestionId: "org", Respondents: not null }).MinBy(s => s.Respondents)!;
        // Enough newcomers that the release shows something: with fewer, it would be refused as all blanks.
        const int newcomers = 3 * K;
        var responses = ThenNewcomers(seed: 40, First, newcomers, r => r["org"][0] == small.OptionId);
        Assert.Equal(0, ReleaseRules.RespondentsNeeded(survey, Surveys.Count(survey, responses), Releases.Prior(first)));
        var releases = Releases.Make(survey, responses, First, First + newcomers);
        var scope = Tally.SegmentScope("org", small.OptionId);
        Assert.Equal(1, releases[1].TrueCounts[scope][Tally.Respondents] - releases[0].TrueCounts[scope][Tally.Respondents]);

        var report = Audit(releases);

        Assert.Empty(report.Violations);
        // Release 2 less release 1 in that segment is the newcomer alone: none of it may be worked out.
        Assert.DoesNotContain(report.Violations, v => v.Since == 1 && v.Figure.Scope == scope);
    }

    [Fact]
    public void RefusedRelease_SaysExactlyHowManyMoreRespondentsItNeeds()
    {
        var survey = Surveys.Skewed();
        var responses = ThenNewcomers(seed: 50, First, K);
        var first = Releases.Make(survey, responses, First);

        var needed = ReleaseRules.RespondentsNeeded(survey, Surveys.Count(survey, responses.Take(First + 2)), Releases.Prior(first));

        Assert.Equal(K - 2, needed);
        Assert.True(ReleaseRules.RespondentsNeeded(survey, Surveys.Count(survey, responses.Take(First + 2 + needed - 1)), Releases.Prior(first)) > 0);
        Assert.Equal(0, ReleaseRules.RespondentsNeeded(survey, Surveys.Count(survey, responses.Take(First + 2 + needed)), Releases.Prior(first)));
    }
}
