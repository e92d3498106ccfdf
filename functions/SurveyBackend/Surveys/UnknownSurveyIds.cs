namespace SurveyBackend.Surveys;

/// <summary>
/// Ids looked up and not found, each kept for one lifetime and at most <c>capacity</c>: a mistyped embed costs one read
/// per interval, a flood of random ids bounded memory. One queue in arrival order keeps both bounds, with O(1) work per
/// call.
/// </summary>
public sealed class UnknownSurveyIds(int capacity, TimeSpan lifetime, TimeProvider clock)
{
    private readonly object _gate = new();
    private readonly Dictionary<string, DateTimeOffset> _expires = new(StringComparer.Ordinal);
    private readonly Queue<(string Id, DateTimeOffset Expires)> _order = new();

    public int Count
    {
        get
        {
            lock (_gate) return _expires.Count;
        }
    }

    public bool Contains(string id)
    {
        lock (_gate) return _expires.TryGetValue(id, out var expires) && expires > clock.GetUtcNow();
    }

    public void Add(string id)
    {
        var now = clock.GetUtcNow();
        lock (_gate)
        {
            while (_order.TryPeek(out var oldest) && (oldest.Expires <= now || _order.Count >= capacity)) Forget(_order.Dequeue());
            _expires[id] = now + lifetime;
            _order.Enqueue((id, now + lifetime));
        }
    }

    /// <summary>The survey exists now (it was just saved here).</summary>
    public void Remove(string id)
    {
        lock (_gate) _expires.Remove(id);
    }

    // An entry re-added since, or removed, has no match here: only the entry this queue slot made is forgotten.
    private void Forget((string Id, DateTimeOffset Expires) entry)
    {
        if (_expires.TryGetValue(entry.Id, out var expires) && expires == entry.Expires) _expires.Remove(entry.Id);
    }
}
