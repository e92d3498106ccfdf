using System.Diagnostics;
using System.Globalization;
using System.Text;
using Microsoft.Extensions.DependencyInjection;
using SurveyBackend.Languages;
using SurveyBackend.Mailing;
using SurveyBackend.Reports;
using SurveyBackend.Testing;
using SurveyBackend.Web;

namespace SurveyBackend.Benchmarks;

/// <summary>
/// What the pages people load weigh for the sample survey (its reporting groups, two segments, eleven questions): the
/// report page, the slides, the form page and its script, the survey's JSON, each as the app holds it and as it goes
/// over the wire to a browser (Chromium's Accept-Encoding: Brotli) and to a gzip-only client; and the report's email as
/// the mailer composes it, in English and in both languages. Goals: the report page at most 25 KB as sent (and 250 KB
/// of HTML), the slides at most 300 KB of HTML, each email's HTML at most 90 KB (<see cref="ReportEmailRenderer.EmailHtmlBudget"/>:
/// Gmail clips a message whose HTML is larger than about 102 KB; the budget leaves headroom).
/// Args: [respondents = 1000].
/// </summary>
public sealed class PageSizeBenchmark : IBenchmark
{
    internal const string BrowserAcceptEncoding = "gzip, deflate, br, zstd";

    public string Name => "pages";
    public string Description => "Bytes of the report, slides, form and script, raw and as sent (report <= 25 KB sent), and email sizes";

    public async Task RunAsync(string[] args)
    {
        var respondents = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 1_000;
        await using var azurite = await AzuriteServer.StartNewAsync();
        await using var host = await LocalHostServer.StartAsync(azurite, new Dictionary<string, string?> { ["Anonymity:Secret"] = PipelineBenchmark.LocalSecret() });
        var (surveyId, reportId) = await PublishSampleAsync(host, respondents);

        Console.WriteLine($"  {"",-22} {"raw",10} {"as sent (br)",13} {"gzip",9}  goal");
        var report = await PrintAsync(host, "report page", $"api/reports/{reportId}", "<= 250 KB raw, <= 25 KB sent", (raw, sent) => raw <= 250_000 && sent <= 25_000);
        await PrintAsync(host, "slides page", $"api/reports/{reportId}/slides", "<= 300 KB raw", (raw, _) => raw <= 300_000);
        await PrintAsync(host, "form page", $"api/surveys/{surveyId}/form", null, null);
        await PrintAsync(host, "form.js (the frame's)", "api/form.js", null, null);
        await PrintAsync(host, "embed.js (host page's)", "api/embed.js", null, null);
        await PrintAsync(host, "survey JSON", $"api/surveys/{surveyId}", null, null);
        PrintCodingTime(report);

        var published = await host.Services.GetRequiredService<ReportPublisher>().FindPublicAsync(reportId, CancellationToken.None)
            ?? throw new InvalidOperationException("The published report is not public.");
        var composer = host.Services.GetRequiredService<ReportEmailComposer>();
        foreach (var (label, language) in new[] { ("email, English", UiText.English), ("email, Welsh", UiText.Welsh), ("email, both languages", (string?)null) })
        {
            var email = composer.Content(published, language);
            var kb = Encoding.UTF8.GetByteCount(email.Html) / 1000.0;
            var limit = ReportEmailRenderer.EmailHtmlBudget / 1000;
            Console.WriteLine($"  {label} (HTML): {kb:0.0} KB (goal <= {limit} KB): {(kb <= limit ? "met" : "NOT met")}; its plain-text part {Encoding.UTF8.GetByteCount(email.Text) / 1000.0:0.0} KB");
        }
    }

    /// <summary>The sample survey at <paramref name="respondents"/>, with a public bilingual report: (survey id, report id).</summary>
    internal static async Task<(string SurveyId, string ReportId)> PublishSampleAsync(LocalHostServer host, int respondents)
    {
        var published = (await BenchmarkRouteBenchmark.PublishAsync(host, "pages-sample", respondents, bilingual: true)).Split('|');
        return (published[0], published[1]);
    }

    /// <summary>Prints the bytes of one route uncoded, as a browser gets them and as gzip; returns the uncoded body.</summary>
    private static async Task<byte[]> PrintAsync(LocalHostServer host, string label, string path, string? goal, Func<int, int, bool>? met)
    {
        var (raw, _) = await GetAsync(host, path, acceptEncoding: null);
        var (sent, coding) = await GetAsync(host, path, BrowserAcceptEncoding);
        var (gzip, _) = await GetAsync(host, path, "gzip");
        var verdict = met is null ? "" : $"{goal}: {(met(raw.Length, sent.Length) ? "met" : "NOT met")}";
        Console.WriteLine($"  {label,-22} {Kb(raw.Length),10} {Kb(sent.Length) + " " + coding,13} {Kb(gzip.Length),9}  {verdict}");
        return raw;
    }

    private static async Task<(byte[] Body, string Coding)> GetAsync(LocalHostServer host, string path, string? acceptEncoding)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        if (acceptEncoding is not null) request.Headers.TryAddWithoutValidation("Accept-Encoding", acceptEncoding);
        using var response = await host.Client.SendAsync(request);
        if (!response.IsSuccessStatusCode) throw new InvalidOperationException($"{path}: {(int)response.StatusCode}");
        // The client does not decode, so these are the bytes on the wire.
        return (await response.Content.ReadAsByteArrayAsync(), response.Content.Headers.ContentEncoding.FirstOrDefault() ?? "none");
    }

    /// <summary>What coding the report page costs the server on each request, at the quality the app uses.</summary>
    private static void PrintCodingTime(byte[] page)
    {
        foreach (var coding in new[] { ContentCoding.Brotli, ContentCoding.Gzip })
        {
            ContentCodings.Encode(page, coding);
            var started = Stopwatch.GetTimestamp();
            const int times = 50;
            for (var i = 0; i < times; i++) ContentCodings.Encode(page, coding);
            Console.WriteLine($"  coding the report page with {ContentCodings.Name(coding)}: {Stopwatch.GetElapsedTime(started).TotalMilliseconds / times:0.0} ms a request");
        }
    }

    private static string Kb(int bytes) => (bytes / 1000.0).ToString("0.0", CultureInfo.InvariantCulture) + " KB";
}
