using System.Diagnostics;
using SurveyBackend.Testing;

namespace SurveyBackend.Benchmarks;

/// <summary>
/// The benchmarks' own tools: npm packages in tests/SurveyBackend.Benchmarks/tools (installed on first use, never by the
/// test command), processes run to completion, and the machine's load (benchmarks say what else was running).
/// </summary>
internal static class Tools
{
    public static string Folder => Path.Combine(RepoPaths.Root, "tests", "SurveyBackend.Benchmarks", "tools");

    /// <summary>The Lighthouse CLI script, after <c>npm ci</c> in tools/ if it is not there yet.</summary>
    public static async Task<string> LighthouseAsync()
    {
        var cli = Path.Combine(Folder, "node_modules", "lighthouse", "cli", "index.js");
        if (!File.Exists(cli))
        {
            Console.WriteLine($"Installing the benchmark tools (npm ci in {Folder})...");
            await RunAsync("npm", ["ci", "--prefix", Folder, "--no-audit", "--no-fund", "--loglevel=error"], TimeSpan.FromMinutes(5));
        }
        return cli;
    }

    /// <summary>/proc/loadavg's first three figures: runnable processes averaged over 1, 5 and 15 minutes.</summary>
    public static string LoadAverage() =>
        File.Exists("/proc/loadavg") ? string.Join(", ", File.ReadAllText("/proc/loadavg").Split(' ').Take(3)) : "unknown";

    /// <summary>Runs a command to its end; throws with its output if it fails or outlasts <paramref name="timeout"/>.</summary>
    public static async Task<string> RunAsync(string file, IEnumerable<string> arguments, TimeSpan timeout, params (string Name, string Value)[] environment)
    {
        var start = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in arguments) start.ArgumentList.Add(argument);
        foreach (var (name, value) in environment) start.Environment[name] = value;
        using var process = Process.Start(start) ?? throw new InvalidOperationException($"{file} did not start");
        var standardOutput = process.StandardOutput.ReadToEndAsync();
        var standardError = process.StandardError.ReadToEndAsync();
        using var deadline = new CancellationTokenSource(timeout);
        try
        {
            await process.WaitForExitAsync(deadline.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{file} ran longer than {timeout}");
        }
        var output = await standardOutput + await standardError;
        if (process.ExitCode != 0) throw new InvalidOperationException($"{file} exited {process.ExitCode}:\n{output}");
        return output;
    }
}
