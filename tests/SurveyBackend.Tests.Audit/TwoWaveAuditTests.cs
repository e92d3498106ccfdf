using System.Text.Json.Nodes;
using Xunit.Abstractions;
using SurveyBackend.Auditing;
using SurveyBackend.Releases;
using SurveyBackend.Surveys;

namespace SurveyBackend.Tests.Audit;

/// <summary>
/// A report that shows two waves: different respondents in each, so the attacker holds the union of what both waves'
/// releases publish. The two-wave view states nothing beyond the two releases, and the exact attacker pins no hidden
/// figure of either wave.
/// </summary>
public sealed class TwoWaveAuditTests(ITestOutputHelper output)
{
    // The previous wave: the skewed survey without one question, with another worded differently.
    private static readonly SurveyDefinition Then = Surveys.Skewed() with
    {
        Id = "skewed-2016",
        Questions = [.. Surveys.Skewed().Questions.Where(q => q.Id != "mood").Select(q => q.Id == "stage" ? q with { Text = "Which stage?" } : q)],
    };

    private static readonly SurveyDefinition Now = Surveys.Skewed() with
    {
        PreviousWave = "skewed-2016",
        Questions = [.. Surveys.Skewed().Questions.Select(q => q.Id == "stage" ? q with { ComparableWith = SurveyRules.ComparableWithPrevious } : q)],
    };

    private static (List<AuditedRelease> Now, List<AuditedRelease> Then) Waves()
    {
        var then = Releases.Make(Then, [.. new SyntheticResponses(Then, seed: 16).Take(60)], 60);
        var now = Releases.Make(Now, [.. new SyntheticResponses(Now, seed: 17).Take(70)], 45, 70);
        return (now, then);
    }

    private static JsonNode PreviousWaveDocument(AuditedRelease now, AuditedRelease then)
    {
        var release = new Release(Now.Id, 2, now.Published.Respondents, now.Published.GeneratedAt, 0, now.Published);
        var previous = new PreviousWave(Then.Id, Then.Title, 1, then.Published.GeneratedAt, then.Published, Then);
        return JsonNode.Parse(new Benchmark(release, Now, previous).ToPublicJson())!["previousWave"]!;
    }

    [Fact]
    public void TwoWaveView_StatesOnlyWhatTheTwoReleasesPublish_AndTheUnionPinsNothing()
    {
        var (now, then) = Waves();
        var document = PreviousWaveDocument(now[^1], then[^1]);
        Assert.Contains(document["questions"]!.AsArray(), q => (string)q!["comparability"]! == "markedComparable");
        Assert.Contains(document["questions"]!.AsArray(), q => (string)q!["comparability"]! == "notComparable");
        Assert.Contains(document["questions"]!.AsArray().SelectMany(q => q!["options"]?.AsArray() ?? []), o => o!["change"] is null);

        Assert.Empty(WaveAudit.Unexplained(document, now[^1].Published, then[^1].Published));

        var (nowReport, thenReport) = WaveAudit.Audit(Now, now, Then, then, new AuditOptions(Log: output.WriteLine));
        output.WriteLine("this wave: " + nowReport);
        output.WriteLine("previous wave: " + thenReport);
        Assert.True(nowReport.Passed, nowReport.ToString());
        Assert.True(thenReport.Passed, thenReport.ToString());
        Assert.True(nowReport.Targets > 50 && thenReport.Targets > 50, "both waves have hidden figures to attack");
    }

    [Fact]
    public void Unexplained_FindsAFigureThatNeitherReleaseShows()
    {
        // A view that leaked the true share behind a hidden figure of the previous wave would be caught.
        var (now, then) = Waves();
        var document = PreviousWaveDocument(now[^1], then[^1]);
        var hidden = document["questions"]!.AsArray().SelectMany(q => q!["options"]?.AsArray() ?? []).First(o => o!["previousShare"] is null)!;
        hidden["previousShare"] = 0.042;

        var unexplained = WaveAudit.Unexplained(document, now[^1].Published, then[^1].Published);

        Assert.Single(unexplained);
        Assert.Contains("previousShare", unexplained[0]);
    }
}
