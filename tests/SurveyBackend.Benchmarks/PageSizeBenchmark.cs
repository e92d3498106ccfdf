using System.Globalization;
using System.Text;
using Microsoft.Extensions.DependencyInjection;
using SurveyBackend.Languages;
using SurveyBackend.Mailing;
using SurveyBackend.Reports;
using SurveyBackend.Testing;

namespace SurveyBackend.Benchmarks;

/// <summary>
/// The size of the report page and the slides page for the sample survey (its reporting groups, two segments,
/// eleven questions), as served, and of the report's email as the mailer composes it, in English and in both languages
/// (what a recipient who gave no language gets). Goals: the report at most 250 KB of HTML, the slides at most 300 KB,
/// each email's HTML at most 90 KB (<see cref="ReportEmailRenderer.EmailHtmlBudget"/>: Gmail clips a message whose HTML is
/// larger than about 102 KB, hiding the rest behind a link; the budget leaves headroom under that).
/// Args: [respondents = 1000].
/// </summary>
public sealed class PageSizeBenchmark : IBenchmark
{
    public string Name => "pages";
    public string Description => "Report page, slides page and email sizes for the sample survey (<= 250 KB, <= 300 KB, <= 90 KB)";

    public async Task RunAsync(string[] args)
    {
        var respondents = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 1_000;
        await using var azurite = await AzuriteServer.StartNewAsync();
        await using var host = await LocalHostServer.StartAsync(azurite, new Dictionary<string, string?> { ["Anonymity:Secret"] = PipelineBenchmark.LocalSecret() });
        var reportId = (await BenchmarkRouteBenchmark.PublishAsync(host, "pages-sample", respondents, bilingual: true)).Split('|')[1];

        foreach (var (label, path, limit) in new[] { ("report page", $"api/reports/{reportId}", 250), ("slides page", $"api/reports/{reportId}/slides", 300) })
        {
            Print(label, (await host.Client.GetByteArrayAsync(path)).Length, limit);
        }

        var report = await host.Services.GetRequiredService<ReportPublisher>().FindPublicAsync(reportId, CancellationToken.None)
            ?? throw new InvalidOperationException("The published report is not public.");
        var composer = host.Services.GetRequiredService<ReportEmailComposer>();
        foreach (var (label, language) in new[] { ("email, English", UiText.English), ("email, Welsh", UiText.Welsh), ("email, both languages", (string?)null) })
        {
            var email = composer.Content(report, language);
            Print($"{label} (HTML)", Encoding.UTF8.GetByteCount(email.Html), ReportEmailRenderer.EmailHtmlBudget / 1000);
            Console.WriteLine($"    its plain-text part: {Encoding.UTF8.GetByteCount(email.Text) / 1000.0:0.0} KB");
        }
    }

    private static void Print(string label, int bytes, int limitKb)
    {
        var kb = bytes / 1000.0;
        Console.WriteLine($"  {label}: {bytes:N0} bytes = {kb:0.0} KB (goal <= {limitKb} KB): {(kb <= limitKb ? "met" : "NOT met")}");
    }
}
