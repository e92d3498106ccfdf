namespace SurveyBackend.Auditing.Linkage;

/// <summary>
/// The operator without the secret who snapshots every table after every write. From the history alone it ties
/// each waiting (sealed) address to its response: the address appears in the write that finishes the submission
/// whose response was counted just before. What it must not manage is to tie a readable address (a recipient) to
/// its waiting row, and so to its response. Each attack below tries one signal for that.
/// </summary>
public sealed class HistoryAttacker
{
    private readonly IReadOnlyList<Snapshot> _history;
    private readonly List<Life> _waiting;
    private readonly List<Life> _recipients;
    private readonly Dictionary<string, string> _responseOf = new(StringComparer.Ordinal);
    private readonly List<string> _responses;
    private readonly Dictionary<string, List<string>> _besideAnswers = new(StringComparer.Ordinal);

    public HistoryAttacker(IReadOnlyList<Snapshot> history)
    {
        _history = history;
        var lives = Lives(history);
        var responses = lives.Values.Where(l => Roles.IsResponse(l.First)).OrderBy(l => l.Appeared).ToList();
        _responses = [.. responses.Select(r => r.First.RowKey)];
        _waiting = [.. lives.Values.Where(l => Roles.IsWaitingAddress(l.First)).OrderBy(l => l.Appeared)];
        _recipients = [.. lives.Values.Where(l => Roles.IsRecipient(l.Last))];
        foreach (var waiting in _waiting)
        {
            // The response counted last before the address appeared: the same submission, finished in the next write.
            var response = responses.LastOrDefault(r => r.Appeared <= waiting.Appeared);
            if (response is not null) _responseOf[waiting.First.Id] = response.First.RowKey;
        }
        // An address ever stored in clear beside answers is tied to the responses with those answers.
        foreach (var life in lives.Values.Where(l => Roles.HoldsAnswers(l.First) && !Roles.IsResponse(l.First)))
        {
            if (Roles.ClearAddress(life.First) is not { } address) continue;
            var answers = life.First.Text("AnswersJson");
            _besideAnswers[address] = [.. responses.Where(r => r.First.Text("AnswersJson") == answers).Select(r => r.First.RowKey)];
        }
    }

    /// <summary>Every address the attacker ever read in clear.</summary>
    public IEnumerable<string> Addresses => _recipients.Select(Address).Concat(_besideAnswers.Keys).Distinct(StringComparer.Ordinal);

    /// <summary>Addresses read in clear beside answers (an older layout kept them so until anonymised), tied to the responses with those answers.</summary>
    public IEnumerable<LinkGuess> BesideAnswers() =>
        _besideAnswers.Select(a => new LinkGuess(a.Key, a.Value.Count > 0 ? a.Value : _responses));

    /// <summary>Recipients in the order of their Timestamps, against waiting addresses in the order they arrived.</summary>
    public IEnumerable<LinkGuess> TimestampOrder() =>
        Ranks.Match(Ranks.TieGroups(_recipients, r => r.Last.Timestamp), Address, ResponsesOf(_waiting.OrderBy(w => w.First.Timestamp).ThenBy(w => w.Appeared)), _responses);

    /// <summary>Waiting addresses in the order of their keys (what a key that carries the arrival time gives away), against recipients in the order they landed.</summary>
    public IEnumerable<LinkGuess> KeyOrder() =>
        Ranks.Match(Ranks.TieGroups(_recipients, r => r.Last.Timestamp), Address, ResponsesOf(_waiting.OrderBy(w => w.First.RowKey, StringComparer.Ordinal)), _responses);

    /// <summary>Each recipient against the waiting addresses whose seal is closest to its length.</summary>
    public IEnumerable<LinkGuess> Lengths() => _recipients.Select(recipient =>
    {
        var wanted = Roles.PlainLength(Address(recipient), recipient.Last.Text("Language"));
        var lengths = _waiting.Select(w => (Waiting: w, Gap: Math.Abs((Roles.SealedLength(Roles.Sealed(w.First)!) ?? int.MaxValue / 2) - wanted))).ToList();
        var best = lengths.Count == 0 ? 0 : lengths.Min(l => l.Gap);
        return Guess(recipient, lengths.Where(l => l.Gap == best).Select(l => l.Waiting));
    });

    /// <summary>
    /// Each recipient against the waiting addresses that vanished in the same landing (the run of writes that only
    /// add recipients or remove waiting addresses), arrived before it, and were not already written: the batch.
    /// </summary>
    public IEnumerable<LinkGuess> IntersectingBatches() => _recipients.Select(recipient =>
    {
        var (from, to) = LandingRun(recipient.Appeared);
        return Guess(recipient, _waiting.Where(w => w.LastSeen + 1 >= from && w.LastSeen + 1 <= to && w.Appeared < recipient.Appeared));
    });

    private LinkGuess Guess(Life recipient, IEnumerable<Life> waiting)
    {
        var candidates = waiting.Select(w => _responseOf.GetValueOrDefault(w.First.Id)).OfType<string>().Distinct(StringComparer.Ordinal).ToList();
        return new LinkGuess(Address(recipient), candidates.Count > 0 ? candidates : _responses);
    }

    private List<string> ResponsesOf(IEnumerable<Life> waiting) => [.. waiting.Select(w => _responseOf.GetValueOrDefault(w.First.Id) ?? "")];

    /// <summary>The snapshots around <paramref name="index"/> whose writes only added recipients or removed waiting addresses.</summary>
    private (int From, int To) LandingRun(int index)
    {
        var from = index;
        while (from > 1 && OnlyLanding(from - 1)) from--;
        var to = index;
        while (to + 1 < _history.Count && OnlyLanding(to + 1)) to++;
        return (from, to);
    }

    private readonly Dictionary<int, bool> _landing = [];

    private bool OnlyLanding(int index)
    {
        if (_landing.TryGetValue(index, out var known)) return known;
        var before = _history[index - 1].Rows.ToDictionary(r => r.Id, StringComparer.Ordinal);
        var after = _history[index].Rows.ToDictionary(r => r.Id, StringComparer.Ordinal);
        var added = after.Values.Where(r => !before.TryGetValue(r.Id, out var old) || old.Timestamp != r.Timestamp);
        var removed = before.Values.Where(r => !after.ContainsKey(r.Id));
        var landing = added.All(Roles.IsRecipient) && removed.All(Roles.IsWaitingAddress) && (added.Any() || removed.Any());
        return _landing[index] = landing;
    }

    private static string Address(Life recipient) => recipient.Last.Text("Email")!;

    /// <summary>A row through the history: its first and last version, the snapshot it appeared in and the last it was seen in.</summary>
    private sealed record Life(StoredRow First, StoredRow Last, int Appeared, int LastSeen);

    private static Dictionary<string, Life> Lives(IReadOnlyList<Snapshot> history)
    {
        var lives = new Dictionary<string, Life>(StringComparer.Ordinal);
        foreach (var snapshot in history)
        {
            foreach (var row in snapshot.Rows)
            {
                lives[row.Id] = lives.TryGetValue(row.Id, out var life)
                    ? life with { Last = row, LastSeen = snapshot.Index }
                    : new Life(row, row, snapshot.Index, snapshot.Index);
            }
        }
        return lives;
    }
}
