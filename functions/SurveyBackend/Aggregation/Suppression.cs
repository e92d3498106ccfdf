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
/// <para><b>Earlier releases.</b> Each earlier release of the same survey is a layer: its figures are fixed (shown
/// or hidden for good), and the difference between a figure now and the same figure then counts the respondents who
/// arrived in between. Those differences form a table of their own, tied by the same sums, and get the same
/// protection: a difference below the threshold is hidden (by hiding the figure now, the only side that can still
/// change), and the sum rule is applied to every layer's differences, where a figure is hidden if it is hidden now
/// or was hidden then. Same and containment need no layer of their own: what is hidden in a layer is the union of
/// two patterns that each satisfy them.</para>
/// </summary>
public sealed class Suppression(int minGroupSize, int earlierReleases = 0)
{
    private readonly List<long> _values = [];
    private readonly List<bool> _hidden = [];
    // Per earlier release, per figure: its value there and whether that release showed it.
    private readonly List<Earlier>[] _earlier = [.. Enumerable.Range(0, earlierReleases).Select(_ => new List<Earlier>())];
    private readonly List<(int Total, int[] Parts)> _sums = [];
    private readonly List<(int A, int B)> _same = [];
    private readonly List<(int Parent, int[] Children)> _contains = [];

    public int MinGroupSize => minGroupSize;

    /// <summary>Adds a figure of this release (and, without earlier releases, nothing else).</summary>
    public int Add(long value, bool alwaysHidden = false) => Add(value, [], alwaysHidden);

    /// <summary>A figure as an earlier release had it.</summary>
    public readonly record struct Earlier(long Value, bool Shown);

    /// <summary>
    /// Adds a figure with its value in each earlier release, oldest first, and whether that release showed it. It is
    /// hidden now if it is small, or if it has changed by less than the threshold since a release that showed it.
    /// The value of a figure an earlier release hid is needed too: the sums of differences are checked with it.
    /// </summary>
    public int Add(long value, ReadOnlySpan<Earlier> earlier, bool alwaysHidden = false)
    {
        if (earlier.Length != _earlier.Length)
            throw new ArgumentException($"Give the figure's value in each of the {_earlier.Length} earlier releases.", nameof(earlier));

        var hidden = alwaysHidden || value < minGroupSize;
        for (var layer = 0; layer < _earlier.Length; layer++)
        {
            _earlier[layer].Add(earlier[layer]);
            if (earlier[layer].Shown && value - earlier[layer].Value < minGroupSize) hidden = true;
        }
        _values.Add(value);
        _hidden.Add(hidden);
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
                changed |= Protect(total, parts, f => _hidden[f], f => _values[f]);
                foreach (var then in _earlier)
                {
                    // The difference table: hidden if hidden now or then; its values are the arrivals in between.
                    changed |= Protect(total, parts, f => _hidden[f] || !then[f].Shown, f => _values[f] - then[f].Value);
                }
            }
        }
        while (changed);
        return passes;
    }

    /// <summary>
    /// One sum in one table (this release, or its differences from an earlier one). Hides at most one figure of this
    /// release and says whether it did. A figure shown in the table is shown now, so it can always be hidden.
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
}
