using System.Net;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Options;
using SurveyBackend.Intake;

namespace SurveyBackend.Tests.Unit.Intake;

/// <summary>The guard's allowance per client network, driven by a clock that moves only when the test moves it.</summary>
public sealed class FloodGuardTests
{
    private static FloodGuard Guard(ManualClock clock, int perMinute = 60, int burst = 3) =>
        new(Options.Create(new IntakeOptions { RequestsPerMinute = perMinute, Burst = burst }), clock);

    private static IPAddress At(string address) => IPAddress.Parse(address);

    [Fact]
    public void Check_AfterBurst_RefusesWithTheWaitForOneToken_ThenRefills()
    {
        var clock = new ManualClock();
        var guard = Guard(clock);
        for (var i = 0; i < 3; i++) Assert.Null(guard.Check(At("10.0.0.1")));
        Assert.Equal(TimeSpan.FromSeconds(1), guard.Check(At("10.0.0.1")));

        clock.Advance(TimeSpan.FromSeconds(1));
        Assert.Null(guard.Check(At("10.0.0.1")));
        Assert.NotNull(guard.Check(At("10.0.0.1")));
    }

    [Fact]
    public void Check_OtherClients_HaveTheirOwnBuckets()
    {
        var guard = Guard(new ManualClock(), burst: 1);
        Assert.Null(guard.Check(At("10.0.0.1")));
        Assert.NotNull(guard.Check(At("10.0.0.1")));
        Assert.Null(guard.Check(At("10.0.0.2")));
    }

    [Fact]
    public void Check_WithZeroRate_NeverRefuses()
    {
        var guard = Guard(new ManualClock(), perMinute: 0, burst: 1);
        for (var i = 0; i < 100; i++) Assert.Null(guard.Check(At("10.0.0.1")));
    }

    [Fact]
    public void Check_IPv6_CountsTheWholeSlash64AsOneClient_AndOtherSlash64sApart()
    {
        var guard = Guard(new ManualClock(), burst: 2);
        Assert.Null(guard.Check(At("2001:db8:0:1::1")));
        // A device that picks a new address inside its /64 is still the same client.
        Assert.Null(guard.Check(At("2001:db8:0:1:dead:beef:0:2")));
        Assert.NotNull(guard.Check(At("2001:db8:0:1::3")));

        Assert.Null(guard.Check(At("2001:db8:0:2::1")));
    }

    [Fact]
    public void Check_AnIPv4ClientSeenOverIPv6_IsTheSameClient_AndNotEveryIPv4ClientAtOnce()
    {
        var guard = Guard(new ManualClock(), burst: 1);
        Assert.Null(guard.Check(At("192.0.2.1")));
        Assert.NotNull(guard.Check(At("::ffff:192.0.2.1")));
        // Mapped addresses share a /64 (::ffff:0:0/96): counted by /64 they would all be one client.
        Assert.Null(guard.Check(At("::ffff:192.0.2.2")));
    }

    [Fact]
    public void Check_ClientsBehindOneProxy_WithPortedEntries_HaveTheirOwnBuckets()
    {
        const string header = "X-Forwarded-For";
        var guard = Guard(new ManualClock(), burst: 1);
        Assert.Null(guard.Check(From("10.0.0.4", "198.51.100.1:50123", header)));
        Assert.NotNull(guard.Check(From("10.0.0.4", "198.51.100.1:50124", header)));
        Assert.Null(guard.Check(From("10.0.0.4", "198.51.100.2:50123", header)));
        Assert.Null(guard.Check(From("10.0.0.4", "[2001:db8:1::1]:443", header)));
        Assert.Null(guard.Check(From("10.0.0.4", "[2001:db8:2::1]:443", header)));
        Assert.NotNull(guard.Check(From("10.0.0.4", "[2001:db8:2::9]:8443", header)));
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

    [Fact]
    public void Check_AClientThatKeepsComing_KeepsItsLimit_AcrossTurns()
    {
        var clock = new ManualClock();
        // 60 a minute, burst 3: an empty bucket refills in 3 s, so the generations turn every 3 s.
        var guard = Guard(clock);
        for (var i = 0; i < 3; i++) Assert.Null(guard.Check(At("10.0.0.1")));

        // Two requests a second for a minute: one is allowed each second, the other refused, turn after turn.
        var allowed = 0;
        for (var tick = 0; tick < 120; tick++)
        {
            clock.Advance(TimeSpan.FromMilliseconds(500));
            if (guard.Check(At("10.0.0.1")) is null) allowed++;
        }
        Assert.InRange(allowed, 59, 61);
    }

    [Fact]
    public void Check_AnIdleClient_IsForgotten_OnlyOnceItsBucketHasRefilled()
    {
        var clock = new ManualClock();
        var guard = Guard(clock);
        for (var i = 0; i < 3; i++) Assert.Null(guard.Check(At("10.0.0.1")));
        Assert.Equal(1, guard.TrackedClients);

        clock.Advance(TimeSpan.FromSeconds(3));
        Assert.Null(guard.Check(At("10.0.0.2")));
        Assert.Equal(2, guard.TrackedClients);

        clock.Advance(TimeSpan.FromSeconds(3));
        Assert.Null(guard.Check(At("10.0.0.3")));
        Assert.Equal(2, guard.TrackedClients);
        // Forgotten, and refilled all the same: three again, then a refusal.
        for (var i = 0; i < 3; i++) Assert.Null(guard.Check(At("10.0.0.1")));
        Assert.NotNull(guard.Check(At("10.0.0.1")));
    }

    [Fact]
    public void Check_AFloodOfDistinctNetworks_HoldsAtMostTwoGenerations_AndStillLimitsABusyClient()
    {
        var clock = new ManualClock();
        var guard = Guard(clock);
        var address = new byte[16];
        var peak = 0;
        var busyAllowed = 0;
        // 400,000 networks in 4 s: far faster than buckets refill, so the generations turn on their size.
        for (var i = 0; i < 400_000; i++)
        {
            BitConverter.TryWriteBytes(address.AsSpan(0, 8), 0x20010db8_00000000L + i);
            Assert.Null(guard.Check(new IPAddress(address)));
            if (i % 1_000 == 0)
            {
                clock.Advance(TimeSpan.FromMilliseconds(10));
                if (guard.Check(At("192.0.2.99")) is null) busyAllowed++;
            }
            peak = Math.Max(peak, guard.TrackedClients);
        }

        Assert.InRange(peak, FloodGuard.MaxClientsPerGeneration + 1, 2 * FloodGuard.MaxClientsPerGeneration);
        // 400 requests in 4 s from one client: its burst of 3 and one a second, whatever the flood around it did.
        Assert.InRange(busyAllowed, 6, 7);
    }

    /// <summary>The address the intake gate hands the guard, for a request from <paramref name="address"/>.</summary>
    private static IPAddress From(string address, string? forwarded = null, string? header = null)
    {
        var context = new DefaultHttpContext();
        context.Connection.RemoteIpAddress = IPAddress.Parse(address);
        if (forwarded is not null) context.Request.Headers["X-Forwarded-For"] = forwarded;
        return ClientAddresses.Of(context.Request.Headers[header ?? ""], context.Connection.RemoteIpAddress);
    }
}
