using SurveyBackend.Aggregation;
using SurveyBackend.Auditing;
using SurveyBackend.Surveys;

namespace SurveyBackend.Tests.Audit;

/// <summary>Definitions and seeded responses for the audit scenarios.</summary>
internal static class Surveys
{
    public const int K = 5;

    private static Question Question(string id, QuestionType type, bool required, params string[] options) => new()
    {
        Id = id, Text = id, Type = type, Required = required,
        Options = [.. options.Select(o => new QuestionOption { Id = o.TrimEnd('!'), Text = o, Exclusive = o.EndsWith('!') })],
    };

    /// <summary>
    /// Small and skewed: two segment questions (one optional, so some skip it) crossing each other, a required and an
    /// optional single choice, a multiple choice with an exclusive option and a maximum, and one with "Other".
    /// </summary>
    public static SurveyDefinition Skewed() => new()
    {
        Id = "skewed", Title = "Skewed", Status = SurveyStatus.Open, MinGroupSize = K,
        Segments = ["org", "area"],
        Questions =
        [
            Question("org", QuestionType.Single, true, "county", "district", "parish", "fire", "police", "health"),
            Question("area", QuestionType.Single, false, "north", "south", "east", "west"),
            Question("stage", QuestionType.Single, true, "start", "middle", "advanced"),
            Question("uses", QuestionType.Multiple, true, "news", "service", "policy", "none!") with { MaxSelections = 2 },
            Question("tools", QuestionType.Multiple, false, "social", "crm", "email") with { AllowOther = true },
            Question("mood", QuestionType.Single, false, "worse", "same", "better"),
        ],
    };

    public static SurveyDefinition Sample()
    {
        var json = File.ReadAllBytes(Path.Combine(AppContext.BaseDirectory, "Samples", "social-media-in-local-government.json"));
        return SurveyRules.Parse(json, "social-media-in-local-government").Value
            ?? throw new InvalidOperationException("The sample survey does not parse.");
    }

    public static IReadOnlyDictionary<string, IReadOnlyDictionary<string, long>> Count(SurveyDefinition definition, IEnumerable<Dictionary<string, IReadOnlyList<string>>> responses) =>
        SyntheticResponses.Count(definition, responses);

    public static AuditedRelease Published(SurveyResults results, IReadOnlyDictionary<string, IReadOnlyDictionary<string, long>> counts) => new(results, counts);
}
