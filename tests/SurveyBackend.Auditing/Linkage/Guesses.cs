namespace SurveyBackend.Auditing.Linkage;

/// <summary>
/// An attack's verdict on one address: the responses it finds equally likely to be that person's (one when it is
/// sure; every response when it learnt nothing). It is right with probability 1/|candidates| if the truth is among them.
/// </summary>
public sealed record LinkGuess(string Address, IReadOnlyCollection<string> Candidates);

/// <summary>How an attack did against the truth the test knows, and what pure chance would give.</summary>
/// <param name="Linked">Expected correct links (a tie of k candidates that holds the truth counts 1/k).</param>
/// <param name="Chance">Expected correct links of a guess among each address's batch (the anonymity set the design concedes).</param>
/// <param name="Bound">Chance plus a 95% margin: the 95th percentile of the number of correct links by chance.</param>
public sealed record LinkScore(string Attack, int Addresses, double Linked, double Chance, int Bound)
{
    public double Rate => Addresses == 0 ? 0 : Linked / Addresses;

    public bool WithinChance => Linked <= Bound;

    public override string ToString() =>
        $"{Attack,-28} {Linked,6:0.0} of {Addresses,3} linked ({Rate,6:P1}); chance {Chance,5:0.0}, 95% bound {Bound,3}";

    /// <param name="truth">Each address's true response.</param>
    /// <param name="batchSize">How many addresses became readable together with each one (1 when it was readable alone).</param>
    public static LinkScore Of(string attack, IEnumerable<LinkGuess> guesses, IReadOnlyDictionary<string, string> truth, Func<string, int> batchSize)
    {
        var scored = guesses.Where(g => truth.ContainsKey(g.Address)).GroupBy(g => g.Address).Select(g => g.First()).ToList();
        var linked = scored.Sum(g => g.Candidates.Contains(truth[g.Address]) ? 1.0 / g.Candidates.Count : 0);
        var chances = scored.Select(g => 1.0 / Math.Max(1, batchSize(g.Address))).ToList();
        return new LinkScore(attack, scored.Count, linked, chances.Sum(), UpperQuantile(chances, 0.95));
    }

    /// <summary>The smallest t with P(X ≤ t) ≥ <paramref name="level"/>, X the number of successes of independent trials (Poisson binomial).</summary>
    public static int UpperQuantile(IReadOnlyList<double> probabilities, double level)
    {
        var distribution = new double[probabilities.Count + 1];
        distribution[0] = 1;
        for (var i = 0; i < probabilities.Count; i++)
        {
            var p = probabilities[i];
            for (var k = i + 1; k >= 1; k--) distribution[k] = distribution[k] * (1 - p) + distribution[k - 1] * p;
            distribution[0] *= 1 - p;
        }
        var cumulative = 0.0;
        for (var t = 0; t < distribution.Length; t++)
        {
            cumulative += distribution[t];
            if (cumulative >= level - 1e-12) return t;
        }
        return probabilities.Count;
    }
}

/// <summary>Rank matching, the shared core of the order attacks: the i-th address of one order is the i-th response of another.</summary>
internal static class Ranks
{
    /// <summary>
    /// Groups <paramref name="rows"/> by equal <paramref name="key"/> in ascending order, each with the range of ranks it
    /// spans: rows an order cannot tell apart share the candidates of all their ranks.
    /// </summary>
    public static IEnumerable<(IReadOnlyList<T> Rows, int From, int To)> TieGroups<T, TKey>(IEnumerable<T> rows, Func<T, TKey> key) where TKey : notnull
    {
        var rank = 0;
        foreach (var group in rows.GroupBy(key).OrderBy(g => g.Key))
        {
            var members = group.ToList();
            yield return (members, rank, rank + members.Count);
            rank += members.Count;
        }
    }

    /// <summary>For each address in a tie group, the items of <paramref name="order"/> at the group's ranks (all items when the ranks run past the order).</summary>
    public static IEnumerable<LinkGuess> Match<T>(IEnumerable<(IReadOnlyList<T> Rows, int From, int To)> groups, Func<T, string> address, IReadOnlyList<string> order, IReadOnlyCollection<string> everyone)
    {
        foreach (var (rows, from, to) in groups)
        {
            IReadOnlyCollection<string> candidates = from < order.Count ? [.. order.Skip(from).Take(to - from)] : everyone;
            foreach (var row in rows) yield return new LinkGuess(address(row), candidates);
        }
    }
}
