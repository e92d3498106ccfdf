using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;
using SurveyBackend.Testing;

namespace SurveyBackend.Benchmarks;

/// <summary>
/// The first respondent after a quiet spell: the time from process start to the first answered
/// <c>GET /api/surveys/{id}</c>, for the local host published plain and published ReadyToRun for linux-x64 (as azd
/// deploys the app), started in turn against one Azurite whose tables and survey already exist (as in Azure). Each
/// start is split into phases by the host's own log lines as they arrive: the runtime and the app's wiring (up to
/// "Admin routes take the function key"), the hosted services (tables and queues made, the WebJobs host, Kestrel: up
/// to "Now listening on"), and the first request. Goal: ReadyToRun at most 0.7x the plain build's median.
/// Args: [starts = 7 of each] [--reuse: keep the last published builds in artifacts/coldstart].
/// </summary>
public sealed partial class ColdStartBenchmark : IBenchmark
{
    private const string SurveyId = "coldstart-sample";
    private static readonly string[] Phases = ["runtime + wiring", "hosted services", "first request", "total"];

    public string Name => "coldstart";
    public string Description => "Process start to first answered GET /api/surveys/{id}: ReadyToRun build vs plain (<= 0.7x)";

    public async Task RunAsync(string[] args)
    {
        var starts = args.FirstOrDefault(a => !a.StartsWith("--", StringComparison.Ordinal)) is { } n ? int.Parse(n, CultureInfo.InvariantCulture) : 7;
        var root = Path.Combine(RepoPaths.Root, "artifacts", "coldstart");
        var builds = new (string Label, string[] PublishArguments)[]
        {
            ("plain", []),
            ("ReadyToRun", ["-r", "linux-x64", "-p:PublishReadyToRun=true"]),
        };
        foreach (var (label, publishArguments) in builds)
        {
            if (args.Contains("--reuse") && File.Exists(Path.Combine(root, label, "SurveyBackend.LocalHost.dll"))) continue;
            var started = Stopwatch.GetTimestamp();
            await Tools.RunAsync("dotnet", ["publish", Path.Combine(RepoPaths.Root, "functions", "SurveyBackend.LocalHost"), "-c", "Release", "--nologo",
                "--artifacts-path", Path.Combine(root, "build-" + label), "-o", Path.Combine(root, label), .. publishArguments], TimeSpan.FromMinutes(15));
            Console.WriteLine($"  published the local host {label} in {Stopwatch.GetElapsedTime(started).TotalSeconds:0} s");
        }

        Console.WriteLine($"Load average at start (1, 5, 15 min): {Tools.LoadAverage()} on {Environment.ProcessorCount} cores");
        await using var azurite = await AzuriteServer.StartNewAsync();
        await PrepareStorageAsync(azurite);

        var runs = builds.ToDictionary(b => b.Label, _ => new List<Start>());
        // One untimed start of each first (the OS file cache), then the two builds in turn, so load drifts evenly.
        foreach (var (label, _) in builds) await StartOnceAsync(azurite, Path.Combine(root, label));
        for (var i = 0; i < starts; i++)
        {
            foreach (var (label, _) in builds) runs[label].Add(await StartOnceAsync(azurite, Path.Combine(root, label)));
        }
        Print(runs, starts);
        Console.WriteLine($"Load average at end: {Tools.LoadAverage()}");
    }

    /// <summary>Tables, queues and the survey made once by an in-process host, as infra and an owner make them in Azure.</summary>
    private static async Task PrepareStorageAsync(AzuriteServer azurite)
    {
        await using var host = await LocalHostServer.StartAsync(azurite, new Dictionary<string, string?>
        {
            ["Anonymity:Secret"] = PipelineBenchmark.LocalSecret(),
            // It stops while its timers still take their leases; what that logs is not news.
            ["Logging:LogLevel:Default"] = "None",
        });
        using var response = await host.PutSurveyAsync(SurveyId, await RepoPaths.SampleSurveyJsonAsync(SurveyId));
        response.EnsureSuccessStatusCode();
    }

