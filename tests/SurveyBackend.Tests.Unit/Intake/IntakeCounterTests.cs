using SurveyBackend.Intake;

namespace SurveyBackend.Tests.Unit.Intake;

public sealed class IntakeCounterTests
{
    private readonly SettableClock _clock = new(new DateTimeOffset(2026, 12, 1, 9, 15, 0, TimeSpan.Zero));

    [Fact]
    public void AFlood_IsOneHourToWrite_NotOneWritePerRefusal()
    {
        var counter = new IntakeCounter(_clock);
        Parallel.For(0, 10_000, _ => counter.Add(IntakeCount.Flood));
        counter.Add(IntakeCount.Accepted);

        var changed = Assert.Single(counter.TakeChanged());
        Assert.Equal(new DateTimeOffset(2026, 12, 1, 9, 0, 0, TimeSpan.Zero), changed.Hour);
        Assert.Equal(10_000, changed[IntakeCount.Flood]);
        Assert.Equal(1, changed[IntakeCount.Accepted]);
        Assert.Empty(counter.TakeChanged());
    }

    [Fact]
    public void AnHour_IsWrittenWhole_EachTimeItChanges_AndLetGoAnHourAfterItEnds()
    {
        var counter = new IntakeCounter(_clock);
        counter.Add(IntakeCount.Proof);
        counter.TakeChanged();
        counter.Add(IntakeCount.Proof);
        Assert.Equal(2, Assert.Single(counter.TakeChanged())[IntakeCount.Proof]);

        _clock.Now = _clock.Now.AddHours(1);
        counter.Add(IntakeCount.Origin);
        var next = Assert.Single(counter.TakeChanged());
        Assert.Equal(10, next.Hour.Hour);
        Assert.Equal([0, 0, 0, 1, 0, 0], next.Counts);
        Assert.Equal(2, counter.Snapshot().Count);

        _clock.Now = _clock.Now.AddHours(1);
        counter.TakeChanged();
        Assert.DoesNotContain(counter.Snapshot(), h => h.Hour.Hour == 9);
    }

    [Fact]
    public void AFailedWrite_IsTriedAgain()
    {
        var counter = new IntakeCounter(_clock);
        counter.Add(IntakeCount.Token);
        var hour = Assert.Single(counter.TakeChanged());
        counter.Retry(hour.Hour);
        Assert.Equal(1, Assert.Single(counter.TakeChanged())[IntakeCount.Token]);
    }

    private sealed class SettableClock(DateTimeOffset now) : TimeProvider
    {
        public DateTimeOffset Now { get; set; } = now;
        public override DateTimeOffset GetUtcNow() => Now;
    }
}
