namespace SurveyBackend.Tests.Unit;

/// <summary>A clock that moves only when a test moves it: both its timestamps and its wall time.</summary>
internal sealed class ManualClock : TimeProvider
{
    private static readonly DateTimeOffset Start = new(2026, 3, 1, 9, 0, 0, TimeSpan.Zero);

    public long Ticks { get; private set; }
    public override long GetTimestamp() => Ticks;
    public override long TimestampFrequency => TimeSpan.TicksPerSecond;
    public override DateTimeOffset GetUtcNow() => Start.AddTicks(Ticks);
    public void Advance(TimeSpan by) => Ticks += by.Ticks;
}
