using SurveyBackend.Display;
using SurveyBackend.Journey;
using SurveyBackend.Surveys;

namespace SurveyBackend.Aggregation;

/// <summary>
/// One answer now and in the previous wave: each share as its release shows it (null when hidden there), and the
/// change in percentage points, null unless both shares are shown.
/// </summary>
public sealed record OptionChange(string OptionId, double? Share, double? PreviousShare, decimal? Change);

/// <summary>A question against the previous wave: whether it compares and, if it does, its answers then and now.</summary>
public sealed record QuestionTrend(string QuestionId, QuestionComparison Comparison, IReadOnlyList<OptionChange> Options);

/// <summary>A ranked change for the "what changed" summary.</summary>
public sealed record RankedChange(QuestionTrend Question, OptionChange Option);

/// <summary>
/// The change since the previous wave, from two public releases. Only figures both releases show are used, so a change
/// says nothing that the two releases do not already say between them; a hidden figure on either side hides the change.
/// </summary>
public static class WaveChanges
{
    /// <summary>The shown share now minus the shown share then, in percentage points; null when either is hidden.</summary>
    public static decimal? ChangeInPoints(double? share, double? previousShare) =>
        share is { } now && previousShare is { } then ? DisplayText.ShownPercent(now) - DisplayText.ShownPercent(then) : null;

    /// <summary>The share, or null when the figure or its question is hidden.</summary>
    public static double? ShownShare(QuestionResult question, OptionResult option) =>
        question.Suppressed || question.Answered is null || option.Suppressed || option.Count is null ? null : option.Share;

    /// <summary>
    /// Every question of <paramref name="results"/> against the previous wave. <paramref name="wording"/> and
    /// <paramref name="previousWording"/> are the definitions as reported (reporting groups applied).
    /// </summary>
    public static IReadOnlyList<QuestionTrend> Compare(
        SurveyDefinition wording, SurveyResults results, SurveyDefinition previousWording, SurveyResults previousResults)
    {
        var trends = new List<QuestionTrend>();
        foreach (var question in results.Questions)
        {
            var definition = wording.FindQuestion(question.Id);
            var comparison = question.Id == StageQuestion.Id ? StageComparison(wording, previousWording)
                : definition is null
                ? new QuestionComparison(question.Id, Comparability.NotComparable, WaveComparison.NotAskedBefore)
                : WaveComparison.Compare(definition, previousWording.FindQuestion(question.Id));
            var before = previousResults.Questions.FirstOrDefault(q => q.Id == question.Id);
            if (!comparison.IsComparable || before is null)
            {
                trends.Add(new QuestionTrend(question.Id, comparison.IsComparable
                    ? comparison with { Comparability = Comparability.NotComparable, Reason = WaveComparison.NotAskedBefore }
                    : comparison, []));
                continue;
            }
            trends.Add(new QuestionTrend(question.Id, comparison, [.. question.Options.Select(option =>
            {
                var now = ShownShare(question, option);
                var then = before.Options.FirstOrDefault(o => o.Id == option.Id) is { } old ? ShownShare(before, old) : null;
                return new OptionChange(option.Id, now, then, ChangeInPoints(now, then));
            })]));
        }
        return trends;
    }

    /// <summary>The stages compare where both waves score the journey alike: the same stages from the same points.</summary>
    private static QuestionComparison StageComparison(SurveyDefinition wording, SurveyDefinition previousWording) =>
        JourneyLock.SameScoring(wording, previousWording)
            ? new QuestionComparison(StageQuestion.Id, Comparability.Same)
            : new QuestionComparison(StageQuestion.Id, Comparability.NotComparable, WaveComparison.JourneyScoredDifferently);

    /// <summary>
    /// The largest changes first (by size, either way), among shown changes only; ties keep the questions' and
    /// options' order. No change (0.0) is not a change.
    /// </summary>
    public static IReadOnlyList<RankedChange> Largest(IReadOnlyList<QuestionTrend> trends, int max) =>
        [.. trends.SelectMany(q => q.Options.Where(o => o.Change is { } c && c != 0).Select(o => new RankedChange(q, o)))
            .OrderByDescending(r => Math.Abs(r.Option.Change!.Value))
            .Take(max)];
}
