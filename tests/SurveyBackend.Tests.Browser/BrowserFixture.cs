using System.Text.Json;
using Azure.Data.Tables;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using SurveyBackend.Anonymity;
using SurveyBackend.Storage;
using SurveyBackend.Testing;
using SurveyBackend.Privacy;

namespace SurveyBackend.Tests.Browser;

/// <summary>
/// One Azurite, one local host (sample survey loaded) and one headless Chromium for the whole collection:
/// each takes seconds to start. Each test opens its own browser context (its own storage, no shared state).
/// </summary>
public sealed class BrowserFixture : IAsyncLifetime
{
    public const string SurveyId = RepoPaths.SampleSurveyId;

    private IPlaywright? _playwright;

    public AzuriteServer Azurite { get; private set; } = null!;
    public LocalHostServer Host { get; private set; } = null!;
    /// <summary>The loopback SendGrid the host mails reports to (the console's mailing test watches it).</summary>
    public FakeSendGridServer SendGrid { get; private set; } = null!;
    public IBrowser Browser { get; private set; } = null!;

    /// <summary>A stand-in for the community site on another origin, listed in Survey:AllowedOrigins.</summary>
    public StaticSite Community { get; private set; } = null!;
    /// <summary>A site on an origin that is not allowed to frame the form.</summary>
    public StaticSite Stranger { get; private set; } = null!;
    /// <summary>A hostile page on another site (127.0.0.2), not merely another origin of the backend's own.</summary>
    public StaticSite Hostile { get; private set; } = null!;
    public string BackendOrigin => Host.BaseAddress.GetLeftPart(UriPartial.Authority);

    /// <summary>Surveys with a published report, and one with no release, made on first use.</summary>
    public PublishedSurveys Published => _published ??= new PublishedSurveys(this);
    private PublishedSurveys? _published;

    public string DemoUrl => new Uri(Host.BaseAddress, "api/demo").ToString();
    public string FormUrl => new Uri(Host.BaseAddress, $"api/surveys/{SurveyId}/form").ToString();

    public static string AxeScript => Path.Combine(RepoPaths.Root, "scripts", "node_modules", "axe-core", "axe.min.js");

    public async Task InitializeAsync()
    {
        Azurite = await AzuriteServer.StartNewAsync();
        Community = await StaticSite.StartAsync();
        SendGrid = await FakeSendGridServer.StartAsync();
        Stranger = await StaticSite.StartAsync();
        Hostile = await StaticSite.StartAsync("127.0.0.2");
        Host = await LocalHostServer.StartAsync(Azurite, new Dictionary<string, string?>
        {
            // Every test posts from the same loopback address: the flood guard must not get in the way.
            ["Intake:RequestsPerMinute"] = "100000",
            ["Intake:Burst"] = "100000",
            // Proof of work on, as in Azure, at a low difficulty (a few dozen keys): the form's script solves one per page.
            ["Intake:ProofOfWork"] = "on",
            ["Intake:ProofOfWorkCost"] = "1000",
            ["Intake:ProofOfWorkMaxNumber"] = "40",
            ["Survey:AllowedOrigins"] = "https://community.example.org," + Community.Origin,
            // The embedded-form tests drive the demo host page, which is off unless turned on.
            ["DemoPage:Enabled"] = "true",
            // The console's tests follow a report's mailing to the end: recipients land within seconds, the mailer
            // runs every two seconds and sends to the loopback SendGrid.
            ["Email:Provider"] = "SendGrid",
            ["SendGrid:ApiKey"] = "SG.test-key",
            ["SendGrid:Host"] = SendGrid.Host,
            ["RecipientFlushSchedule"] = "*/1 * * * * *",
            ["ReportEmailSchedule"] = "*/2 * * * * *",
            // A short run budget keeps the mailer's lease short: on a loaded machine a lease insert whose answer was
            // lost (and retried into a 409) blocks every run until it expires (budget + one minute).
            ["Mailing:RunBudget"] = "00:00:15",
        });
        await Host.PutSampleSurveyAsync();

        _playwright = await Playwright.CreateAsync();
        Browser = await _playwright.Chromium.LaunchAsync(new()
        {
            ExecutablePath = "/usr/bin/chromium",
            Headless = true,
            // No GPU, no QUIC, no DNS: pages are served on 127.0.0.1 (and the hostile site on 127.0.0.2); nothing else is reachable.
            Args = ["--disable-gpu", "--disable-quic", "--no-sandbox", "--host-resolver-rules=MAP * ~NOTFOUND , EXCLUDE 127.0.0.1 , EXCLUDE 127.0.0.2"],
        });
    }

