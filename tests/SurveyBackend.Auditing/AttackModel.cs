using Google.OrTools.Sat;
using SurveyBackend.Aggregation;
using SurveyBackend.Surveys;

namespace SurveyBackend.Auditing;

/// <summary>
/// What an attacker knows, as a CP-SAT model. Responses are only ever added, so release r is the sum of the change
/// tables of intervals 1..r (interval j: those who arrived between release j-1 and release j). Each change table is a
/// table of counts of real respondents, so each obeys every rule of the definition on its own, with every count
/// non-negative; each release's shown figures are fixed to what was shown. Nothing here reads the production
/// suppression: only the definition and the published documents (and the truth, as a hint and to check that the
/// model holds it).
/// </summary>
internal sealed class AttackModel
{
    private readonly Dictionary<(int Interval, Figure Figure), int> _index = [];
    private readonly FigureSpace _space;

    public AttackModel(FigureSpace space, IReadOnlyList<Dictionary<Figure, long>> shown, IReadOnlyList<Dictionary<Figure, long>> intervalTruth)
    {
        _space = space;
        Intervals = shown.Count;
        var respondents = new Figure(Tally.All, Tally.Respondents);
        var sizes = new long[Intervals];
        for (var j = 0; j < Intervals; j++)
        {
            sizes[j] = shown[j][respondents] - (j == 0 ? 0 : shown[j - 1][respondents]);
            if (sizes[j] < 0) throw new ArgumentException($"Release {j + 1} has fewer respondents than release {j}.", nameof(shown));
        }
        IntervalSizes = sizes;

        for (var j = 0; j < Intervals; j++)
        {
            foreach (var scope in space.Scopes)
            {
                foreach (var counter in space.CountersOf(scope))
                {
                    var figure = new Figure(scope.Key, counter);
                    _index[(j, figure)] = NewVar(sizes[j], $"{j}:{figure}", intervalTruth[j][figure]);
                }
            }
            AddRules(j, intervalTruth[j]);
        }

        // Each release shows the sum of the change tables up to it.
        for (var r = 0; r < Intervals; r++)
        {
            foreach (var (figure, value) in shown[r])
            {
                Model.Add(Sum(Range(r + 1, 0, figure)) == value);
            }
        }
    }

    public CpModel Model { get; } = new();
    public List<IntVar> Vars { get; } = [];
    public List<long> Truth { get; } = [];
    public int Intervals { get; }
    public IReadOnlyList<long> IntervalSizes { get; }

    /// <summary>The variables whose sum is release <paramref name="release"/>'s figure minus release <paramref name="since"/>'s (0: nothing).</summary>
    public int[] Range(int release, int since, Figure figure) =>
        [.. Enumerable.Range(since, release - since).Select(j => _index[(j, figure)])];

    public LinearExpr Sum(IEnumerable<int> vars) => LinearExpr.Sum(vars.Select(v => (LinearExpr)Vars[v]));

    private int NewVar(long upper, string name, long truth)
    {
        Vars.Add(Model.NewIntVar(0, upper, name));
        Truth.Add(truth);
        Model.AddHint(Vars[^1], truth);
        return Vars.Count - 1;
    }

    private LinearExpr V(int j, string scope, string counter) => Vars[_index[(j, new Figure(scope, counter))]];

    private void AddRules(int j, Dictionary<Figure, long> truth)
    {
        foreach (var scope in _space.Scopes)
        {
            JourneyBounds.Add(Model, _space, scope, counter => V(j, scope.Key, counter));
            var n = V(j, scope.Key, Tally.Respondents);
            foreach (var question in _space.QuestionsOf(scope))
            {
                var answered = V(j, scope.Key, Tally.Answered(question.Id));
                LinearExpr Option(string o) => V(j, scope.Key, Tally.Chose(question.Id, o));
                var options = question.ChoosableOptionIds.Select(Option).ToList();
                Model.Add(answered <= n);
                if (question.Required) Model.Add(answered == n);
                if (question.Type == QuestionType.Single)
                {
                    Model.Add(answered == LinearExpr.Sum(options));
                    continue;
                }
                foreach (var option in options) Model.Add(option <= answered);
                Model.Add(LinearExpr.Sum(options) >= answered);
                if (question.MaxSelections is { } max) Model.Add(LinearExpr.Sum(options) <= max * answered);

                var exclusive = question.Options.Where(o => o.Exclusive).Select(o => o.Id).ToHashSet(StringComparer.Ordinal);
                if (exclusive.Count == 0) continue;
                // Those who chose any non-exclusive option: each answer is either one exclusive option or only these.
                var others = question.ChoosableOptionIds.Where(o => !exclusive.Contains(o)).ToList();
                long Truth(string counter) => truth[new Figure(scope.Key, counter)];
                var chooseOthers = Vars[NewVar(IntervalSizes[j], $"{j}:{scope.Key}/nonexclusive|{question.Id}",
                    Truth(Tally.Answered(question.Id)) - exclusive.Sum(o => Truth(Tally.Chose(question.Id, o))))];
                Model.Add(LinearExpr.Sum(exclusive.Select(Option)) + chooseOthers == answered);
                foreach (var other in others) Model.Add(chooseOthers >= Option(other));
                Model.Add(chooseOthers <= LinearExpr.Sum(others.Select(Option)));
                if (question.MaxSelections is { } m) Model.Add(LinearExpr.Sum(others.Select(Option)) <= m * chooseOthers);
            }
        }

        foreach (var segment in _space.SegmentQuestions)
        {
            var segmentScopes = segment.ChoosableOptionIds.Select(o => Tally.SegmentScope(segment.Id, o)).ToList();
            // A segment's size is its option's overall count.
            foreach (var option in segment.ChoosableOptionIds)
            {
                Model.Add(V(j, Tally.SegmentScope(segment.Id, option), Tally.Respondents) == V(j, Tally.All, Tally.Chose(segment.Id, option)));
            }
            // Overall = the sum over the segments + those who skipped the segment question.
            var skipped = _space.Scopes.Single(s => s.Key == FigureSpace.SkippedPrefix + segment.Id);
            foreach (var counter in _space.CountersOf(skipped))
            {
                Model.Add(V(j, Tally.All, counter) == LinearExpr.Sum(segmentScopes.Select(s => V(j, s, counter))) + V(j, skipped.Key, counter));
            }
        }

        // Two segment questions cross: segment S=s's count of T=t is segment T=t's count of S=s.
        for (var a = 0; a < _space.SegmentQuestions.Count; a++)
        {
            for (var b = a + 1; b < _space.SegmentQuestions.Count; b++)
            {
                var (s, t) = (_space.SegmentQuestions[a], _space.SegmentQuestions[b]);
                foreach (var so in s.ChoosableOptionIds)
                {
                    foreach (var to in t.ChoosableOptionIds)
                    {
                        Model.Add(V(j, Tally.SegmentScope(s.Id, so), Tally.Chose(t.Id, to)) == V(j, Tally.SegmentScope(t.Id, to), Tally.Chose(s.Id, so)));
                    }
                }
            }
        }
    }
}
