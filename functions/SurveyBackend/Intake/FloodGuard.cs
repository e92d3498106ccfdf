using System.Buffers.Binary;
using System.Net;
using System.Runtime.InteropServices;
using System.Security.Cryptography;
using Microsoft.Extensions.Options;

namespace SurveyBackend.Intake;

/// <summary>
/// A token bucket per client network in this instance's memory, keyed under a key never kept, so no address is stored or
/// logged. Buckets live in two generations, the older dropped whole, so memory stays bounded however many addresses a flood
/// uses, and no request walks the buckets (docs/intake.md).
/// </summary>
public sealed class FloodGuard
{
    /// <summary>At most twice this many clients are tracked (about 40 bytes each).</summary>
    public const int MaxClientsPerGeneration = 50_000;

    private readonly byte[] _key = RandomNumberGenerator.GetBytes(32);
    private readonly object _gate = new();
    private readonly IntakeOptions _options;
    private readonly TimeProvider _clock;
    private readonly double _perSecond;
    private readonly TimeSpan _refill;
    private Dictionary<UInt128, Bucket> _current = [];
    private Dictionary<UInt128, Bucket> _previous = [];
    private long _turnedAt;

    public FloodGuard(IOptions<IntakeOptions> options, TimeProvider clock)
    {
        _options = options.Value;
        _clock = clock;
        _perSecond = _options.RequestsPerMinute / 60.0;
        _refill = _perSecond > 0 ? TimeSpan.FromSeconds(_options.Burst / _perSecond) : TimeSpan.Zero;
        _turnedAt = clock.GetTimestamp();
    }

    /// <summary>How many clients this instance holds a bucket for now.</summary>
    public int TrackedClients
    {
        get
        {
            lock (_gate) return _current.Count + _previous.Count;
        }
    }

    /// <summary>Null when the client at <paramref name="client"/> may go ahead, else how long it should wait.</summary>
    public TimeSpan? Check(IPAddress client)
    {
        if (_options.RequestsPerMinute == 0) return null;
        var key = KeyOf(client);
        lock (_gate)
        {
            var now = _clock.GetTimestamp();
            TurnIfDue(now);
            ref var bucket = ref CollectionsMarshal.GetValueRefOrAddDefault(_current, key, out var known);
            if (!known) bucket = _previous.Remove(key, out var earlier) ? earlier : new Bucket(_options.Burst, now);
            return bucket.Take(now, _options.Burst, _perSecond, _clock);
        }
    }

    private void TurnIfDue(long now)
    {
        if (_clock.GetElapsedTime(_turnedAt, now) < _refill && _current.Count < MaxClientsPerGeneration) return;
        _previous = _current;
        _current = [];
        _turnedAt = now;
    }

    private UInt128 KeyOf(IPAddress client)
    {
        Span<byte> address = stackalloc byte[16];
        ClientAddresses.Network(client).TryWriteBytes(address, out var length);
        Span<byte> hash = stackalloc byte[HMACSHA256.HashSizeInBytes];
        HMACSHA256.HashData(_key, address[..length], hash);
        return BinaryPrimitives.ReadUInt128LittleEndian(hash);
    }

    private struct Bucket(double tokens, long updated)
    {
        private double _tokens = tokens;
        private long _updated = updated;

        public TimeSpan? Take(long now, int burst, double perSecond, TimeProvider clock)
        {
            _tokens = Math.Min(burst, _tokens + clock.GetElapsedTime(_updated, now).TotalSeconds * perSecond);
            _updated = now;
            if (_tokens >= 1)
            {
                _tokens -= 1;
                return null;
            }
            return TimeSpan.FromSeconds((1 - _tokens) / perSecond);
        }
    }
}
