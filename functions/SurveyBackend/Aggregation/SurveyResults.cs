using System.Text.Json.Serialization;
using SurveyBackend.Journey;

namespace SurveyBackend.Aggregation;

/// <summary>
/// The results of a survey as the Results schema of docs/openapi.json. A hidden figure (drawn from fewer than
/// <see cref="MinGroupSize"/> respondents, or hidden so that such a figure cannot be worked out) is null with
/// <c>suppressed: true</c>; the document does not say which of the two.
/// </summary>
public sealed record SurveyResults(
    string SurveyId,
    int Respondents,
    DateTimeOffset GeneratedAt,
    int MinGroupSize,
    IReadOnlyList<QuestionResult> Questions,
    IReadOnlyList<SegmentResult> Segments)
{
    /// <summary>The questions respondents answered: <see cref="Questions"/> less the derived journey stage, which pages show in a section of its own.</summary>
    [JsonIgnore]
    public IReadOnlyList<QuestionResult> Asked => [.. Questions.Where(q => q.Id != StageQuestion.Id)];

    /// <summary>The journey's stage figures over everyone (<see cref="StageQuestion"/>); null for a survey without a journey.</summary>
    [JsonIgnore]
    public QuestionResult? Stages => Questions.FirstOrDefault(q => q.Id == StageQuestion.Id);
}

public sealed record QuestionResult(
    string Id,
    int? Answered,
    IReadOnlyList<OptionResult> Options,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)] bool Suppressed = false);

public sealed record OptionResult(
    string Id,
    int? Count,
    double? Share,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)] bool Suppressed = false);

public sealed record SegmentResult(
    string QuestionId,
    string OptionId,
    int? Respondents,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] IReadOnlyList<QuestionResult>? Questions,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)] bool Suppressed = false);
