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
    /// The public document: the results shape plus <c>release</c> and <c>createdAt</c> (the Benchmark schema of docs/openapi.json). The auditor and the
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

/// <summary>
/// What <c>GET /api/surveys/{id}/benchmark</c> answers: the survey's latest public release and, when its definition
/// names a previous wave, the change since that wave's latest public release (<c>previousWave</c>, added beside the
/// results shape so existing clients keep working).
/// </summary>
public sealed record Benchmark(Release Release, Surveys.SurveyDefinition? Wording, PreviousWave? Previous)
{
    /// <summary>
    /// A release alone is named for ever by its survey and number. With a previous wave, the document also depends on
    /// that wave's release and on both definitions' wording (comparability), so its ETag is a hash of the document.
    /// </summary>
    public string ETag => Wording?.PreviousWave is null
        ? $"\"{Release.SurveyId}-r{Release.Number}\""
        : $"\"{Release.SurveyId}-r{Release.Number}-"
          + Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(ToPublicJson())).AsSpan(0, 8)) + "\"";

    public string ToPublicJson()
    {
        if (Wording?.PreviousWave is not { } previousId) return Release.ToPublicJson();
        var document = JsonNode.Parse(Release.ToPublicJson())!.AsObject();
        var wave = new JsonObject { ["surveyId"] = previousId };
        if (Previous is null)
        {
            // Named, but with no public release (or back in draft): nothing to compare with.
            wave["release"] = null;
            wave["questions"] = new JsonArray();
        }
        else
        {
            wave["release"] = Previous.Release;
            wave["createdAt"] = JsonValue.Create(Previous.ReleasedAt);
            var questions = new JsonArray();
            foreach (var trend in WaveChanges.Compare(Wording, Release.Results, Previous.Survey, Previous.Results))
            {
                var question = new JsonObject
                {
                    ["id"] = trend.QuestionId,
                    ["comparability"] = trend.Comparison.Comparability switch
                    {
                        Surveys.Comparability.Same => "same",
                        Surveys.Comparability.MarkedComparable => "markedComparable",
                        _ => "notComparable",
                    },
                };
                if (trend.Comparison.Reason is { } reason) question["reason"] = reason;
                if (trend.Comparison.IsComparable)
                {
                    var options = new JsonArray();
                    foreach (var option in trend.Options)
                    {
                        var item = new JsonObject
                        {
                            ["id"] = option.OptionId,
                            ["share"] = option.Share,
                            ["previousShare"] = option.PreviousShare,
                            ["change"] = option.Change,
                        };
                        if (option.Change is null) item["suppressed"] = true;
                        options.Add(item);
                    }
                    question["options"] = options;
                }
                questions.Add(question);
            }
            wave["questions"] = questions;
        }
        document["previousWave"] = wave;
        return document.ToJsonString(JsonDefaults.Options);
    }
}
