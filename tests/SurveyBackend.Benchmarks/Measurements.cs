using System.Diagnostics;

namespace SurveyBackend.Benchmarks;

/// <summary>Latencies of one measured run, and the figures a benchmark prints.</summary>
public sealed class Measurements(string label)
{
    private readonly List<double> _millis = [];
    private readonly Stopwatch _wall = new();

    public string Label => label;
    public int Count { get { lock (_millis) return _millis.Count; } }
    public TimeSpan Wall => _wall.Elapsed;
    public double Throughput => Count / Wall.TotalSeconds;

    public void Start() => _wall.Start();
    public void Stop() => _wall.Stop();

    public void Record(TimeSpan latency)
    {
        lock (_millis) _millis.Add(latency.TotalMilliseconds);
    }

    public double Percentile(double p)
    {
        lock (_millis)
        {
            if (_millis.Count == 0) return double.NaN;
            var sorted = _millis.Order().ToList();
            return sorted[Math.Clamp((int)Math.Ceiling(p / 100 * sorted.Count) - 1, 0, sorted.Count - 1)];
        }
    }

    /// <summary>Runs <paramref name="operation"/> <paramref name="total"/> times across <paramref name="concurrency"/> workers, timing each.</summary>
    public static async Task<Measurements> RunAsync(string label, int total, int concurrency, Func<int, Task> operation)
    {
        var measurements = new Measurements(label);
        var next = -1;
        measurements.Start();
        await Task.WhenAll(Enumerable.Range(0, concurrency).Select(async _ =>
        {
            int i;
            while ((i = Interlocked.Increment(ref next)) < total)
            {
                var started = Stopwatch.GetTimestamp();
                await operation(i);
                measurements.Record(Stopwatch.GetElapsedTime(started));
            }
        }));
        measurements.Stop();
        return measurements;
    }

    public static void PrintComparison(Measurements measured, Measurements baseline)
    {
        Console.WriteLine($"  {"run",-28} {"n",7} {"ops/s",9} {"p50 ms",8} {"p99 ms",8}");
        foreach (var m in new[] { baseline, measured })
            Console.WriteLine($"  {m.Label,-28} {m.Count,7} {m.Throughput,9:0.0} {m.Percentile(50),8:0.0} {m.Percentile(99),8:0.0}");
        Console.WriteLine($"  ratio {measured.Label} / {baseline.Label}: throughput {measured.Throughput / baseline.Throughput:0.00}x, p99 {measured.Percentile(99) / baseline.Percentile(99):0.00}x");
    }
}
