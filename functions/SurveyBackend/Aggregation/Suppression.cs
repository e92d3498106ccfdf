namespace SurveyBackend.Aggregation;

/// <summary>
/// Small-cell suppression over a set of figures tied by sums. A figure below the threshold is hidden; then,
/// until nothing changes, more figures are hidden so that no hidden figure can be worked out from shown ones:
/// <list type="bullet">
/// <item><b>Sums</b> (total = sum of parts): if the total is shown, the hidden parts must be at least two and
/// add up to at least the threshold, else the smallest shown part is hidden too (or, with none left, the total).
/// If the total is hidden, at least one part must be hidden, else the smallest part is hidden.</item>
/// <item><b>Same</b>: figures that are one number seen twice (a segment's size and that option's overall count)
/// are hidden together.</item>
/// <item><b>Containment</b>: hiding a figure hides those that depend on it (a segment hides all its figures;
/// a question's answered count hides its option counts, whose shares would give it away).</item>
/// </list>
/// Figures marked always-hidden (a group never shown, such as those who skipped a segment question) take part in
/// sums as hidden parts. The result is not minimal (that problem is hard) but it is safe and deterministic.
/// </summary>
public sealed class Suppression(int minGroupSize)
{
    private readonly List<long> _values = [];
    private readonly List<bool> _hidden = [];
    private readonly List<(int Total, int[] Parts)> _sums = [];
    private readonly List<(int A, int B)> _same = [];
    private readonly List<(int Parent, int[] Children)> _contains = [];

    public int MinGroupSize => minGroupSize;

    public int Add(long value, bool alwaysHidden = false)
    {
        _values.Add(value);
        _hidden.Add(alwaysHidden || value < minGroupSize);
        return _values.Count - 1;
    }

    public void AddSum(int total, IEnumerable<int> parts) => _sums.Add((total, parts.ToArray()));

    public void AddSame(int a, int b) => _same.Add((a, b));

    public void AddContainment(int parent, IEnumerable<int> children) => _contains.Add((parent, children.ToArray()));

    public bool IsHidden(int figure) => _hidden[figure];

    public long Value(int figure) => _values[figure];

    /// <summary>Applies the rules until no figure changes. Returns the number of passes (for tests).</summary>
    public int Solve()
    {
        var passes = 0;
        bool changed;
        do
        {
            changed = false;
            passes++;
            foreach (var (a, b) in _same)
            {
                if (_hidden[a] != _hidden[b])
                {
                    _hidden[a] = _hidden[b] = true;
                    changed = true;
                }
            }
            foreach (var (parent, children) in _contains)
            {
                if (!_hidden[parent]) continue;
                foreach (var child in children)
                {
                    if (_hidden[child]) continue;
                    _hidden[child] = true;
                    changed = true;
                }
            }
            foreach (var (total, parts) in _sums)
            {
                changed |= Protect(total, parts);
            }
        }
        while (changed);
        return passes;
    }

    private bool Protect(int total, int[] parts)
    {
        var hiddenParts = 0;
        long hiddenSum = 0;
        var smallestShown = -1;
        foreach (var part in parts)
        {
            if (_hidden[part])
            {
                hiddenParts++;
                hiddenSum += _values[part];
            }
            else if (smallestShown < 0 || _values[part] < _values[smallestShown])
            {
                smallestShown = part;
            }
        }

        if (_hidden[total])
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
}
