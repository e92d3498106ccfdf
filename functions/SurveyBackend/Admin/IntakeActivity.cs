using SurveyBackend.Intake;
using SurveyBackend.Storage;

namespace SurveyBackend.Admin;

/// <summary>One hour of intake, as the console shows it: accepted, and refused by reason. Counts only.</summary>
public sealed record IntakeHour(DateTimeOffset Hour, long Accepted, IntakeRefusals Refused);

public sealed record IntakeRefusals(long Flood, long Proof, long Origin, long Token, long Honeypot);

public sealed record IntakeHours(IReadOnlyList<IntakeHour> Hours);

/// <summary>
/// The last hours of intake for the whole app (every survey: a flood is refused before any survey is read), summed over
/// the instances' rows, with this instance's counts as they are in memory now (others' are up to a minute behind).
/// </summary>
public sealed class IntakeActivity(IntakeCountStore store, IntakeCounter counter, TimeProvider clock)
{
    public const int MaxHours = 24 * 31;

    public async Task<IntakeHours> LastHoursAsync(int hours, CancellationToken cancellationToken)
    {
        var now = IntakeCounter.HourOf(clock.GetUtcNow());
        var from = now.AddHours(1 - hours);
        var byInstance = new Dictionary<(string, DateTimeOffset), long[]>();
        foreach (var (instance, hour) in await store.ReadAsync(from, cancellationToken)) byInstance[(instance, hour.Hour)] = hour.Counts;
        foreach (var hour in counter.Snapshot().Where(h => h.Hour >= from)) byInstance[(counter.Instance, hour.Hour)] = hour.Counts;

        var sums = Enumerable.Range(0, hours).ToDictionary(i => from.AddHours(i), _ => new long[IntakeCounter.Kinds]);
        foreach (var ((_, hour), counts) in byInstance)
        {
            if (!sums.TryGetValue(hour, out var sum)) continue;
            for (var i = 0; i < counts.Length; i++) sum[i] += counts[i];
        }
        return new IntakeHours([.. sums.OrderBy(s => s.Key).Select(s => new IntakeHour(s.Key, s.Value[(int)IntakeCount.Accepted], new IntakeRefusals(
            s.Value[(int)IntakeCount.Flood], s.Value[(int)IntakeCount.Proof], s.Value[(int)IntakeCount.Origin],
            s.Value[(int)IntakeCount.Token], s.Value[(int)IntakeCount.Honeypot])))]);
    }
}
