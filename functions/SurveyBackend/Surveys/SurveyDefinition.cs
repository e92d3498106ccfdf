using System.Text.Json.Serialization;
using SurveyBackend.Journey;
using SurveyBackend.Languages;

namespace SurveyBackend.Surveys;

/// <summary>A validated survey definition (the SurveyDefinition schema of docs/openapi.json).</summary>
public sealed record SurveyDefinition
{
    public required string Id { get; init; }
    public required string Title { get; init; }
    public string? Description { get; init; }
    public required SurveyStatus Status { get; init; }
    public DateTimeOffset? OpensAt { get; init; }
    public DateTimeOffset? ClosesAt { get; init; }
    public IReadOnlyList<string> Segments { get; init; } = [];
    public int MinGroupSize { get; init; } = SurveyRules.DefaultMinGroupSize;
    /// <summary>Where a respondent stands overall and what to do next, scored from the options' points (docs/journey.md); public.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public JourneyModel? Journey { get; init; }
    public required IReadOnlyList<Question> Questions { get; init; }
    /// <summary>
    /// Options of a segment question merged for reporting, by segment question id: results break down by the groups
    /// (and the options no group takes) instead of by every option, so small groups are merged rather than hidden.
    /// </summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public IReadOnlyDictionary<string, IReadOnlyList<ReportingGroup>>? ReportingGroups { get; init; }
    /// <summary>The id of the survey this one repeats (last year's wave): reports show the change since its latest public release.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? PreviousWave { get; init; }

    /// <summary>
    /// Who holds the report addresses and how to reach them, for the form's privacy notice. Every save has it (the rules
    /// require it); null only for a definition stored before it existed, until it is saved again (docs/upgrading.md).
    /// </summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public SurveyPrivacy? Privacy { get; init; }

    /// <summary>The languages every text is given in, English first; a survey without Welsh declares only English.</summary>
    public IReadOnlyList<string> Languages { get; init; } = [UiText.English];

    /// <summary>
    /// The texts in the other declared languages: language → text key (<see cref="TextKeys"/>) → text. The English
    /// texts stay in <see cref="Title"/>, <see cref="Question.Text"/> and the rest, so a reader that knows nothing of
    /// languages still reads English.
    /// </summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public IReadOnlyDictionary<string, IReadOnlyDictionary<string, string>>? Translations { get; init; }

    public bool Offers(string language) => Languages.Contains(language);

    /// <summary>
    /// The same definition with every text in <paramref name="language"/> (ids, structure and everything else
    /// unchanged); itself for English or a language the survey does not declare. The rules make sure every text is
    /// there, so this never mixes languages.
    /// </summary>
    public SurveyDefinition In(string language)
    {
        if (language == UiText.English || Translations is null || !Translations.TryGetValue(language, out var texts)) return this;
        string Text(string key, string english) => texts.TryGetValue(key, out var text) ? text : english;
        return this with
        {
            Title = Text(TextKeys.Title, Title),
            Description = Description is null ? null : Text(TextKeys.Description, Description),
            Questions = [.. Questions.Select(q => q with
            {
                Text = Text(TextKeys.Question(q.Id), q.Text),
                Options = [.. q.Options.Select(o => o with { Text = Text(TextKeys.Option(q.Id, o.Id), o.Text) })],
            })],
            ReportingGroups = ReportingGroups?.ToDictionary(
                g => g.Key,
                g => (IReadOnlyList<ReportingGroup>)[.. g.Value.Select(r => r with { Text = Text(TextKeys.Group(g.Key, r.Id), r.Text) })],
                StringComparer.Ordinal),
            Journey = Journey?.In(Text),
        };
    }

    public Question? FindQuestion(string questionId) => Questions.FirstOrDefault(q => q.Id == questionId);

    /// <summary>Whether a submission made at <paramref name="now"/> may be accepted.</summary>
    public bool IsTakingSubmissions(DateTimeOffset now) =>
        Status == SurveyStatus.Open
        && (OpensAt is null || now >= OpensAt)
        && (ClosesAt is null || now < ClosesAt);
}

