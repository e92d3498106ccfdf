using System.Net;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Options;
using SurveyBackend.Intake;

namespace SurveyBackend.Tests.Unit.Intake;

public sealed class FloodGuardTests
{
    private sealed class ManualClock : TimeProvider
    {
        public long Ticks { get; set; }
        public override long GetTimestamp() => Ticks;
        public override long TimestampFrequency => TimeSpan.TicksPerSecond;
        public void Advance(TimeSpan by) => Ticks += by.Ticks;
    }

    /// <summary>The address the intake gate hands the guard, for a request from <paramref name="address"/>.</summary>
    private static IPAddress From(string address, string? forwarded = null, string? header = null)
    {
        var context = new DefaultHttpContext();
        context.Connection.RemoteIpAddress = IPAddress.Parse(address);
        if (forwarded is not null) context.Request.Headers["X-Forwarded-For"] = forwarded;
        return IntakeEndpoints.ClientAddress(context.Request, header);
    }

    private static FloodGuard Guard(ManualClock clock, int perMinute = 60, int burst = 3) =>
        new(Options.Create(new IntakeOptions { RequestsPerMinute = perMinute, Burst = burst }), clock);

    [Fact]
    public void Check_AfterBurst_RefusesWithTheWaitForOneToken_ThenRefills()
    {
        var clock = new ManualClock();
        var guard = Guard(clock);
        for (var i = 0; i < 3; i++) Assert.Null(guard.Check(From("10.0.0.1")));
        Assert.Equal(TimeSpan.FromSeconds(1), guard.Check(From("10.0.0.1")));

        clock.Advance(TimeSpan.FromSeconds(1));
        Assert.Null(guard.Check(From("10.0.0.1")));
        Assert.NotNull(guard.Check(From("10.0.0.1")));
    }

    [Fact]
    public void Check_OtherClients_HaveTheirOwnBuckets()
    {
        var guard = Guard(new ManualClock(), burst: 1);
        Assert.Null(guard.Check(From("10.0.0.1")));
        Assert.NotNull(guard.Check(From("10.0.0.1")));
        Assert.Null(guard.Check(From("10.0.0.2")));
    }

    [Fact]
    public void Check_WithZeroRate_NeverRefuses()
    {
        var guard = Guard(new ManualClock(), perMinute: 0, burst: 1);
        for (var i = 0; i < 100; i++) Assert.Null(guard.Check(From("10.0.0.1")));
    }

    [Fact]
    public void Check_WithForwardedHeader_KeysOnItsLastEntry()
    {
        const string header = "X-Forwarded-For";
        var guard = Guard(new ManualClock(), burst: 1);
        Assert.Null(guard.Check(From("127.0.0.1", "1.1.1.1, 203.0.113.9", header)));
        // A spoofed first entry does not make a new client.
        Assert.NotNull(guard.Check(From("127.0.0.1", "2.2.2.2, 203.0.113.9", header)));
        Assert.Null(guard.Check(From("127.0.0.1", "203.0.113.10", header)));
        // Without the setting the header is not believed: every request here comes from the proxy's address.
        Assert.Equal(IPAddress.Loopback, From("127.0.0.1", "203.0.113.11"));
    }
}
