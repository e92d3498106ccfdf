using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Security.Cryptography;
using Microsoft.Extensions.Options;
using SurveyBackend.Intake;

namespace SurveyBackend.Benchmarks;

/// <summary>
/// The flood guard's cost per request, and the clients it holds, under a flood of distinct addresses arriving at
/// 100,000 a second (a simulated clock, so every run sees the same buckets), against the guard as it was before
/// issue #27 in the same run: that one walked every bucket on each request once it held 10,000, and dropped only
/// buckets that had refilled, so under such a flood it walked them all, every time. Goal: the cost per request does
/// not grow with the flood, and the clients held stay at or under 2 x 50,000. Args: [baseline flood = 40000]
/// [flood = 1000000].
/// </summary>
public sealed class FloodGuardBenchmark : IBenchmark
{
    private static readonly IOptions<IntakeOptions> Defaults = Options.Create(new IntakeOptions());

    public string Name => "floodguard";
    public string Description => "Flood guard cost per request and clients held under a flood of distinct addresses, vs the guard before #27";

    public Task RunAsync(string[] args)
    {
        var baselineFlood = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 40_000;
        var flood = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 1_000_000;

        Console.WriteLine($"  {"guard",-22} {"requests",10} {"µs/request",11} {"last 10% µs/req",16} {"clients held",13}");
        var before = Run("before #27", baselineFlood, clock => new PreviousFloodGuard(Defaults, clock).Check);
        var nowSame = Run("now", baselineFlood, clock => new FloodGuard(Defaults, clock).Check);
        var nowLarge = Run("now", flood, clock => new FloodGuard(Defaults, clock).Check);
        Console.WriteLine($"  ratio now / before at {baselineFlood:N0} requests: {nowSame.LastMicros / before.LastMicros:0.000}x per request in the last 10%");
        Console.WriteLine($"  now at {flood:N0} vs {baselineFlood:N0} requests: {nowLarge.LastMicros / nowSame.LastMicros:0.00}x per request in the last 10%"
            + $" (goal: about 1x); clients held {nowLarge.Held:N0} (goal <= {2 * FloodGuard.MaxClientsPerGeneration:N0})");
        return Task.CompletedTask;
    }

    private sealed record Result(double Micros, double LastMicros, int Held);

    private static Result Run(string label, int requests, Func<SimulatedClock, Func<IPAddress, TimeSpan?>> make)
    {
        var clock = new SimulatedClock();
        var check = make(clock);
        var address = new byte[16];
        var lastTenth = requests - requests / 10;
        var total = Stopwatch.StartNew();
        var last = new Stopwatch();
        for (var i = 0; i < requests; i++)
        {
            if (i == lastTenth) last.Start();
            BitConverter.TryWriteBytes(address.AsSpan(0, 8), 0x20010db8_00000000L + i);
            clock.Advance(TimeSpan.FromMicroseconds(10));
            check(new IPAddress(address));
        }
        last.Stop();
        total.Stop();
        var held = check.Target switch
        {
            FloodGuard guard => guard.TrackedClients,
            PreviousFloodGuard previous => previous.Count,
            _ => -1,
        };
        var result = new Result(total.Elapsed.TotalMicroseconds / requests, last.Elapsed.TotalMicroseconds / (requests - lastTenth), held);
        Console.WriteLine($"  {label,-22} {requests,10:N0} {result.Micros,11:0.00} {result.LastMicros,16:0.00} {held,13:N0}");
        return result;
    }

    private sealed class SimulatedClock : TimeProvider
    {
        private long _ticks;
        public override long GetTimestamp() => _ticks;
        public override long TimestampFrequency => TimeSpan.TicksPerSecond;
        public void Advance(TimeSpan by) => _ticks += by.Ticks;
    }

    /// <summary>The guard before issue #27, unchanged but for its name: the baseline.</summary>
    private sealed class PreviousFloodGuard(IOptions<IntakeOptions> options, TimeProvider clock)
    {
        private const int PruneAbove = 10_000;

        private readonly byte[] _key = RandomNumberGenerator.GetBytes(32);
        private readonly ConcurrentDictionary<string, Bucket> _buckets = new(StringComparer.Ordinal);
        private readonly IntakeOptions _options = options.Value;

        public int Count => _buckets.Count;

        public TimeSpan? Check(IPAddress client)
        {
            if (_options.RequestsPerMinute == 0) return null;
            var key = Convert.ToBase64String(HMACSHA256.HashData(_key, client.GetAddressBytes()));
            var now = clock.GetTimestamp();
            if (_buckets.Count > PruneAbove) Prune(now);
            var bucket = _buckets.GetOrAdd(key, _ => new Bucket(_options.Burst, now));
            return bucket.Take(now, _options.Burst, _options.RequestsPerMinute / 60.0, clock);
        }

        private void Prune(long now)
        {
            foreach (var (client, bucket) in _buckets)
            {
                if (bucket.IsFull(now, _options.Burst, _options.RequestsPerMinute / 60.0, clock)) _buckets.TryRemove(client, out _);
            }
        }

        private sealed class Bucket(double tokens, long updated)
        {
            private double _tokens = tokens;
            private long _updated = updated;

            public TimeSpan? Take(long now, int burst, double perSecond, TimeProvider clock)
            {
                lock (this)
                {
                    Refill(now, burst, perSecond, clock);
                    if (_tokens >= 1)
                    {
                        _tokens -= 1;
                        return null;
                    }
                    return TimeSpan.FromSeconds((1 - _tokens) / perSecond);
                }
            }

            public bool IsFull(long now, int burst, double perSecond, TimeProvider clock)
            {
                lock (this)
                {
                    Refill(now, burst, perSecond, clock);
                    return _tokens >= burst;
                }
            }

            private void Refill(long now, int burst, double perSecond, TimeProvider clock)
            {
                _tokens = Math.Min(burst, _tokens + clock.GetElapsedTime(_updated, now).TotalSeconds * perSecond);
                _updated = now;
            }
        }
    }
}
