using System.Collections.Concurrent;

namespace SurveyBackend.Intake;

/// <summary>What became of a post to either intake route, for the owner's hourly counts (never who sent it).</summary>
public enum IntakeCount
{
    Accepted,
    /// <summary>Refused by the flood guard (429).</summary>
    Flood,
    /// <summary>Refused for its proof of work: missing, invalid, expired or used (403).</summary>
    Proof,
    /// <summary>Refused as posted from another site (403).</summary>
    Origin,
    /// <summary>Refused for its form token: missing, forged, or expired (403).</summary>
    Token,
    /// <summary>Answered 202 like any other, and discarded: the honeypot was filled.</summary>
    Honeypot,
}

/// <summary>One hour's counts (UTC, on the hour), index by <see cref="IntakeCount"/>.</summary>
public sealed record HourCounts(DateTimeOffset Hour, long[] Counts)
{
    public long this[IntakeCount what] => Counts[(int)what];
}

/// <summary>
/// This instance's intake counts per hour, in memory: a flood costs an increment per post, not a storage write.
/// <see cref="IntakeCountFlusher"/> writes the hours that changed at most once a minute.
/// </summary>
public sealed class IntakeCounter(TimeProvider clock)
{
    public static readonly int Kinds = Enum.GetValues<IntakeCount>().Length;

    private readonly ConcurrentDictionary<DateTimeOffset, Hour> _hours = new();

    /// <summary>This instance's name among the writers of the counts: random, made at start, meaning nothing.</summary>
    public string Instance { get; } = Guid.NewGuid().ToString("N")[..12];

    public void Add(IntakeCount what)
    {
        var hour = _hours.GetOrAdd(HourOf(clock.GetUtcNow()), _ => new Hour());
        Interlocked.Increment(ref hour.Counts[(int)what]);
        Volatile.Write(ref hour.Changed, 1);
    }

    /// <summary>The hours counted since the last call, each with all it has counted so far; older hours are then let go.</summary>
    public IReadOnlyList<HourCounts> TakeChanged()
    {
        var changed = new List<HourCounts>();
        foreach (var (start, hour) in _hours)
        {
            if (Interlocked.Exchange(ref hour.Changed, 0) == 1) changed.Add(new HourCounts(start, Copy(hour)));
        }
        // A post still being counted for the last hour lands there; nothing earlier is written again.
        var keep = HourOf(clock.GetUtcNow()).AddHours(-1);
        foreach (var start in _hours.Keys.Where(h => h < keep)) _hours.TryRemove(start, out _);
        return changed;
    }

    /// <summary>An hour whose write failed is written again at the next flush (if it is still held).</summary>
    public void Retry(DateTimeOffset hour)
    {
        if (_hours.TryGetValue(hour, out var held)) Volatile.Write(ref held.Changed, 1);
    }

    /// <summary>What this instance holds now, written or not (the admin route adds it, so a single instance is never behind).</summary>
    public IReadOnlyList<HourCounts> Snapshot() => [.. _hours.Select(h => new HourCounts(h.Key, Copy(h.Value)))];

    public static DateTimeOffset HourOf(DateTimeOffset time) => new(time.UtcDateTime.Year, time.UtcDateTime.Month, time.UtcDateTime.Day, time.UtcDateTime.Hour, 0, 0, TimeSpan.Zero);

    private static long[] Copy(Hour hour) => [.. hour.Counts.Select((_, i) => Interlocked.Read(ref hour.Counts[i]))];

    private sealed class Hour
    {
        public readonly long[] Counts = new long[Kinds];
        public int Changed;
    }
}
