using System.Diagnostics;
using System.Globalization;
using Google.OrTools.Sat;
using Google.OrTools.Util;
using SurveyBackend.Aggregation;
using SurveyBackend.Surveys;

namespace SurveyBackend.Auditing;

/// <summary>One published release, and the counts it was built from (used only to judge, never to attack).</summary>
public sealed record AuditedRelease(SurveyResults Published, IReadOnlyDictionary<string, IReadOnlyDictionary<string, long>> TrueCounts);

/// <summary>
/// A figure the attacker pins to one value: a hidden figure of release <see cref="Release"/> (<see cref="Since"/> = 0),
/// or the change of a figure from release <see cref="Since"/> to <see cref="Release"/> whose true value is below k.
/// </summary>
public sealed record Violation(int Release, int Since, Figure Figure, long TrueValue, long Min, long Max, bool Shown)
{
    public override string ToString() => Since == 0
        ? $"release {Release}: {Figure} = {TrueValue}, {(Shown ? "shown" : "hidden")}, pinned to [{Min}, {Max}]"
        : $"release {Release} minus release {Since}: {Figure} changed by {TrueValue}, {(Shown ? "shown in both" : "worked out")}, pinned to [{Min}, {Max}]";
}

/// <param name="Unchecked">Targets left unchecked because <see cref="AuditOptions.MaxPinned"/> was reached (0: the audit is complete).</param>
public sealed record AuditReport(IReadOnlyList<Violation> Violations, int Figures, int Targets, int ProvenBySearch, int ProvenOneByOne, int Unchecked, int Solves, TimeSpan Elapsed)
{
    public bool Passed => Violations.Count == 0;

    public override string ToString() =>
        $"{Targets} targets ({Figures} figures per release): {ProvenBySearch} shown free by the search, {ProvenOneByOne} one by one, " +
        $"{Violations.Count} pinned{(Unchecked > 0 ? $", {Unchecked} left unchecked" : "")}; {Solves} CP-SAT solves in {Elapsed.TotalSeconds:0.0}s" +
        string.Concat(Violations.Take(20).Select(v => Environment.NewLine + "  " + v));
}

/// <param name="Workers">CP-SAT workers (2 suits a 2-core machine).</param>
/// <param name="SearchRounds">Rounds of optimising a random direction over the targets not yet freed (they only save
/// time: the verdict never depends on them).</param>
/// <param name="WorkPerRound">CP-SAT's deterministic time per round, so that a busy machine does the same work, only slower.</param>
/// <param name="MaxPinned">Stop checking once this many targets are proven pinned (a mutation check needs a few, not all).</param>
/// <param name="Log">Where to say how the search went (rounds, checks), if anywhere.</param>
public sealed record AuditOptions(int Seed = 20261201, int Workers = 2, int SearchRounds = 12, double WorkPerRound = 0.25, double SecondsPerCheck = 120, int? MaxPinned = null, Action<string>? Log = null);

/// <summary>
/// An exact attacker over all releases of a survey. For every target (each hidden figure of each release, and each
/// change of a figure between two releases, or since nothing, whose true value is below k) it decides whether the
/// published documents and the definition's rules leave one value only. A target is free as soon as one solution of
/// the model gives it a value other than the truth, so the search first optimises random directions (every solution
/// found frees every target it moves), then checks each remaining target alone with "target ≠ truth": infeasible
/// means pinned. The verdict is exact; only the time depends on the search.
/// </summary>
public static class ReleaseAuditor
{
    public static AuditReport Audit(SurveyDefinition definition, IReadOnlyList<AuditedRelease> releases, AuditOptions? options = null)
    {
        options ??= new AuditOptions();
        var clock = Stopwatch.StartNew();
        // Reporting groups are public (they are in the definition) and no member option is shown anywhere: the
        // attacker works on the survey as reported, each group one option.
        var view = ReportingView.Of(definition);
        var space = new FigureSpace(view.Definition);
        var k = definition.MinGroupSize;
        var shown = releases.Select(r => space.Shown(r.Published)).ToList();
        var truth = releases.Select(r => space.TrueValues(view.Map(r.TrueCounts))).ToList();
        var intervals = truth.Select((t, j) => t.ToDictionary(x => x.Key, x => x.Value - (j == 0 ? 0 : truth[j - 1][x.Key]))).ToList();
        var model = new AttackModel(space, shown, intervals);

        // The targets, and those pinned by the documents themselves (shown, or shown in both releases).
        var violations = new List<Violation>();
        var targets = new List<Target>();
        var figures = space.ProtectedFigures().ToList();
        for (var r = 1; r <= releases.Count; r++)
        {
            foreach (var figure in figures)
            {
                for (var q = 0; q < r; q++)
                {
                    long Change(Figure f) => truth[r - 1][f] - (q == 0 ? 0 : truth[q - 1][f]);
                    var value = Change(figure);
                    if (FigureSpace.SkippedGroupOf(figure) is { } group && Change(group) == 0) continue;
                    var hiddenFigure = q == 0 && !shown[r - 1].ContainsKey(figure);
                    if (!hiddenFigure && value >= k) continue;
                    if (shown[r - 1].ContainsKey(figure) && (q == 0 || shown[q - 1].ContainsKey(figure)))
                    {
                        violations.Add(new Violation(r, q, figure, value, value, value, Shown: true));
                        continue;
                    }
                    targets.Add(new Target(r, q, figure, model.Range(r, q, figure), value));
                }
            }
        }

        using var search = new Search(model, options);
        search.CheckTruthHolds();
        var open = targets.ToList();
        var random = new Random(options.Seed);
        for (var round = 0; round < options.SearchRounds && open.Count > 0; round++)
        {
            var before = open.Count;
            var weights = open.Select(_ => random.Next(2) == 0 ? -1L : 1L).ToArray();
            open = search.Explore(open, weights);
            options.Log?.Invoke($"round {round + 1}: {before - open.Count} freed, {open.Count} open ({clock.Elapsed.TotalSeconds:0.0}s)");
            // A round that frees few is dearer than checking those few one by one.
            if (before - open.Count < Math.Max(2, before / 20)) break;
        }
        var provenBySearch = targets.Count - open.Count;
        options.Log?.Invoke($"{provenBySearch} of {targets.Count} freed by the search; checking {open.Count} one by one");

        var oneByOne = 0;
        var pinned = 0;
        while (open.Count > 0 && (options.MaxPinned is not { } most || pinned < most))
        {
            var target = open[0];
            var freed = search.TryMove(target, open);
            if (freed is null)
            {
                violations.Add(new Violation(target.Release, target.Since, target.Figure, target.Truth, target.Truth, target.Truth, Shown: false));
                open.RemoveAt(0);
                pinned++;
                continue;
            }
            oneByOne++;
            open = freed;
        }

        return new AuditReport(
            [.. violations.OrderBy(v => v.Release).ThenBy(v => v.Since).ThenBy(v => v.Figure.Scope, StringComparer.Ordinal).ThenBy(v => v.Figure.Counter, StringComparer.Ordinal)],
            figures.Count, targets.Count + violations.Count(v => v.Shown), provenBySearch, oneByOne, open.Count, search.Solves, clock.Elapsed);
    }