/// <summary>
/// A definition in the shape an admin writes (docs/openapi.json SurveyDefinition): each text a plain string in an
/// English-only survey, or <c>{ "en": …, "cy": … }</c>, and no <c>translations</c>. What the admin GET answers, so a
/// definition read and written back is the same definition.
/// </summary>
public static class DefinitionAuthoring
{
    public static string ToJson(SurveyDefinition definition)
    {
        var node = System.Text.Json.JsonSerializer.SerializeToNode(definition with { Translations = null }, Web.JsonDefaults.Options)!.AsObject();
        node.Remove("translations");
        if (definition.Translations is not { Count: > 0 } translations) return node.ToJsonString(Web.JsonDefaults.Options);

        System.Text.Json.Nodes.JsonNode Text(string key, string english)
        {
            var text = new System.Text.Json.Nodes.JsonObject { [UiText.English] = english };
            foreach (var (language, texts) in translations)
                if (texts.TryGetValue(key, out var value)) text[language] = value;
            return text;
        }
        node["title"] = Text(TextKeys.Title, definition.Title);
        if (definition.Description is { } description) node["description"] = Text(TextKeys.Description, description);
        var questions = node["questions"]!.AsArray();
        for (var i = 0; i < definition.Questions.Count; i++)
        {
            var q = definition.Questions[i];
            questions[i]!["text"] = Text(TextKeys.Question(q.Id), q.Text);
            var options = questions[i]!["options"]!.AsArray();
            for (var j = 0; j < q.Options.Count; j++) options[j]!["text"] = Text(TextKeys.Option(q.Id, q.Options[j].Id), q.Options[j].Text);
        }
        foreach (var (questionId, groups) in definition.ReportingGroups ?? new Dictionary<string, IReadOnlyList<ReportingGroup>>())
        {
            var nodes = node["reportingGroups"]![questionId]!.AsArray();
            for (var g = 0; g < groups.Count; g++) nodes[g]!["text"] = Text(TextKeys.Group(questionId, groups[g].Id), groups[g].Text);
        }
        definition.Journey?.WriteAuthoredTexts(node["journey"]!, Text);
        return node.ToJsonString(Web.JsonDefaults.Options);
    }
}

/// <summary>Where each text of a definition sits in <see cref="SurveyDefinition.Translations"/>: the path of its id.</summary>
public static class TextKeys
{
    public const string Title = "title";
    public const string Description = "description";
    public static string Question(string questionId) => "questions." + questionId;
    public static string Option(string questionId, string optionId) => "questions." + questionId + ".options." + optionId;
    public static string Group(string questionId, string groupId) => "reportingGroups." + questionId + "." + groupId;
}

public sealed record Question
{
    public required string Id { get; init; }
    public required string Text { get; init; }
    public required QuestionType Type { get; init; }
    public bool Required { get; init; }
    public required IReadOnlyList<QuestionOption> Options { get; init; }
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public int? MaxSelections { get; init; }
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)]
    public bool AllowOther { get; init; }
    /// <summary>Single choice only: the options run in order (a stage, a size), so "at your stage or earlier" means something.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)]
    public bool Ordered { get; init; }
    /// <summary>
    /// <see cref="SurveyRules.ComparableWithPrevious"/>: the admin says this question is the previous wave's question
    /// reworded (a small wording edit), so its figures compare although its text changed. See <see cref="WaveComparison"/>.
    /// </summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? ComparableWith { get; init; }

    /// <summary>
    /// The option ids a respondent may choose: the defined ones, plus <see cref="SurveyRules.OtherOptionId"/>
    /// when the question allows "Other". Results count "other" like any option.
    /// </summary>
    [JsonIgnore]
    public IReadOnlyList<string> ChoosableOptionIds =>
        AllowOther ? [.. Options.Select(o => o.Id), SurveyRules.OtherOptionId] : [.. Options.Select(o => o.Id)];
}

public sealed record QuestionOption
{
    public required string Id { get; init; }
    public required string Text { get; init; }
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)]
    public bool Exclusive { get; init; }
    /// <summary>What choosing it adds to the journey's score; null on every option of a question that is not scored.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public int? Points { get; init; }
}

/// <summary>Options of one segment question reported as one group.</summary>
public sealed record ReportingGroup(string Id, string Text, IReadOnlyList<string> Options);

[JsonConverter(typeof(JsonStringEnumConverter<SurveyStatus>))]
public enum SurveyStatus
{
    [JsonStringEnumMemberName("draft")] Draft,
    [JsonStringEnumMemberName("open")] Open,
    [JsonStringEnumMemberName("closed")] Closed,
}

[JsonConverter(typeof(JsonStringEnumConverter<QuestionType>))]
public enum QuestionType
{
    [JsonStringEnumMemberName("single")] Single,
    [JsonStringEnumMemberName("multiple")] Multiple,
}
