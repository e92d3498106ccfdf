using System.Text.Json.Serialization;

namespace SurveyBackend.Aggregation;

/// <summary>
/// The results of a survey as API.md's "Results shape". A hidden figure (drawn from fewer than
/// <see cref="MinGroupSize"/> respondents, or hidden so that such a figure cannot be worked out) is null with
/// <c>suppressed: true</c>; the document does not say which of the two.
/// </summary>
public sealed record SurveyResults(
    string SurveyId,
    int Respondents,
    DateTimeOffset GeneratedAt,
    int MinGroupSize,
    IReadOnlyList<QuestionResult> Questions,
    IReadOnlyList<SegmentResult> Segments);

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
