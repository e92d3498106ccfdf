using Google.OrTools.Sat;
using SurveyBackend.Aggregation;
using SurveyBackend.Journey;
using SurveyBackend.Surveys;

namespace SurveyBackend.Auditing;

/// <summary>
/// What the scoring rule (docs/journey.md) tells an attacker who sees the journey table: a respondent's stage is a
/// function of their answers, so each stage's count bounds the answers' counts. The full rule is per respondent; the
/// model holds counts, so it adds the linear bounds the rule implies, in every scope of every interval:
/// <list type="bullet">
/// <item>points: the scope's points in all (Σ points × option count, exact when answers obey the rules) lie between
/// Σ stage count × the fewest points that reach the stage and Σ stage count × the most that stay in it;</item>
/// <item>reach: those at a stage or later need, on each scored question, at least the points the others cannot make up,
/// so (single choice) the options worth that many are chosen at least that often, and (multiple choice) the question
/// is answered at least that often;</item>
/// <item>stay: those at a stage or earlier cannot have chosen an option worth more points than the stage allows, so
/// that option's count is at most the respondents less them.</item>
/// </list>
/// A scored question whose options a reporting group merges is left out of the bounds (a group has no single points).
/// </summary>
internal static class JourneyBounds
{
    public static void Add(CpModel model, FigureSpace space, FigureSpace.Scope scope, Func<string, LinearExpr> counter)
    {
        var definition = space.Definition;
        if (definition.Journey is not { } journey) return;
        var scored = definition.Questions.Where(JourneyScore.IsScored).ToList();
        if (scored.Count == 0) return;
        var max = scored.Sum(JourneyScore.MaxPoints);
        var stages = journey.Stages;
        // The fewest points that reach each stage; the most that stay in it is the next stage's fewest less one.
        var fewest = stages.Select(s => Enumerable.Range(0, max + 1).First(p => JourneyScore.Scale(p, max) >= s.MinScore)).ToArray();
        long Most(int stage) => stage + 1 < stages.Count ? fewest[stage + 1] - 1 : max;

        var n = counter(Tally.Respondents);
        var at = stages.Select(s => counter(Tally.Chose(StageQuestion.Id, s.Id))).ToArray();
        LinearExpr AtLeast(int stage) => LinearExpr.Sum(at.Skip(stage));
        LinearExpr AtMost(int stage) => LinearExpr.Sum(at.Take(stage + 1));

        var exact = scored.Where(q => q.Id != scope.Without && q.Options.All(o => o.Points is not null)).ToList();
        if (exact.Count == scored.Count)
        {
            var points = LinearExpr.WeightedSum(
                exact.SelectMany(q => q.Options.Select(o => counter(Tally.Chose(q.Id, o.Id)))),
                exact.SelectMany(q => q.Options.Select(o => (long)o.Points!.Value)));
            model.Add(points >= LinearExpr.WeightedSum(at, fewest.Select(f => (long)f)));
            model.Add(points <= LinearExpr.WeightedSum(at, Enumerable.Range(0, stages.Count).Select(Most)));
        }

        foreach (var question in exact)
        {
            var rest = max - JourneyScore.MaxPoints(question);
            for (var stage = 1; stage < stages.Count; stage++)
            {
                var need = fewest[stage] - rest;
                if (need <= 0) continue;
                if (question.Type == QuestionType.Single)
                    model.Add(LinearExpr.Sum(question.Options.Where(o => o.Points >= need).Select(o => counter(Tally.Chose(question.Id, o.Id)))) >= AtLeast(stage));
                else
                    model.Add(counter(Tally.Answered(question.Id)) >= AtLeast(stage));
            }
            for (var stage = 0; stage + 1 < stages.Count; stage++)
            {
                var tooMany = question.Options.Where(o => Math.Min(o.Points!.Value, JourneyScore.MaxPoints(question)) > Most(stage)).ToList();
                if (tooMany.Count == 0) continue;
                if (question.Type == QuestionType.Single)
                    model.Add(LinearExpr.Sum(tooMany.Select(o => counter(Tally.Chose(question.Id, o.Id)))) <= n - AtMost(stage));
                else
                    foreach (var option in tooMany) model.Add(counter(Tally.Chose(question.Id, option.Id)) <= n - AtMost(stage));
            }
        }
    }
}
