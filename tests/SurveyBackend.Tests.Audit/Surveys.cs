using SurveyBackend.Aggregation;
using SurveyBackend.Auditing;
using SurveyBackend.Journey;
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

    /// <summary>
    /// <see cref="Skewed"/> with a journey over "stage" (0, 2, 4), "uses" (news 1, service 2, policy 2, none 0; at most
    /// two) and the optional "mood" (0, 1, 2): 10 points in all, stages from 0, 40 and 75.
    /// </summary>
    public static SurveyDefinition SkewedWithJourney()
    {
        var points = new Dictionary<string, int>
        {
            ["stage.start"] = 0, ["stage.middle"] = 2, ["stage.advanced"] = 4,
            ["uses.news"] = 1, ["uses.service"] = 2, ["uses.policy"] = 2, ["uses.none"] = 0,
            ["mood.worse"] = 0, ["mood.same"] = 1, ["mood.better"] = 2,
        };
        var skewed = Skewed();
        return skewed with
        {
            Id = "skewed-journey",
            Questions = [.. skewed.Questions.Select(q => q with
            {
                Options = [.. q.Options.Select(o => points.TryGetValue($"{q.Id}.{o.Id}", out var p) ? o with { Points = p } : o)],
            })],
            Journey = Journey(("early", 0), ("developing", 40), ("leading", 75)),
        };
    }

    /// <summary>
    /// Two questions and a journey where the stage says a lot: "a" is worth 10 and "b" 1, so "mid" (50) is exactly those
    /// who chose a1 without b1 and "high" (95) those who chose both. The stage table alone gives "a" away.
    /// </summary>
    public static SurveyDefinition Telling() => new()
    {
        Id = "telling", Title = "Telling", Status = SurveyStatus.Open, MinGroupSize = K,
        Questions =
        [
            Question("a", QuestionType.Single, true, "a0", "a1") with { Options = [new() { Id = "a0", Text = "a0", Points = 0 }, new() { Id = "a1", Text = "a1", Points = 10 }] },
            Question("b", QuestionType.Single, true, "b0", "b1") with { Options = [new() { Id = "b0", Text = "b0", Points = 0 }, new() { Id = "b1", Text = "b1", Points = 1 }] },
        ],
        Journey = Journey(("low", 0), ("mid", 50), ("high", 95)),
    };

    private static JourneyModel Journey(params (string Id, int MinScore)[] stages) => new()
    {
        Title = "Journey",
        Stages = [.. stages.Select(s => new JourneyStage(s.Id, s.MinScore, s.Id, s.Id, s.Id))],
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
