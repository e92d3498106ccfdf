using System.Collections.Concurrent;
using System.Net;
using System.Security.Cryptography;
using Microsoft.Extensions.Options;

namespace SurveyBackend.Intake;

/// <summary>
/// A token bucket per client, in this instance's memory. The client's key is a keyed hash of its address
/// under a key made at start and never kept, so the address itself is never stored or logged anywhere.
/// </summary>
public sealed class FloodGuard(IOptions<IntakeOptions> options, TimeProvider clock)
{
    // Past this many clients, buckets that have refilled (idle clients) are dropped.
    private const int PruneAbove = 10_000;

    private readonly byte[] _key = RandomNumberGenerator.GetBytes(32);
    private readonly ConcurrentDictionary<string, Bucket> _buckets = new(StringComparer.Ordinal);
    private readonly IntakeOptions _options = options.Value;

    /// <summary>Null when the client at <paramref name="client"/> may go ahead, else how long it should wait.</summary>
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
