using System.Diagnostics;
using Microsoft.Playwright;

namespace SurveyBackend.Benchmarks;

/// <summary>
/// A person on a mid-range phone, as Lighthouse's mobile profile plays one: headless Chromium at a phone's viewport with
/// the CPU slowed 4× through the DevTools protocol (<c>Emulation.setCPUThrottlingRate</c>), answering the form page at a
/// person's pace and then pressing Send. What counts is the time from Send to the receipt.
/// </summary>
internal sealed class PhonePerson(IBrowser browser, double cpuSlowdown)
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
        var (context, page) = await OpenAsync();
        try
        {
            await page.GotoAsync(formUrl);
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
        var (context, page) = await OpenAsync();
        try
        {
            await page.GotoAsync(formUrl);
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
        var (context, page) = await OpenAsync();
        try
        {
            await page.GotoAsync(formUrl);
            return await page.EvaluateAsync<double>("() => { const t = performance.now(); let x = 0; for (let i = 0; i < 3e7; i++) x = (x + i * 7) % 1000003; return performance.now() - t + (x < 0 ? 1 : 0); }");
        }
        finally
        {
            await context.CloseAsync();
        }
    }

    private async Task<(IBrowserContext, IPage)> OpenAsync()
    {
        var context = await browser.NewContextAsync(new()
        {
            ViewportSize = new() { Width = 412, Height = 823 }, DeviceScaleFactor = 1.75f, IsMobile = true, HasTouch = true,
        });
        var page = await context.NewPageAsync();
        var devtools = await context.NewCDPSessionAsync(page);
        await devtools.SendAsync("Emulation.setCPUThrottlingRate", new Dictionary<string, object> { ["rate"] = cpuSlowdown });
        return (context, page);
    }
}
