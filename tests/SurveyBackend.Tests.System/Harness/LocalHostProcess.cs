using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net.Http.Headers;
using SurveyBackend.LocalHost;
using SurveyBackend.Testing;

namespace SurveyBackend.Tests.System.Harness;

/// <summary>
/// The built local host run as a separate process, as <c>scripts/start.sh</c> runs it: working directory the repo
/// root, settings from environment variables. <see cref="KillAsync"/> is SIGKILL (no graceful stop, no flush);
/// <see cref="StartAsync"/> brings it back on the same port and storage. Everything it writes to stdout and stderr
/// is kept, across restarts, for the scan for personal data in logs.
/// </summary>
public sealed class LocalHostProcess : IAsyncDisposable
{
    public const string FunctionKey = "system-test-function-key";
    public const string Secret = "system-test-anonymity-secret-at-least-32-chars";

    private readonly Dictionary<string, string> _environment;
    private readonly ConcurrentQueue<string> _output = new();
    private Process? _process;
    private volatile bool _killing;
    private int _unexpectedExits;

    public LocalHostProcess(AzuriteServer azurite, IDictionary<string, string>? settings = null)
    {
        Port = FreePorts.Next();
        BaseAddress = new Uri($"http://127.0.0.1:{Port}/");
        OutboxPath = Directory.CreateTempSubdirectory("system-outbox-").FullName;
        _environment = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["AzureWebJobsStorage"] = azurite.ConnectionString,
            ["LocalHost__FunctionKey"] = FunctionKey,
            ["Anonymity__Secret"] = Secret,
            ["Email__Provider"] = "Outbox",
            ["Email__OutboxPath"] = OutboxPath,
            ["Email__From"] = "reports@example.org",
            // Far in the future unless a scenario wants the mailer to run.
            ["ReportEmailSchedule"] = "0 0 0 1 1 *",
            ["Report__PublicBaseUrl"] = BaseAddress.ToString().TrimEnd('/'),
            ["Survey__AllowedOrigins"] = BaseAddress.ToString().TrimEnd('/'),
            ["DOTNET_ENVIRONMENT"] = "Production",
            ["ASPNETCORE_ENVIRONMENT"] = "Production",
            ["Logging__Console__FormatterName"] = "simple",
            // The tests post hundreds of submissions from 127.0.0.1: without this the flood guard (rightly) slows them
            // with 429s, and the hostile inputs would be refused for their rate before their content was looked at.
            ["Intake__RequestsPerMinute"] = "0",
            // The scenarios post as scripts; the load test that measures the proof of work turns it on.
            ["Intake__ProofOfWork"] = "off",
            // A row whose message a kill or an outage left unsent is re-sent within seconds, not minutes.
            ["Intake__SweepAge"] = "00:00:03",
            ["IntakeSweepSchedule"] = "*/2 * * * * *",
            ["RecipientFlushSchedule"] = "*/2 * * * * *",
            // A killed host's timer locks (blob leases) block its successor's timers until they expire: the shortest
            // lease WebJobs allows, so the sweeper and the mailer resume within seconds of a restart.
            ["AzureWebJobs__Singleton__ListenerLockPeriod"] = "00:00:15",
            ["AzureWebJobs__Singleton__LockPeriod"] = "00:00:15",
        };
        foreach (var (key, value) in settings ?? new Dictionary<string, string>()) _environment[key] = value;

