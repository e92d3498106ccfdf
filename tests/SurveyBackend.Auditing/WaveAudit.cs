using System.Text.Json.Nodes;
using SurveyBackend.Aggregation;
using SurveyBackend.Surveys;

namespace SurveyBackend.Auditing;

/// <summary>
/// The attacker of a report that shows two waves. The waves have different respondents and nothing stored links a
/// respondent of one to a respondent of the other, so the attacker's model is the union of two independent models:
/// every solution of one wave's constraints combines with every solution of the other's. A figure is pinned in the
/// union exactly when it is pinned in its own wave, so the union is audited wave by wave, each with all its releases
/// (<see cref="ReleaseAuditor"/>), once it is shown that the two-wave view states nothing but what those releases state
/// (<see cref="Unexplained"/>).
/// </summary>
public static class WaveAudit
{
    /// <summary>
    /// Every figure in a benchmark document's <c>previousWave</c> that is not a shown share of this wave's release,
    /// a shown share of the previous wave's release, or the change worked out from two such shares. Empty: the
    /// two-wave view adds nothing to what the two releases publish.
    /// </summary>
    public static IReadOnlyList<string> Unexplained(JsonNode previousWave, SurveyResults now, SurveyResults then)
    {
        var unexplained = new List<string>();
        foreach (var question in previousWave["questions"]!.AsArray())
        {
            var questionId = (string)question!["id"]!;
            foreach (var option in question["options"]?.AsArray() ?? [])
            {
                var optionId = (string)option!["id"]!;
                var share = (double?)option["share"];
                var previousShare = (double?)option["previousShare"];
                var change = (decimal?)option["change"];
                var where = $"{questionId}.{optionId}";
                if (share != Shown(now, questionId, optionId)) unexplained.Add($"{where}: share {share} is not this wave's shown share");
                if (previousShare != Shown(then, questionId, optionId)) unexplained.Add($"{where}: previousShare {previousShare} is not the previous wave's shown share");
                if (change != WaveChanges.ChangeInPoints(Shown(now, questionId, optionId), Shown(then, questionId, optionId)))
                    unexplained.Add($"{where}: change {change} is not worked out from the two shown shares");
            }
        }
        return unexplained;
    }

    /// <summary>The exact attacker over both waves: each wave against all its own releases.</summary>
    public static (AuditReport Now, AuditReport Then) Audit(
        SurveyDefinition now, IReadOnlyList<AuditedRelease> nowReleases, SurveyDefinition then, IReadOnlyList<AuditedRelease> thenReleases, AuditOptions? options = null) =>
        (ReleaseAuditor.Audit(now, nowReleases, options), ReleaseAuditor.Audit(then, thenReleases, options));

    private static double? Shown(SurveyResults results, string questionId, string optionId) =>
        results.Questions.FirstOrDefault(q => q.Id == questionId) is { } question && question.Options.FirstOrDefault(o => o.Id == optionId) is { } option
            ? WaveChanges.ShownShare(question, option)
            : null;
}
