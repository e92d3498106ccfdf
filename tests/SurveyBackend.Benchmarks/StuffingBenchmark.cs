using System.Diagnostics;
using System.Globalization;
using System.Text.Json.Nodes;
using SurveyBackend.ProofOfWork;
using SurveyBackend.Testing;

namespace SurveyBackend.Benchmarks;

/// <summary>
/// The load test of issue #27, on the loopback only and bounded in count and time: the local host with proof of work on
/// at the shipped difficulty (the flood guard off, so the proof alone is measured), and scripts that stuff it
/// (<c>stuffer.mjs</c>, Node): one posting valid answers without proofs (goal: 0 accepted), one solving each challenge
/// with altcha-lib's own solver (goal: at least 0.5 CPU-seconds per accepted submission, so its rate is what its CPU
/// sets). The floor beside them: one key derivation timed in C#, times the counters a challenge hides.
/// Then a person (<see cref="PhonePerson"/>, Chromium at 4× CPU slowdown) answers the form page at a person's pace and
/// presses Send, against a host with proof of work off in the same run (goal: at most 1 s longer, usually 0); and the
/// check that the slowdown reaches the Web Worker (the worker's solve of one challenge at 1× and 4×).
/// Options: <c>--posts N</c> posts without proofs (2000), <c>--seconds S</c> for the solving script (60),
/// <c>--max-number M</c> and <c>--cost C</c> to try another difficulty than local.settings.sample.json's,
/// <c>--persons N</c> people each way (3), <c>--answering S</c> seconds a person takes over the answers (20),
/// <c>--person-only</c> to skip the scripts.
/// </summary>
public sealed class StuffingBenchmark : IBenchmark
{
    public string Name => "stuffing";
    public string Description => "Scripts stuffing the survey: without proofs (0 accepted) and solving them (CPU-s per accepted)";

    public async Task RunAsync(string[] args)
    {
        string Option(string name, string fallback) => args.SkipWhile(a => a != name).Skip(1).FirstOrDefault() ?? fallback;
        var posts = int.Parse(Option("--posts", "2000"), CultureInfo.InvariantCulture);
        var seconds = int.Parse(Option("--seconds", "60"), CultureInfo.InvariantCulture);
        var sample = JsonNode.Parse(await File.ReadAllTextAsync(Path.Combine(RepoPaths.Root, "local.settings.sample.json")))!["Values"]!;
        var maxNumber = int.Parse(Option("--max-number", (string)sample["Intake__ProofOfWorkMaxNumber"]!), CultureInfo.InvariantCulture);
        var cost = int.Parse(Option("--cost", (string)sample["Intake__ProofOfWorkCost"]!), CultureInfo.InvariantCulture);
        var persons = int.Parse(Option("--persons", "3"), CultureInfo.InvariantCulture);
        var answering = TimeSpan.FromSeconds(double.Parse(Option("--answering", "20"), CultureInfo.InvariantCulture));

        await using var azurite = await AzuriteServer.StartNewAsync();
        await using var host = await LocalHostServer.StartAsync(azurite, new Dictionary<string, string?>
        {
            ["Intake:ProofOfWork"] = "on",
            ["Intake:ProofOfWorkCost"] = cost.ToString(CultureInfo.InvariantCulture),
            ["Intake:ProofOfWorkMaxNumber"] = maxNumber.ToString(CultureInfo.InvariantCulture),
            ["Intake:RequestsPerMinute"] = "0",
            ["Logging:LogLevel:Default"] = "Warning",
        });
        await host.PutSampleSurveyAsync();
        Console.WriteLine($"Proof of work: PBKDF2/SHA-256, cost {cost:N0}, counters hidden between {maxNumber / 2:N0} and {maxNumber:N0}; {Environment.ProcessorCount} cores");

        if (!args.Contains("--person-only")) await ScriptsAsync(host, posts, seconds, maxNumber, cost);
        await PersonAsync(azurite, host, persons, answering);
    }

    private static async Task ScriptsAsync(LocalHostServer host, int posts, int seconds, int maxNumber, int cost)
    {
        var derivation = DerivationSeconds(cost);
        Console.WriteLine($"Floor: one key derivation in C# takes {derivation * 1000:0.000} CPU-ms, so a solution costs {maxNumber / 2 * derivation:0.00} to {maxNumber * derivation:0.00} CPU-s (mean {0.75 * maxNumber * derivation:0.00})");

        var none = await StuffAsync(host, "none", posts, concurrency: 16, seconds: 120);
        Console.WriteLine($"Script without proofs: {none["posts"]} posts, {none["accepted"]} accepted, statuses {none["statuses"]!.ToJsonString()} (goal: 0 accepted)");

        var concurrency = Environment.ProcessorCount;
        var solving = await StuffAsync(host, "solve", 100_000, concurrency, seconds);
        var accepted = (int)solving["accepted"]!;
        var cpu = (double)solving["cpuSeconds"]!;
        var wall = (double)solving["wallSeconds"]!;
        Console.WriteLine($"Script solving its proofs ({concurrency} at once, altcha-lib's solver): {accepted} accepted in {wall:0.0} s, "
            + $"{cpu:0.0} CPU-s: {(accepted == 0 ? double.NaN : cpu / accepted):0.00} CPU-s per accepted submission (goal: >= 0.5), "
            + $"{accepted / wall * 60:0.0} a minute on this machine");
    }

