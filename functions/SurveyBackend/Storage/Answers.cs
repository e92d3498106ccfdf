using System.Text.Json;
using System.Text.Json.Serialization;

namespace SurveyBackend.Storage;

/// <summary>
/// One submission's answers in the one shape they keep from intake to the counters (a list of option ids even for a
/// single choice), stored as the same JSON in the raw row and the anonymous response; only the HTTP edge knows the wire shape.
/// </summary>
public sealed record Answers
{
    private static readonly IReadOnlyDictionary<string, IReadOnlyList<string>> NoChoices = new Dictionary<string, IReadOnlyList<string>>(StringComparer.Ordinal);
    private static readonly IReadOnlyDictionary<string, string> NoOther = new Dictionary<string, string>(StringComparer.Ordinal);

    public static Answers None { get; } = new();

    public IReadOnlyDictionary<string, IReadOnlyList<string>> Chosen { get; init; } = NoChoices;

    public IReadOnlyDictionary<string, string> Other { get; init; } = NoOther;

    public string ToJson() => JsonSerializer.Serialize(this, AnswersJson.Default.Answers);

    /// <summary>The answers stored as <see cref="ToJson"/> wrote them; none for an empty or missing value.</summary>
    public static Answers FromJson(string? json) =>
        json is { Length: > 0 } ? JsonSerializer.Deserialize(json, AnswersJson.Default.Answers) ?? None : None;
}

/// <summary>Source-generated (every submission is written, read and counted through it): no reflection on the hot path.</summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase)]
[JsonSerializable(typeof(Answers))]
internal sealed partial class AnswersJson : JsonSerializerContext;
