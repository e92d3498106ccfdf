using System.Text.Json.Nodes;

namespace SurveyBackend.Journey;

/// <summary>
/// Where a respondent stands overall (docs/journey.md): the stages a score from 0 to 100 falls into, and sub-indexes.
/// Texts here are English; other languages sit in the definition's translations like every text, and
/// <see cref="In"/> swaps them.
/// </summary>
public sealed record JourneyModel
{
    public required string Title { get; init; }
    /// <summary>In order of <see cref="JourneyStage.MinScore"/>, strictly increasing, the first at 0 (the rules see to it).</summary>
    public required IReadOnlyList<JourneyStage> Stages { get; init; }
    public IReadOnlyList<JourneyIndex> Indexes { get; init; } = [];

    /// <summary>The last stage whose <see cref="JourneyStage.MinScore"/> the score reaches.</summary>
    public JourneyStage StageFor(int score) => Stages.LastOrDefault(s => s.MinScore <= score) ?? Stages[0];

    /// <summary>The same model with each text replaced by <paramref name="text"/>(key, English text).</summary>
    public JourneyModel In(Func<string, string, string> text) => this with
    {
        Title = text(JourneyTextKeys.Title, Title),
        Stages = [.. Stages.Select(s => s with
        {
            Name = text(JourneyTextKeys.Stage(s.Id, JourneyTextKeys.Name), s.Name),
            About = text(JourneyTextKeys.Stage(s.Id, JourneyTextKeys.About), s.About),
            Next = text(JourneyTextKeys.Stage(s.Id, JourneyTextKeys.Next), s.Next),
        })],
        Indexes = [.. Indexes.Select(i => i with { Name = text(JourneyTextKeys.Index(i.Id), i.Name) })],
    };

    /// <summary>Writes each text of the model into <paramref name="node"/> (the model as serialised) in the shape an admin writes it.</summary>
    public void WriteAuthoredTexts(JsonNode node, Func<string, string, JsonNode> text)
    {
        node["title"] = text(JourneyTextKeys.Title, Title);
        var stages = node["stages"]!.AsArray();
        for (var i = 0; i < Stages.Count; i++)
        {
            var stage = Stages[i];
            stages[i]!["name"] = text(JourneyTextKeys.Stage(stage.Id, JourneyTextKeys.Name), stage.Name);
            stages[i]!["about"] = text(JourneyTextKeys.Stage(stage.Id, JourneyTextKeys.About), stage.About);
            stages[i]!["next"] = text(JourneyTextKeys.Stage(stage.Id, JourneyTextKeys.Next), stage.Next);
        }
        var indexes = node["indexes"]!.AsArray();
        for (var i = 0; i < Indexes.Count; i++) indexes[i]!["name"] = text(JourneyTextKeys.Index(Indexes[i].Id), Indexes[i].Name);
    }
}

/// <summary>A stage of the journey: reached from <see cref="MinScore"/> up; what it means (<see cref="About"/>) and what to do next.</summary>
public sealed record JourneyStage(string Id, int MinScore, string Name, string About, string Next);

/// <summary>A sub-index: scored as the journey is, over <see cref="Questions"/> only.</summary>
public sealed record JourneyIndex(string Id, string Name, IReadOnlyList<string> Questions);

/// <summary>Where each journey text sits in a definition's translations (beside <see cref="Surveys.TextKeys"/>).</summary>
public static class JourneyTextKeys
{
    public const string Title = "journey.title";
    public const string Name = "name";
    public const string About = "about";
    public const string Next = "next";
    public static string Stage(string stageId, string part) => "journey.stages." + stageId + "." + part;
    public static string Index(string indexId) => "journey.indexes." + indexId + ".name";
}
