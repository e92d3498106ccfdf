using System.Diagnostics;

namespace SurveyBackend.Testing;

/// <summary>
/// A real Azurite (Blob, Queue, Table) on free loopback ports, data kept in a temp folder so a
/// stop-and-start (an outage) keeps what was written. Started with --skipApiVersionCheck because the
/// Azure SDKs send a newer service version than Azurite 3.37 knows, and --disableTelemetry: a test reports nothing
/// to anyone (and Azurite's telemetry costs it about 5% of its CPU on every request, measured in a profile).
/// </summary>
public sealed class AzuriteServer : IAsyncDisposable
{
    private const string AccountKey = "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==";
    private readonly string _location = Directory.CreateTempSubdirectory("azurite-").FullName;
    private Process? _process;

    public int BlobPort { get; } = FreePorts.Next();
    public int QueuePort { get; } = FreePorts.Next();
    public int TablePort { get; } = FreePorts.Next();

    public string ConnectionString =>
        "DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey=" + AccountKey + ";" +
        $"BlobEndpoint=http://127.0.0.1:{BlobPort}/devstoreaccount1;" +
        $"QueueEndpoint=http://127.0.0.1:{QueuePort}/devstoreaccount1;" +
        $"TableEndpoint=http://127.0.0.1:{TablePort}/devstoreaccount1;";

    public bool IsRunning => _process is { HasExited: false };

    public static async Task<AzuriteServer> StartNewAsync()
    {
        var server = new AzuriteServer();
        await server.StartAsync();
        return server;
    }

    public async Task StartAsync()
    {
        if (IsRunning) return;
        var start = new ProcessStartInfo(FindAzurite())
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var arg in new[]
        {
            "--silent", "--skipApiVersionCheck", "--disableTelemetry", "--location", _location,
            "--blobHost", "127.0.0.1", "--blobPort", BlobPort.ToString(),
            "--queueHost", "127.0.0.1", "--queuePort", QueuePort.ToString(),
            "--tableHost", "127.0.0.1", "--tablePort", TablePort.ToString(),
        })
        {
            start.ArgumentList.Add(arg);
        }
        _process = Process.Start(start) ?? throw new InvalidOperationException("Azurite did not start.");
        _process.OutputDataReceived += (_, _) => { };
        _process.ErrorDataReceived += (_, _) => { };
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();

        var timeout = TimeSpan.FromSeconds(60);
        await FreePorts.WaitForListenerAsync(BlobPort, timeout);
        await FreePorts.WaitForListenerAsync(QueuePort, timeout);
        await FreePorts.WaitForListenerAsync(TablePort, timeout);
    }

    /// <summary>
    /// Stops Azurite, as an outage would; <see cref="StartAsync"/> brings it back with its data. SIGTERM first,
    /// because Azurite writes its data files on a graceful close; a kill is the fallback.
    /// </summary>
    public async Task StopAsync()
    {
        if (_process is null) return;
        if (!_process.HasExited)
        {
            using (var term = Process.Start("kill", ["-TERM", _process.Id.ToString()])) await term.WaitForExitAsync();
            using var grace = new CancellationTokenSource(TimeSpan.FromSeconds(10));
            try
            {
                await _process.WaitForExitAsync(grace.Token);
            }
            catch (OperationCanceledException)
            {
                _process.Kill(entireProcessTree: true);
                await _process.WaitForExitAsync();
            }
        }
        _process.Dispose();
        _process = null;
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        try { Directory.Delete(_location, recursive: true); } catch (IOException) { }
    }

    private static string FindAzurite()
    {
        if (Environment.GetEnvironmentVariable("AZURITE_BIN") is { Length: > 0 } configured) return configured;
        var local = Path.Combine(RepoPaths.Root, "scripts", "node_modules", ".bin", "azurite");
        if (File.Exists(local)) return local;
        throw new InvalidOperationException($"Azurite is not installed: run scripts/test.sh (it runs npm ci in scripts/), or set AZURITE_BIN. Looked for {local}.");
    }
}
