using System.Text.Json;
using System.Text.Json.Nodes;
using SurveyBackend.Aggregation;
using SurveyBackend.Web;

namespace SurveyBackend.Releases;

/// <summary>
/// A release: a survey's figures frozen under a number (1, 2, 3, … per survey), never changed once made.
/// <see cref="Results"/> is what the public may see; the raw counts stay in storage for later releases.
/// </summary>
public sealed record Release(string SurveyId, int Number, int Respondents, DateTimeOffset CreatedAt, int HiddenFigures, SurveyResults Results)
{
    /// <summary>
    /// The public document: the results shape plus <c>release</c> and <c>createdAt</c> (API.md). The auditor and the
    /// benchmark route read exactly this.
    /// </summary>
    public string ToPublicJson()
    {
        var document = JsonSerializer.SerializeToNode(Results, JsonDefaults.Options)!.AsObject();
        document["release"] = Number;
        document["createdAt"] = JsonValue.Create(CreatedAt);
        return document.ToJsonString(JsonDefaults.Options);
    }

    public static SurveyResults ResultsFromPublicJson(string json) =>
        JsonSerializer.Deserialize<SurveyResults>(json, JsonDefaults.Options)
            ?? throw new InvalidOperationException("A stored release has no results.");
}

/// <summary>A release as the admin list shows it: no figures.</summary>
public sealed record ReleaseSummary(int Release, int Respondents, DateTimeOffset CreatedAt, int HiddenFigures);

/// <summary>How many figures a results document hides, counted as the page shows them.</summary>
public static class HiddenFigures
{
    /// <summary>
    /// A hidden segment counts once (its whole row is hidden); in a shown scope, each hidden answered count and each
    /// hidden option count (with its share) counts once.
    /// </summary>
    public static int Count(SurveyResults results) =>
        Questions(results.Questions) + results.Segments.Sum(s => s.Suppressed || s.Questions is null ? 1 : Questions(s.Questions));

    private static int Questions(IEnumerable<QuestionResult> questions) =>
        questions.Sum(q => (q.Suppressed || q.Answered is null ? 1 : 0) + q.Options.Count(o => o.Suppressed || o.Count is null));
}

/// <summary>
/// The previous wave as the public may see it: its latest public release, with its definition as reported (for the
/// wording and the comparability of each question).
/// </summary>
public sealed record PreviousWave(string SurveyId, string Title, int Release, DateTimeOffset ReleasedAt, SurveyResults Results, Surveys.SurveyDefinition Survey);
