namespace SurveyBackend.Aggregation;

/// <summary>
/// Small-cell suppression: figures below the threshold are hidden, then more, rule by rule until nothing changes, so
/// that no hidden figure can be worked out from shown ones by a sum. Not minimal (that is hard), but safe and deterministic.
/// </summary>
public sealed class Suppression(int minGroupSize, int earlierReleases = 0)
{
    // Each earlier release is a layer: a figure now less the same figure then counts those who came in between, and the
    // sums protect those differences too. Same and containment need no layer: its hidden set is the union of two that obey them.
    private readonly List<long> _values = [];
    private readonly List<bool> _hidden = [];
    private readonly List<Earlier>[] _layers = [.. Enumerable.Range(0, earlierReleases).Select(_ => new List<Earlier>())];
    private readonly List<Sum> _sums = [];
    private readonly List<Same> _same = [];
    private readonly List<Containment> _containments = [];

    public int MinGroupSize => minGroupSize;

    /// <summary>A figure as an earlier release had it.</summary>
    public readonly record struct Earlier(long Value, bool Shown);

    /// <summary>total = the sum of the parts.</summary>
    private sealed record Sum(int Total, int[] Parts);

    /// <summary>One number seen twice (a segment's size and that option's overall count).</summary>
    private sealed record Same(int A, int B);

    /// <summary>Figures that give the parent away: a segment's figures, or a question's option counts (their shares would).</summary>
    private sealed record Containment(int Parent, int[] Children);

    /// <summary>Adds a figure of this release (and, without earlier releases, nothing else).</summary>
    public int Add(long value, bool alwaysHidden = false) => Add(value, [], alwaysHidden);

    /// <summary>
    /// Adds a figure with its value in each earlier release, oldest first, and whether that release showed it. It is
    /// hidden now if small, or if it has grown by less than the threshold since a release that showed it. A value an
    /// earlier release hid is needed too: the sums of differences are checked with it.
    /// </summary>
    public int Add(long value, ReadOnlySpan<Earlier> earlier, bool alwaysHidden = false)
    {
        if (earlier.Length != _layers.Length)
            throw new ArgumentException($"Give the figure's value in each of the {_layers.Length} earlier releases.", nameof(earlier));

        var hidden = alwaysHidden || value < minGroupSize;
        for (var layer = 0; layer < _layers.Length; layer++)
        {
            _layers[layer].Add(earlier[layer]);
            if (earlier[layer].Shown && value - earlier[layer].Value < minGroupSize) hidden = true;
        }
        _values.Add(value);
        _hidden.Add(hidden);
        return _values.Count - 1;
    }

    public void AddSum(int total, IEnumerable<int> parts) => _sums.Add(new Sum(total, [.. parts]));

    public void AddSame(int a, int b) => _same.Add(new Same(a, b));

    public void AddContainment(int parent, IEnumerable<int> children) => _containments.Add(new Containment(parent, [.. children]));

    public bool IsHidden(int figure) => _hidden[figure];

    public long Value(int figure) => _values[figure];

    /// <summary>Applies the rules until no figure changes. Returns the number of passes (for tests).</summary>
    public int Solve()
    {
        var passes = 0;
        bool changed;
        do
        {
            passes++;
            changed = HideTheSameTogether();
            changed |= HideWhatTheHiddenContain();
            changed |= ProtectEverySum();
        }
        while (changed);
        return passes;
    }

    private bool HideTheSameTogether()
    {
        var changed = false;
        foreach (var (a, b) in _same)
        {
            if (_hidden[a] == _hidden[b]) continue;
            _hidden[a] = _hidden[b] = true;
            changed = true;
        }
        return changed;
    }

    private bool HideWhatTheHiddenContain()
    {
        var changed = false;
        foreach (var (parent, children) in _containments.Where(c => _hidden[c.Parent]))
        {
            foreach (var child in children.Where(c => !_hidden[c]))
            {
                _hidden[child] = true;
                changed = true;
            }
        }
        return changed;
    }

    /// <summary>Every sum in this release's table, then in each layer's table of differences.</summary>
    private bool ProtectEverySum()
    {
        var changed = false;
        foreach (var (total, parts) in _sums)
        {
            changed |= Protect(total, parts, f => _hidden[f], f => _values[f]);
            foreach (var then in _layers)
            {
                changed |= Protect(total, parts, f => _hidden[f] || !then[f].Shown, f => _values[f] - then[f].Value)
                    || ProtectApart(total, parts, then);
            }
        }
        return changed;
    }

    /// <summary>
    /// One sum in one table (this release, or its differences from an earlier one). With the total shown, the hidden
    /// parts must be two or more adding up to the threshold; with it hidden, some part must be hidden. Else the smallest
    /// shown part is hidden (or, with none left, the total). Hides at most one figure and says whether it did.
    /// </summary>
    private bool Protect(int total, int[] parts, Func<int, bool> hidden, Func<int, long> value)
    {
        var hiddenParts = 0;
        long hiddenSum = 0;
        var smallestShown = -1;
        foreach (var part in parts)
        {
            if (hidden(part))
            {
                hiddenParts++;
                hiddenSum += value(part);
            }
            else if (smallestShown < 0 || value(part) < value(smallestShown))
            {
                smallestShown = part;
            }
        }

        if (hidden(total))
        {
            // total = sum of shown parts would give the total away.
            if (hiddenParts > 0 || smallestShown < 0) return false;
            _hidden[smallestShown] = true;
            return true;
        }

        if (hiddenParts == 0) return false;
        // One hidden part is the total minus the others; several that add up to less than the threshold are each small.
        if (hiddenParts >= 2 && hiddenSum >= minGroupSize) return false;
        if (smallestShown >= 0) _hidden[smallestShown] = true;
        else _hidden[total] = true;
        return true;
    }

    /// <summary>
    /// A sum shown in both releases whose hidden parts differ: each side's hidden parts then have a known sum in both, so
    /// each side's arrivals are known apart and each needs a sum's protection. If either lacks it, the smallest part
    /// hidden then (shown now) is hidden now too, so that only the union's sum is known.
    /// </summary>
    private bool ProtectApart(int total, int[] parts, List<Earlier> then)
    {
        if (_hidden[total] || !then[total].Shown) return false;
        var now = parts.Where(p => _hidden[p]).ToList();
        var before = parts.Where(p => !then[p].Shown).ToList();
        if (now.Count == 0 || before.Count == 0 || now.Any(p => !then[p].Shown)) return false;

        bool Protected(List<int> side) => side.Count >= 2 && side.Sum(p => _values[p] - then[p].Value) >= minGroupSize;
        if (Protected(now) && Protected(before)) return false;
        _hidden[before.MinBy(p => _values[p] - then[p].Value)] = true;
        return true;
    }
}