    internal sealed record Target(int Release, int Since, Figure Figure, int[] Vars, long Truth);

    /// <summary>The solver side: runs on one model, adding and removing one constraint per check.</summary>
    private sealed class Search(AttackModel model, AuditOptions options) : IDisposable
    {
        private readonly long _upper = model.IntervalSizes.Sum();

        public int Solves { get; private set; }

        public void Dispose() => ClearObjective();

        private void ClearObjective() => model.Model.Model.Objective = null;

        private string Parameters(string limit) => string.Create(CultureInfo.InvariantCulture,
            $"num_workers:{options.Workers} random_seed:{options.Seed} {limit}");

        private string WallLimit(string extra) => string.Create(CultureInfo.InvariantCulture, $"max_time_in_seconds:{options.SecondsPerCheck} {extra}");

        /// <summary>The truth is a solution: else the model claims more than an attacker knows.</summary>
        public void CheckTruthHolds()
        {
            var status = Solve(Parameters(WallLimit("fix_variables_to_their_hinted_value:true")), null);
            if (status is not (CpSolverStatus.Feasible or CpSolverStatus.Optimal))
                throw new InvalidOperationException($"The true counts do not satisfy the attacker's model ({status}): the model is wrong.");
        }

        /// <summary>Optimises Σ weight·target from the truth, keeping every solution found; returns the targets still not moved.</summary>
        public List<Target> Explore(List<Target> open, long[] weights)
        {
            var terms = new Dictionary<int, long>();
            for (var i = 0; i < open.Count; i++)
            {
                foreach (var v in open[i].Vars) terms[v] = terms.GetValueOrDefault(v) + weights[i];
            }
            var nonZero = terms.Where(t => t.Value != 0).ToList();
            ClearObjective();
            model.Model.Maximize(LinearExpr.WeightedSum(nonZero.Select(t => (LinearExpr)model.Vars[t.Key]), nonZero.Select(t => t.Value)));
            var collector = new Collector(model.Vars, open);
            Solve(Parameters(string.Create(CultureInfo.InvariantCulture, $"max_deterministic_time:{options.WorkPerRound}")), collector);
            ClearObjective();
            return collector.Open;
        }

        /// <summary>Solves with "target ≠ truth". Null: no such solution (pinned); else the targets this solution leaves unmoved.</summary>
        public List<Target>? TryMove(Target target, List<Target> open)
        {
            var constraints = model.Model.Model.Constraints;
            var domain = Domain.FromIntervals([[0, target.Truth - 1], [target.Truth + 1, _upper]]);
            model.Model.AddLinearExpressionInDomain(model.Sum(target.Vars), domain);
            try
            {
                var collector = new Collector(model.Vars, open, stopAtFirst: true);
                var status = Solve(Parameters(WallLimit("stop_after_first_solution:true")), collector);
                return status switch
                {
                    CpSolverStatus.Infeasible => null,
                    CpSolverStatus.Feasible or CpSolverStatus.Optimal when collector.Open.Count < open.Count => collector.Open,
                    _ => throw new InvalidOperationException($"Could not decide {target.Figure} of release {target.Release} since {target.Since} ({status}); raise SecondsPerCheck."),
                };
            }
            finally
            {
                constraints.RemoveAt(constraints.Count - 1);
            }
        }

        private CpSolverStatus Solve(string parameters, Collector? collector)
        {
            Solves++;
            var solver = new CpSolver { StringParameters = parameters };
            return collector is null ? solver.Solve(model.Model) : solver.Solve(model.Model, collector);
        }
    }

    /// <summary>Frees every open target whose value in a solution differs from its truth.</summary>
    private sealed class Collector(List<IntVar> vars, List<Target> open, bool stopAtFirst = false) : CpSolverSolutionCallback
    {
        public List<Target> Open { get; private set; } = open;

        public override void OnSolutionCallback()
        {
            var values = new Dictionary<int, long>();
            long ValueOf(int v)
            {
                if (!values.TryGetValue(v, out var x)) values[v] = x = Value(vars[v]);
                return x;
            }
            Open = [.. Open.Where(t => t.Vars.Sum(ValueOf) == t.Truth)];
            if (stopAtFirst) StopSearch();
        }
    }
}