    /// <summary>What one start took, in ms from process start, and what the host says it spent compiling and making tables.</summary>
    private sealed record Start(double Wired, double Listening, double Answered, double Cpu, double Tables, double JitStarted, double JitMethodsStarted, double JitStopping, double JitMethodsStopping)
    {
        public double[] Phases => [Wired, Listening - Wired, Answered - Listening, Answered];
    }

    /// <summary>
    /// One start of a published local host, stopped as the platform stops an instance (SIGTERM) once it has answered,
    /// so that its last log line gives the compiling done up to then (nothing but the first request ran after start).
    /// </summary>
    private static async Task<Start> StartOnceAsync(AzuriteServer azurite, string folder)
    {
        var port = FreePorts.Next();
        var start = new ProcessStartInfo("dotnet") { WorkingDirectory = folder, RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        start.ArgumentList.Add(Path.Combine(folder, "SurveyBackend.LocalHost.dll"));
        foreach (var (name, value) in Settings(azurite, port)) start.Environment[name] = value;

        var seen = new Dictionary<string, double>();
        var stopped = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var clock = Stopwatch.StartNew();
        using var process = Process.Start(start) ?? throw new InvalidOperationException("The local host did not start");
        process.OutputDataReceived += (_, line) =>
        {
            if (line.Data is not { } text) return;
            lock (seen) Read(text, clock.Elapsed.TotalMilliseconds, seen);
            if (text.Contains("Stopping: ", StringComparison.Ordinal)) stopped.TrySetResult();
        };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        try
        {
            var answered = await FirstAnswerAsync(process, port, clock, folder);
            // CPU time is what load on a shared machine disturbs least (every thread of the host, JIT's included).
            process.Refresh();
            var cpu = process.TotalProcessorTime.TotalMilliseconds;
            using (var term = Process.Start("kill", ["-TERM", process.Id.ToString(CultureInfo.InvariantCulture)])) await term!.WaitForExitAsync();
            await stopped.Task.WaitAsync(TimeSpan.FromSeconds(20));
            lock (seen)
            {
                double Get(string key) => seen.TryGetValue(key, out var value) ? value : double.NaN;
                return new Start(Get("wired"), Get("listening"), answered, cpu, Get("tables"),
                    Get("Started ms"), Get("Started methods"), Get("Stopping ms"), Get("Stopping methods"));
            }
        }
        finally
        {
            if (!process.HasExited) process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
        }
    }

    private static async Task<double> FirstAnswerAsync(Process process, int port, Stopwatch clock, string folder)
    {
        using var client = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}/"), Timeout = TimeSpan.FromSeconds(30) };
        while (true)
        {
            if (process.HasExited) throw new InvalidOperationException($"The local host in {folder} exited with {process.ExitCode}.");
            if (clock.Elapsed > TimeSpan.FromMinutes(2)) throw new TimeoutException($"The local host in {folder} did not answer in 2 minutes.");
            try
            {
                using var response = await client.GetAsync($"api/surveys/{SurveyId}");
                if (response.IsSuccessStatusCode) return clock.Elapsed.TotalMilliseconds;
            }
            catch (HttpRequestException)
            {
                // Not listening yet.
            }
            await Task.Delay(5);
        }
    }

    /// <summary>The log lines that mark a phase's end (by when they arrive) or carry a figure.</summary>
    private static void Read(string line, double now, Dictionary<string, double> seen)
    {
        if (line.Contains("Admin routes take the function key", StringComparison.Ordinal)) seen.TryAdd("wired", now);
        if (line.Contains("Now listening on", StringComparison.Ordinal)) seen.TryAdd("listening", now);
        if (TablesReady().Match(line) is { Success: true } tables) seen.TryAdd("tables", double.Parse(tables.Groups[1].Value, CultureInfo.InvariantCulture));
        if (Compiled().Match(line) is { Success: true } jit)
        {
            seen.TryAdd(jit.Groups[1].Value + " methods", double.Parse(jit.Groups[2].Value, CultureInfo.InvariantCulture));
            seen.TryAdd(jit.Groups[1].Value + " ms", double.Parse(jit.Groups[3].Value, CultureInfo.InvariantCulture));
        }
    }

