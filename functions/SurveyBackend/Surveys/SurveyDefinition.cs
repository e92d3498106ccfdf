using System.Text.Json.Serialization;

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

    public Question? FindQuestion(string questionId) => Questions.FirstOrDefault(q => q.Id == questionId);

    /// <summary>Whether a submission made at <paramref name="now"/> may be accepted.</summary>
    public bool IsTakingSubmissions(DateTimeOffset now) =>
        Status == SurveyStatus.Open
        && (OpensAt is null || now >= OpensAt)
        && (ClosesAt is null || now < ClosesAt);
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
