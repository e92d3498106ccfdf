using System.Diagnostics;
using Microsoft.Playwright;

namespace SurveyBackend.Benchmarks;

/// <summary>
/// A person on a mid-range phone, as Lighthouse's mobile profile plays one: headless Chromium at a phone's viewport with
/// the CPU slowed 4× through the DevTools protocol (<c>Emulation.setCPUThrottlingRate</c>), answering the form page at a
/// person's pace and then pressing Send. What counts is the time from Send to the receipt.
/// </summary>
internal sealed class PhonePerson(IBrowser browser, double cpuSlowdown, bool throttleWorkers = false)
{
    // Every control a complete answer ticks on the sample survey, as a person does them, one by one.
    private static readonly string[] Choices =
    [
        "organisationType-county", "region-london", "role-digital", "channels-twitter", "channels-facebook",
        "maturity-engage", "customerService-process", "insightUse-campaigns", "teamSize-1-2", "resourcing-same",
        "successMeasures-engagement", "challenge-skills",
    ];

    public static async Task<IBrowser> LaunchAsync(IPlaywright playwright) => await playwright.Chromium.LaunchAsync(new()
    {
        ExecutablePath = "/usr/bin/chromium",
        Headless = true,
        Args = ["--disable-gpu", "--disable-quic", "--no-sandbox", "--host-resolver-rules=MAP * ~NOTFOUND , EXCLUDE 127.0.0.1"],
    });

    /// <summary>Seconds from Send to the receipt, for a person who takes <paramref name="answering"/> over the answers.</summary>
    public async Task<double> AnswerAsync(string formUrl, TimeSpan answering)
    {
        var (context, page) = await OpenAsync(formUrl);
        try
        {
            await page.Locator("form[data-enhanced]").WaitForAsync(new() { Timeout = 60_000 });
            var pause = answering / (Choices.Length + 2);
            foreach (var choice in Choices)
            {
                await page.WaitForTimeoutAsync((float)pause.TotalMilliseconds);
                await page.Locator("#sv-q-" + choice).CheckAsync();
            }
            await page.WaitForTimeoutAsync((float)pause.TotalMilliseconds);
            await page.Locator("#sv-email").FillAsync("jo@example.gov.uk");
            await page.Locator("#sv-consent").CheckAsync();
            await page.WaitForTimeoutAsync((float)pause.TotalMilliseconds);

            var sent = Stopwatch.StartNew();
            await page.Locator(".sv-submit").ClickAsync();
            await page.Locator(".sv-receipt").WaitForAsync(new() { Timeout = 120_000 });
            return sent.Elapsed.TotalSeconds;
        }
        finally
        {
            await context.CloseAsync();
        }
    }

    /// <summary>
    /// Milliseconds the form's own worker takes over <paramref name="challengeJson"/> (one worker, counters from 0), in a
    /// page on <paramref name="formUrl"/>'s origin: run at 1× and at the slowdown, this shows whether the throttle reaches
    /// workers, whose WebCrypto work runs off the page's main thread.
    /// </summary>
    public async Task<double> WorkerMillisecondsAsync(string formUrl, string challengeJson)
    {
        var (context, page) = await OpenAsync(formUrl);
        try
        {
            return await page.EvaluateAsync<double>("""
                async (challenge) => {
                  const started = performance.now();
                  const worker = new Worker('/api/proof-worker.js');
                  await new Promise(resolve => { worker.onmessage = resolve; worker.postMessage({ parameters: JSON.parse(challenge).parameters, start: 0, step: 1 }); });
                  worker.terminate();
                  return performance.now() - started;
                }
                """, challengeJson);
        }
        finally
        {
            await context.CloseAsync();
        }
    }

    /// <summary>Milliseconds of a fixed busy loop on the page's main thread: the control that the throttle is on at all.</summary>
    public async Task<double> MainThreadMillisecondsAsync(string formUrl)
    {
        var (context, page) = await OpenAsync(formUrl);
        try
        {
            // The fastest of three, so the first run's compiling does not count.
            return await page.EvaluateAsync<double>("""
                () => Math.min(...[0, 1, 2].map(() => {
                  const t = performance.now(); let x = 0;
                  for (let i = 0; i < 2e7; i++) x = (x + i * 7) % 1000003;
                  return performance.now() - t + (x < 0 ? 1 : 0);
                }))
                """);
        }
        finally
        {
            await context.CloseAsync();
        }
    }

    /// <summary>
    /// Slows each Web Worker the page starts as well: DevTools attaches to it paused, sets the same rate there, and lets it
    /// run (the page's rate alone does not reach workers).
    /// </summary>
    private async Task ThrottleWorkersAsync(ICDPSession devtools)
    {
        devtools.Event("Target.attachedToTarget").OnEvent += async (_, e) =>
        {
            if (e is not { } attached || attached.GetProperty("targetInfo").GetProperty("type").GetString() != "worker") return;
            var session = attached.GetProperty("sessionId").GetString()!;
            foreach (var message in new[]
            {
                $$$"""{"id":1,"method":"Emulation.setCPUThrottlingRate","params":{"rate":{{{cpuSlowdown.ToString(System.Globalization.CultureInfo.InvariantCulture)}}}}}""",
                """{"id":2,"method":"Runtime.runIfWaitingForDebugger"}""",
            })
            {
                await devtools.SendAsync("Target.sendMessageToTarget", new Dictionary<string, object> { ["sessionId"] = session, ["message"] = message });
            }
        };
        await devtools.SendAsync("Target.setAutoAttach", new Dictionary<string, object> { ["autoAttach"] = true, ["waitForDebuggerOnStart"] = true, ["flatten"] = false });
    }

    /// <summary>
    /// A phone-sized page with the slowdown on, at <paramref name="url"/>. The slowdown belongs to a renderer process, and a
    /// navigation to another site starts a new one: so the page first opens a cheap page of the backend's own site
    /// (<c>/api/health</c>), is slowed there, and only then loads <paramref name="url"/>, whose script starts work at once.
    /// </summary>
    private async Task<(IBrowserContext, IPage)> OpenAsync(string url)
    {
        var context = await browser.NewContextAsync(new()
        {
            ViewportSize = new() { Width = 412, Height = 823 }, DeviceScaleFactor = 1.75f, IsMobile = true, HasTouch = true,
        });
        var page = await context.NewPageAsync();
        await page.GotoAsync(new Uri(new Uri(url), "/api/health").ToString());
        var devtools = await context.NewCDPSessionAsync(page);
        await devtools.SendAsync("Emulation.setCPUThrottlingRate", new Dictionary<string, object> { ["rate"] = cpuSlowdown });
        if (throttleWorkers) await ThrottleWorkersAsync(devtools);
        await page.GotoAsync(url);
        return (context, page);
    }
}