    private static async Task PersonAsync(AzuriteServer azurite, LocalHostServer host, int persons, TimeSpan answering)
    {
        await using var baseline = await LocalHostServer.StartAsync(azurite, new Dictionary<string, string?>
        {
            ["Intake:ProofOfWork"] = "off",
            ["Intake:RequestsPerMinute"] = "0",
            ["Logging:LogLevel:Default"] = "Warning",
        });
        string FormOf(LocalHostServer h) => new Uri(h.BaseAddress, $"api/surveys/{RepoPaths.SampleSurveyId}/form").ToString();
        using var playwright = await Microsoft.Playwright.Playwright.CreateAsync();
        await using var browser = await PhonePerson.LaunchAsync(playwright);
        var desktop = new PhonePerson(browser, 1);
        var pageOnly = new PhonePerson(browser, 4);
        var phone = new PhonePerson(browser, 4, throttleWorkers: true);

        var challenge = await host.Client.GetStringAsync("api/challenge");
        var (main1, main4) = (await desktop.MainThreadMillisecondsAsync(FormOf(host)), await phone.MainThreadMillisecondsAsync(FormOf(host)));
        var worker1 = await desktop.WorkerMillisecondsAsync(FormOf(host), challenge);
        var (workerPage4, worker4) = (await pageOnly.WorkerMillisecondsAsync(FormOf(host), challenge), await phone.WorkerMillisecondsAsync(FormOf(host), challenge));
        Console.WriteLine($"4x slowdown: the page's main thread {main1:0} -> {main4:0} ms ({main4 / main1:0.0}x); one worker solving one challenge {worker1:0} ms, "
            + $"with the page's rate only {workerPage4:0} ms ({workerPage4 / worker1:0.0}x), with the rate set on the worker too {worker4:0} ms ({worker4 / worker1:0.0}x)");

        var off = new List<double>();
        var on = new List<double>();
        for (var i = 0; i < persons; i++)
        {
            off.Add(await phone.AnswerAsync(FormOf(baseline), answering));
            on.Add(await phone.AnswerAsync(FormOf(host), answering));
        }
        Console.WriteLine($"A person on a phone (4x), {answering.TotalSeconds:0} s over the answers, Send to receipt: proof of work on {Seconds(on)}, off {Seconds(off)}; "
            + $"longer by {Median(on) - Median(off):0.00} s at the median, {on.Max() - off.Max():0.00} s at worst (goal: at most 1 s, usually 0)");
        var (hurriedOn, hurriedOff) = (await phone.AnswerAsync(FormOf(host), TimeSpan.Zero), await phone.AnswerAsync(FormOf(baseline), TimeSpan.Zero));
        Console.WriteLine($"A person who presses Send as soon as the page is up (no time answering): {hurriedOn:0.00} s on, {hurriedOff:0.00} s off");
    }

    private static double Median(List<double> values) => values.Order().ElementAt(values.Count / 2);

    private static string Seconds(List<double> values) => string.Join(", ", values.Select(v => v.ToString("0.00", CultureInfo.InvariantCulture))) + " s";

    /// <summary>
    /// The mean CPU time of one PBKDF2/SHA-256 derivation at <paramref name="cost"/> iterations: the process's CPU time
    /// (the idle host's share is noise), not the wall clock, which a shared machine stretches.
    /// </summary>
    private static double DerivationSeconds(int cost)
    {
        var nonce = new byte[16];
        var salt = new byte[16];
        ChallengeIssuer.DeriveKey(nonce, salt, 0, cost);
        const int n = 300;
        var cpu = Process.GetCurrentProcess().TotalProcessorTime;
        for (uint i = 0; i < n; i++) ChallengeIssuer.DeriveKey(nonce, salt, i, cost);
        return (Process.GetCurrentProcess().TotalProcessorTime - cpu).TotalSeconds / n;
    }

    private static async Task<JsonNode> StuffAsync(LocalHostServer host, string mode, int count, int concurrency, int seconds)
    {
        var start = new ProcessStartInfo("node") { RedirectStandardOutput = true, WorkingDirectory = RepoPaths.Root };
        foreach (var arg in new[] { Path.Combine("tests", "SurveyBackend.Benchmarks", "stuffer.mjs"), host.BaseAddress.ToString(), RepoPaths.SampleSurveyId, mode,
            count.ToString(CultureInfo.InvariantCulture), concurrency.ToString(CultureInfo.InvariantCulture), seconds.ToString(CultureInfo.InvariantCulture) })
        {
            start.ArgumentList.Add(arg);
        }
        using var node = Process.Start(start)!;
        var output = await node.StandardOutput.ReadToEndAsync();
        await node.WaitForExitAsync();
        if (node.ExitCode != 0) throw new InvalidOperationException($"stuffer.mjs {mode} failed ({node.ExitCode})");
        return JsonNode.Parse(output)!;
    }
}