        Client = new HttpClient { BaseAddress = BaseAddress, Timeout = TimeSpan.FromSeconds(30) };
        Admin = new HttpClient { BaseAddress = BaseAddress, Timeout = TimeSpan.FromSeconds(30) };
        Admin.DefaultRequestHeaders.Add("x-functions-key", FunctionKey);
    }

    public int Port { get; }
    public Uri BaseAddress { get; }
    public string OutboxPath { get; }
    public HttpClient Client { get; }
    public HttpClient Admin { get; }
    public int Starts { get; private set; }
    public int Kills { get; private set; }
    public bool IsRunning => _process is { HasExited: false };
    /// <summary>Times the process ended without being killed by the test: a crash.</summary>
    public int UnexpectedExits => _unexpectedExits;

    /// <summary>Everything the process wrote so far, over all its lives.</summary>
    public string Output => string.Join('\n', _output);

    public static async Task<LocalHostProcess> StartNewAsync(AzuriteServer azurite, IDictionary<string, string>? settings = null)
    {
        var host = new LocalHostProcess(azurite, settings);
        await host.StartAsync();
        return host;
    }

    /// <summary>Changes a setting for the next start (null removes it).</summary>
    public void SetSetting(string name, string? value)
    {
        if (value is null) _environment.Remove(name);
        else _environment[name] = value;
    }

    public async Task StartAsync()
    {
        if (IsRunning) return;
        var start = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = RepoPaths.Root,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add("exec");
        start.ArgumentList.Add(FindHostDll());
        start.ArgumentList.Add("--urls");
        start.ArgumentList.Add(BaseAddress.ToString().TrimEnd('/'));
        foreach (var (key, value) in _environment) start.Environment[key] = value;

        var process = new Process { StartInfo = start, EnableRaisingEvents = true };
        process.Exited += (_, _) =>
        {
            if (_killing) return;
            Interlocked.Increment(ref _unexpectedExits);
            _output.Enqueue($"[the local host exited by itself, code {process.ExitCode}]");
        };
        if (!process.Start()) throw new InvalidOperationException("The local host did not start.");
        process.OutputDataReceived += (_, e) => { if (e.Data is not null) _output.Enqueue(e.Data); };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) _output.Enqueue(e.Data); };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        _process = process;
        Starts++;

        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(90);
        while (true)
        {
            if (process.HasExited)
                throw new InvalidOperationException($"The local host exited with {process.ExitCode} while starting:\n{Tail(60)}");
            if (await IsHealthyAsync()) return;
            if (DateTime.UtcNow > deadline)
                throw new TimeoutException($"The local host did not become healthy in 90 s:\n{Tail(60)}");
            await Task.Delay(200);
        }
    }

    /// <summary>SIGKILL, the whole process tree: no shutdown hooks, nothing flushed, in-flight work abandoned.</summary>
    public async Task KillAsync()
    {
        if (_process is null) return;
        _killing = true;
        try
        {
            if (!_process.HasExited)
            {
                _process.Kill(entireProcessTree: true);
                Kills++;
            }
            await _process.WaitForExitAsync();
            _process.Dispose();
            _process = null;
        }
        finally
        {
            _killing = false;
        }
    }

    public async Task RestartAfterKillAsync()
    {
        await KillAsync();
        await StartAsync();
    }

    /// <summary>The admin health route: the host answers, and so do Tables and Queues.</summary>
    public async Task<bool> IsHealthyAsync()
    {
        try
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
            using var response = await Admin.GetAsync("api/admin/health", timeout.Token);
            return response.IsSuccessStatusCode;
        }
        catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException)
        {
            return false;
        }
    }

    public async Task PutSurveyAsync(string surveyId, string json)
    {
        using var content = new StringContent(json, MediaTypeHeaderValue.Parse("application/json"));
        using var response = await Admin.PutAsync($"api/admin/surveys/{surveyId}", content);
        if (!response.IsSuccessStatusCode)
            throw new InvalidOperationException($"PUT survey {surveyId}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
    }

    /// <summary>The start of the last unhandled exception the process printed (what killed it), else its last lines.</summary>
    public string CrashReport()
    {
        var lines = _output.ToArray();
        var at = Array.FindLastIndex(lines, l => l.Contains("Unhandled exception", StringComparison.OrdinalIgnoreCase));
        return at < 0 ? Tail(40) : string.Join('\n', lines.Skip(Math.Max(0, at - 3)).Take(30).Where(l => !l.TrimStart().StartsWith("at System.", StringComparison.Ordinal)));
    }

    public string Tail(int lines) => string.Join('\n', _output.TakeLast(lines));

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        Admin.Dispose();
        await KillAsync();
        try { Directory.Delete(OutboxPath, recursive: true); } catch (IOException) { }
    }

    /// <summary>
    /// The local host's own build output (it has its runtimeconfig and deps), in the configuration this test
    /// assembly was built in; building this project builds it, since SurveyBackend.Testing references it.
    /// </summary>
    private static string FindHostDll()
    {
        var name = Path.GetFileName(typeof(LocalHostApp).Assembly.Location);
        var configuration = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar)).Parent?.Name ?? "Debug";
        var candidates = new[]
        {
            Path.Combine(RepoPaths.Root, "functions", "SurveyBackend.LocalHost", "bin", configuration, "net10.0", name),
            Path.Combine(RepoPaths.Root, "functions", "SurveyBackend.LocalHost", "bin", "Debug", "net10.0", name),
            Path.Combine(RepoPaths.Root, "functions", "SurveyBackend.LocalHost", "bin", "Release", "net10.0", name),
        };
        return candidates.FirstOrDefault(path => File.Exists(path) && File.Exists(Path.ChangeExtension(path, ".runtimeconfig.json")))
            ?? throw new InvalidOperationException($"Build the local host first (dotnet build); looked for {candidates[0]}.");
    }
}