    public async Task<IPage> NewPageAsync(bool javaScript = true, bool bypassCsp = false, int width = 1100, int height = 900)
    {
        var context = await Browser.NewContextAsync(new()
        {
            JavaScriptEnabled = javaScript,
            // Only for injecting axe-core: the pages' own CSP (rightly) refuses scripts it does not know.
            BypassCSP = bypassCsp,
            ViewportSize = new() { Width = width, Height = height },
            AcceptDownloads = true,
        });
        context.SetDefaultTimeout(15_000);
        return await context.NewPageAsync();
    }

    /// <summary>Submissions stored for the sample survey: their key rows, which stay as tombstones (pending rows, <c>p|…</c>, are not counted).</summary>
    public async Task<int> CountSubmissionsAsync()
    {
        var table = new TableClient(Azurite.ConnectionString, TableNames.Submissions);
        var count = 0;
        await foreach (var _ in table.QueryAsync<TableEntity>(TableClient.CreateQueryFilter($"PartitionKey eq {SurveyId} and RowKey lt {SubmissionStore.PendingRowKey("")}"), select: ["RowKey"]))
            count++;
        return count;
    }

    /// <summary>Whether a submission with this client id is stored (its row key is a keyed hash of the id).</summary>
    public async Task<bool> IsStoredAsync(string submissionId, string surveyId = SurveyId)
    {
        var key = Host.Services.GetRequiredService<PrivacyKeys>().ForSubmission(surveyId, submissionId);
        var table = new TableClient(Azurite.ConnectionString, TableNames.Submissions);
        var row = await table.GetEntityIfExistsAsync<TableEntity>(surveyId, key, select: ["RowKey"]);
        return row.HasValue;
    }

    /// <summary>Runs axe-core on the page (shadow roots included) with the WCAG 2.2 AA rule set; returns one line per failing node.</summary>
    public static Task<IReadOnlyList<string>> AxeViolationsAsync(IPage page) => AxeViolationsAsync(page.MainFrame);

    /// <summary>The same inside one frame: the embedded form's document (the page needs bypassCsp for axe to be added).</summary>
    public static async Task<IReadOnlyList<string>> AxeViolationsAsync(IFrame page)
    {
        if (!await page.EvaluateAsync<bool>("() => typeof window.axe !== 'undefined'"))
            await page.AddScriptTagAsync(new() { Path = AxeScript });
        var json = await page.EvaluateAsync<string>("""
            async () => {
              const r = await axe.run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'] } });
              return JSON.stringify(r.violations.flatMap(v => v.nodes.map(n => v.id + ' ' + JSON.stringify(n.target) + ': ' + n.failureSummary)));
            }
            """);
        return JsonSerializer.Deserialize<string[]>(json)!;
    }

    public async Task DisposeAsync()
    {
        if (Browser is not null) await Browser.DisposeAsync();
        _playwright?.Dispose();
        if (Host is not null) await Host.DisposeAsync();
        if (Azurite is not null) await Azurite.DisposeAsync();
        if (Community is not null) await Community.DisposeAsync();
        if (SendGrid is not null) await SendGrid.DisposeAsync();
        if (Stranger is not null) await Stranger.DisposeAsync();
        if (Hostile is not null) await Hostile.DisposeAsync();
    }
}

[CollectionDefinition(Name)]
public sealed class BrowserCollection : ICollectionFixture<BrowserFixture>
{
    public const string Name = "browser";
}
