using System.Diagnostics;
using System.Globalization;
using SurveyBackend.Aggregation;
using SurveyBackend.Auditing;
using SurveyBackend.Surveys;
using SurveyBackend.Testing;

namespace SurveyBackend.Benchmarks;

/// <summary>
/// What the cross-release rule costs in figures: on the sample survey with seeded skewed answers, a release at 150
/// respondents, then one at 200 built against it, compared with a single release at 200 (what the rule would show
/// without an earlier release). Then the exact auditor on the pair, timed. Pure domain: no storage.
/// Args: [first = 150] [second = 200] [seed = 2026].
/// </summary>
public sealed class ReleaseUtilityBenchmark : IBenchmark
{
    public string Name => "release-utility";
    public string Description => "Share of a single release's figures that a second release keeps, and the auditor's time on the pair";

    public Task RunAsync(string[] args)
    {
        var first = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 150;
        var second = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 200;
        var seed = args.Length > 2 ? int.Parse(args[2], CultureInfo.InvariantCulture) : 2026;
        var survey = SurveyRules.Parse(File.ReadAllBytes(RepoPaths.SampleSurvey), RepoPaths.SampleSurveyId).Value
            ?? throw new InvalidOperationException("The sample survey does not parse.");
        var responses = new SyntheticResponses(survey, seed).Take(second);
        var at = new DateTimeOffset(2026, 3, 1, 9, 0, 0, TimeSpan.Zero);

        var built = Stopwatch.StartNew();
        var counts1 = SyntheticResponses.Count(survey, responses.Take(first));
        var release1 = ResultsBuilder.Build(survey, counts1, at);
        var counts2 = SyntheticResponses.Count(survey, responses);
        PriorRelease[] earlier = [new(counts1, release1)];
        var needed = ReleaseRules.RespondentsNeeded(survey, counts2, earlier);
        var release2 = ResultsBuilder.Build(survey, counts2, at.AddDays(30), earlier);
        var alone = ResultsBuilder.Build(survey, counts2, at.AddDays(30));
        built.Stop();

        var space = new FigureSpace(ReportingView.Of(survey).Definition);
        var total = space.PublishedFigures().Count();
        var shown1 = space.Shown(release1);
        var shown2 = space.Shown(release2);
        var shownAlone = space.Shown(alone);
        var kept = shownAlone.Keys.Count(shown2.ContainsKey);
        string Line(string label, Dictionary<Figure, long> shown) =>
            $"  {label,-34} {shown.Count,5} of {total} figures shown ({(double)shown.Count / total:P1}), {shown.Keys.Count(f => f.Scope == Tally.All),4} overall";

        Console.WriteLine($"Sample survey, {second} seeded skewed responses (seed {seed}), k = {survey.MinGroupSize}; built in {built.Elapsed.TotalMilliseconds:0} ms");
        Console.WriteLine(Line($"release 1 at {first}", shown1));
        Console.WriteLine(Line($"release 2 at {second} (after release 1)", shown2));
        Console.WriteLine(Line($"a single release at {second}", shownAlone));
        Console.WriteLine($"  respondents needed before release 2: {needed}");
        Console.WriteLine($"Release 2 shows {kept} of the {shownAlone.Count} figures a single release at {second} shows: {(double)kept / shownAlone.Count:P1} (goal: at least 50%)");

        var audit = ReleaseAuditor.Audit(survey, [new AuditedRelease(release1, counts1), new AuditedRelease(release2, counts2)],
            new AuditOptions(Log: line => Console.WriteLine("    " + line)));
        Console.WriteLine($"Auditor on the pair: {audit}");
        return Task.CompletedTask;
    }
}
