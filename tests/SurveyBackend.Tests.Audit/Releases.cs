using SurveyBackend.Aggregation;
using SurveyBackend.Auditing;
using SurveyBackend.Surveys;

namespace SurveyBackend.Tests.Audit;

/// <summary>Releases made as an operator makes them: each frozen, each built against all before it.</summary>
internal static class Releases
{
    private static readonly DateTimeOffset Start = new(2026, 3, 1, 9, 0, 0, TimeSpan.Zero);

    /// <summary>A release at each cut (respondents so far), built with the cross-release rule.</summary>
    public static List<AuditedRelease> Make(SurveyDefinition survey, IReadOnlyList<Dictionary<string, IReadOnlyList<string>>> responses, params int[] cuts)
    {
        var made = new List<AuditedRelease>();
        foreach (var cut in cuts)
        {
            var counts = Surveys.Count(survey, responses.Take(cut));
            var published = ResultsBuilder.Build(survey, counts, Start.AddDays(made.Count), Prior(made));
            made.Add(new AuditedRelease(published, counts));
        }
        return made;
    }

    public static List<PriorRelease> Prior(IEnumerable<AuditedRelease> made) => [.. made.Select(r => new PriorRelease(r.TrueCounts, r.Published))];

    /// <summary>What an operator would publish by building each report on its own (the rule turned off).</summary>
    public static AuditedRelease WithoutTheRule(SurveyDefinition survey, IEnumerable<Dictionary<string, IReadOnlyList<string>>> responses, int day)
    {
        var counts = Surveys.Count(survey, responses);
        return new AuditedRelease(ResultsBuilder.Build(survey, counts, Start.AddDays(day)), counts);
    }
}