    [GeneratedRegex(@"Tables and queues ready in (\d+) ms")]
    private static partial Regex TablesReady();

    [GeneratedRegex(@"(Started|Stopping): (\d+) methods JIT-compiled in (\d+) ms")]
    private static partial Regex Compiled();

    /// <summary>The sample settings, pointed at this Azurite and port, as environment variables (a published host has no settings file).</summary>
    private static Dictionary<string, string> Settings(AzuriteServer azurite, int port)
    {
        using var sample = JsonDocument.Parse(File.ReadAllText(Path.Combine(RepoPaths.Root, "local.settings.sample.json")));
        var settings = sample.RootElement.GetProperty("Values").EnumerateObject().ToDictionary(p => p.Name, p => p.Value.GetString() ?? "");
        settings["AzureWebJobsStorage"] = azurite.ConnectionString;
        settings["Anonymity__Secret"] = PipelineBenchmark.LocalSecret();
        settings["LocalHost__FunctionKey"] = LocalHostServer.FunctionKey;
        settings["Email__OutboxPath"] = Path.Combine(Path.GetTempPath(), "coldstart-outbox");
        settings["urls"] = $"http://127.0.0.1:{port}";
        return settings;
    }

    private static void Print(Dictionary<string, List<Start>> runs, int starts)
    {
        Console.WriteLine($"  median of {starts} starts, ms:  {string.Join("  ", Phases.Select(p => $"{p,16}"))}");
        var medians = runs.ToDictionary(r => r.Key, r => Enumerable.Range(0, Phases.Length).Select(p => Median(r.Value.Select(s => s.Phases[p]))).ToArray());
        foreach (var (label, median) in medians) Console.WriteLine($"  {label,-28} {string.Join("  ", median.Select(v => $"{v,16:0}"))}");
        var ratio = medians["ReadyToRun"].Zip(medians["plain"], (r, p) => r / p).ToArray();
        Console.WriteLine($"  {"ratio ReadyToRun / plain",-28} {string.Join("  ", ratio.Select(v => $"{v,15:0.00}x"))}");
        var cpu = runs.ToDictionary(r => r.Key, r => Median(r.Value.Select(s => s.Cpu)));
        Console.WriteLine($"  CPU time to the first answer (all threads), median: plain {cpu["plain"]:0} ms, ReadyToRun {cpu["ReadyToRun"]:0} ms, {cpu["ReadyToRun"] / cpu["plain"]:0.00}x");
        foreach (var (label, list) in runs)
        {
            Console.WriteLine($"  {label}: JIT by listening {Median(list.Select(s => s.JitMethodsStarted)):0} methods in {Median(list.Select(s => s.JitStarted)):0} ms, "
                + $"by the first answer {Median(list.Select(s => s.JitMethodsStopping)):0} methods in {Median(list.Select(s => s.JitStopping)):0} ms; "
                + $"tables and queues checked in {Median(list.Select(s => s.Tables)):0} ms; totals {string.Join(" ", list.Select(s => s.Answered.ToString("0", CultureInfo.InvariantCulture)))}");
        }
        Console.WriteLine($"Goal: ReadyToRun <= 0.7x the plain build: {ratio[^1]:0.00}x, {(ratio[^1] <= 0.7 ? "met" : "NOT met")}");
    }

    private static double Median(IEnumerable<double> values)
    {
        var sorted = values.Order().ToList();
        return sorted.Count % 2 == 1 ? sorted[sorted.Count / 2] : (sorted[sorted.Count / 2 - 1] + sorted[sorted.Count / 2]) / 2;
    }
}
