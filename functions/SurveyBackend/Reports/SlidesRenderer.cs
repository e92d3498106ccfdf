using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Encodings.Web;
using SurveyBackend.Display;

namespace SurveyBackend.Reports;

/// <summary>
/// <c>GET /api/reports/{id}/slides</c>: a self-contained page for events, from the same snapshot as the page (so the same
/// hidden figures). Its one script and stylesheet are inline, allowed by their hashes: nothing is fetched.
/// </summary>
public sealed class SlidesRenderer
{
    private static readonly HtmlEncoder Html = HtmlEncoder.Default;
    private static readonly CultureInfo Invariant = CultureInfo.InvariantCulture;

    public static string Script { get; } = ReadAsset("slides.js");

    public const string Css =
        "html,body{margin:0}body{font-family:system-ui,-apple-system,Segoe UI,Roboto,Arial,sans-serif;color:#1a1a1a;background:#fff;line-height:1.4}\n"
        + ".slide{box-sizing:border-box;min-height:100vh;padding:4vh 5vw;display:flex;flex-direction:column;justify-content:center;border-bottom:2px solid #c8ccd2}\n"
        + ".js .slide{height:100vh;min-height:0;border:0;overflow:hidden}.slide[hidden]{display:none}\n"
        + ".slide h1{font-size:clamp(2rem,5vw,4rem);line-height:1.15;margin:0 0 3vh}.slide h2{font-size:clamp(1.4rem,3.2vw,2.6rem);line-height:1.2;margin:0 0 2vh}\n"
        + ".slide p,.slide li{font-size:clamp(1rem,2.2vw,1.8rem);max-width:60rem}.lead{color:#333}\n"
        + ".chart{height:60vh;min-height:12rem}.chart svg{display:block;width:100%;height:100%}\n"
        + ".meta{font-size:clamp(0.95rem,1.6vw,1.4rem)!important;color:#4a4a4a;margin:2vh 0 0}\n"
        + "a{color:#0b4fa8}a:focus,button:focus{outline:3px solid #ffbf47;outline-offset:2px}\n"
        + ".controls{position:fixed;right:1rem;bottom:1rem;display:flex;gap:.5rem;align-items:center;background:#fff;padding:.25rem .5rem;border-radius:4px}\n"
        + ".controls[hidden]{display:none}.controls button{font:inherit;font-size:1rem;min-width:44px;min-height:44px;padding:0 .8rem;border:2px solid #1f4e99;background:#fff;color:#1f4e99;border-radius:4px}\n"
        + ".sr-only{position:absolute;width:1px;height:1px;margin:-1px;overflow:hidden;clip:rect(0,0,0,0);white-space:nowrap}\n"
        + "#changes h2{margin-bottom:1vh}#changes li{font-size:clamp(0.95rem,1.7vw,1.35rem);margin:0 0 .4vh}\n"
        + ".controls button:disabled{border-color:#767676;color:#595959}#where{margin:0 .5rem;font-size:1rem}\n"
        + "@media print{@page{size:landscape;margin:0}.controls{display:none!important}.slide,.js .slide,.slide[hidden]{display:flex!important;height:100vh;min-height:0;overflow:hidden;border:0;break-after:page;page-break-after:always}.slide:last-of-type{break-after:auto;page-break-after:auto}a{color:#1a1a1a;text-decoration:none}.download{display:none}}\n";

    /// <summary>The page's policy: only its own inline script and style (by hash), charts downloaded from itself; nothing remote.</summary>
    public static string Policy { get; } =
        $"default-src 'none'; script-src {Hash(Script)}; style-src {Hash(Css)}; img-src 'self' data:; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

    public string Render(Report report)
    {
        var results = report.Snapshot.Results;
        var withWave = report.Snapshot.Survey.PreviousWave is not null;
        var trends = report.Snapshot.Trends();
        var count = results.Questions.Count + 2 + (withWave ? 1 : 0);
        var text = report.Text;
        var words = TrendWords.For(report);
        var html = new StringBuilder(64 * 1024);
        html.Append("<!DOCTYPE html>\n<html lang=\"").Append(report.Language).Append("\">\n<head>\n<meta charset=\"utf-8\">\n<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n")
            .Append("<link rel=\"icon\" href=\"data:,\">\n")
            .Append("<title>").Append(E(text.Format("slides.title", ("title", report.Title)))).Append("</title>\n");
        ReportSections.AppendAlternates(html, report, "slides");
        html.Append("<style>").Append(Css).Append("</style>\n</head>\n<body>\n")
            .Append("<main aria-roledescription=\"").Append(E(text["slides.deck"])).Append("\" aria-label=\"").Append(E(report.Title)).Append("\">\n");

        var slide = 0;
        Open(html, text, ++slide, count, "title");
        ReportSections.AppendLanguageSwitch(html, report, "slides");
        html.Append("<h1>").Append(E(report.Title)).Append("</h1>\n")
            .Append("<p class=\"lead\">").Append(E(report.Wording.Title)).Append("</p>\n")
            .Append("<p class=\"meta\">").Append(E(ReportSections.ReleaseLine(report))).Append(' ')
            .Append(E(text.Format("slides.basedOn", ("respondents", results.Respondents.ToString("N0", Invariant)), ("date", DisplayText.Date(report.PublishAt, text)))))
            .Append("</p>\n</section>\n");

        Open(html, text, ++slide, count, "how-to-read");
        html.Append("<h2>").Append(E(text["slides.howToRead"])).Append("</h2>\n<ul>\n")
            .Append("<li>").Append(E(text["slides.readEach"])).Append("</li>\n")
            .Append("<li>").Append(E(text["slides.readMultiple"])).Append("</li>\n")
            .Append("<li>").Append(E(text["slides.readN"])).Append("</li>\n")
            .Append("<li>").Append(E(DisplayText.Footnote(text))).Append(' ').Append(E(text.Format("slides.readHidden", ("hidden", DisplayText.Hidden)))).Append("</li>\n")
            .Append("<li>").Append(E(ReportSections.ReleaseLine(report))).Append(' ').Append(E(text["slides.readRelease"])).Append("</li>\n");
        if (withWave) html.Append("<li>").Append(E(words.MarkerLegend)).Append(' ').Append(E(words.ShortHowToRead)).Append("</li>\n");
        html.Append("</ul>\n</section>\n");

        if (withWave) AppendChanges(html, report, words, trends, ++slide, count);

        // The journey first, under its own heading: where councils are is what the survey is for.
        if (results.Stages is { } stages) AppendQuestionSlide(html, report, stages, ++slide, count, "journey", text["report.journey.heading"]);
        foreach (var question in results.Asked)
            AppendQuestionSlide(html, report, question, ++slide, count, "q-" + question.Id, report.Words.Question(question.Id));

        // The script's one sentence ("Slide 3 of 9") comes with the page, in its language, so the script stays one (its hash is the policy).
        html.Append("</main>\n<nav class=\"controls\" aria-label=\"").Append(E(text["slides.nav"])).Append("\" hidden><button type=\"button\" id=\"prev\">")
            .Append(E(text["slides.previous"])).Append("</button>")
            .Append("<p id=\"where\" data-words=\"").Append(E(text["slides.where"])).Append("\"></p><button type=\"button\" id=\"next\">").Append(E(text["slides.next"]))
            .Append("</button></nav>\n<p id=\"said\" class=\"sr-only\" role=\"status\"></p>\n")
            .Append("<script>").Append(Script).Append("</script>\n</body>\n</html>\n");
        return html.ToString();
    }

    /// <summary>A question's slide: its chart, n, the release, the trend legend or note, and the chart to download.</summary>
    private static void AppendQuestionSlide(StringBuilder html, Report report, Aggregation.QuestionResult question, int slide, int count, string id, string heading)
    {
        var text = report.Text;
        var words = TrendWords.For(report);
        Open(html, text, slide, count, id);
        var chartId = "c-" + question.Id;
        html.Append("<h2>").Append(E(heading)).Append("</h2>\n")
            .Append("<div class=\"chart\">").Append(ReportCharts.QuestionSvg(report, question, chartId, withCaption: false)).Append("</div>\n")
            .Append("<p class=\"meta\">").Append(E(ReportCharts.AnsweredLine(report, question))).Append(" · ").Append(E(ReportSections.ReleaseLine(report)));
        if (ReportCharts.Trend(report, question.Id) is { } trend)
            html.Append(' ').Append(E(trend.Comparison.IsComparable ? words.MarkerLegend : words.Note(trend.Comparison)!));
        if (ReportCharts.HasHidden(question)) html.Append(' ').Append(E(DisplayText.Footnote(text)));
        html.Append(" <a class=\"download\" href=\"charts/").Append(E(question.Id)).Append(".svg")
            .Append(report.Language == Languages.UiText.English ? "" : "?lang=" + report.Language).Append("\" download=\"").Append(E(question.Id)).Append(".svg\" data-chart=\"")
            .Append(E(question.Id)).Append("\">").Append(E(text["slides.download"])).Append("</a></p>\n")
            // The file as downloaded (title and notes drawn in), inert until the script copies it into a blob.
            .Append("<template id=\"file-").Append(E(question.Id)).Append("\">")
            .Append(ReportCharts.QuestionSvg(report, question, "f-" + question.Id, withCaption: true)).Append("</template>\n")
            .Append("</section>\n");
    }

    /// <summary>The slide of the largest changes since the previous wave (or why there are none to show).</summary>
    private static void AppendChanges(StringBuilder html, Report report, TrendWords words, IReadOnlyList<Aggregation.QuestionTrend>? trends, int number, int count)
    {
        Open(html, report.Text, number, count, "changes");
        html.Append("<h2>").Append(E(words.SectionHeading)).Append("</h2>\n");
        if (trends is null || report.Snapshot.Previous is not { } previous) html.Append("<p>").Append(E(words.NoPublicRelease)).Append("</p>\n");
        else
        {
            html.Append("<p class=\"meta\">").Append(E(words.ComparedWith(previous))).Append("</p>\n");
            var largest = Aggregation.WaveChanges.Largest(trends, ReportSections.MaxRankedChanges);
            if (largest.Count == 0) html.Append("<p>").Append(E(words.NoChanges)).Append("</p>\n");
            else
            {
                html.Append("<ol>\n");
                foreach (var change in largest) html.Append("<li>").Append(E(words.Ranked(report, change))).Append("</li>\n");
                html.Append("</ol>\n");
            }
            var notCompared = trends.Where(t => !t.Comparison.IsComparable).Select(t => report.Words.Question(t.QuestionId)).ToList();
            if (notCompared.Count > 0)
                html.Append("<p class=\"meta\">").Append(E(words.NotComparedHeading)).Append(": ").Append(E(string.Join("; ", notCompared))).Append(".</p>\n");
        }
        html.Append("</section>\n");
    }

    private static void Open(StringBuilder html, Languages.UiText text, int number, int count, string id) =>
        html.Append("<section class=\"slide\" id=\"").Append(E(id)).Append("\" aria-roledescription=\"").Append(E(text["slides.slide"])).Append("\" aria-label=\"")
            .Append(E(text.Format("slides.position", ("number", number), ("count", count)))).Append("\">\n");

    /// <summary>A CSP source for an inline script or style with exactly this content.</summary>
    public static string Hash(string content) => "'sha256-" + Convert.ToBase64String(SHA256.HashData(Encoding.UTF8.GetBytes(content))) + "'";

    private static string ReadAsset(string name)
    {
        var assembly = typeof(SlidesRenderer).Assembly;
        using var stream = assembly.GetManifestResourceStream("SurveyBackend.Reports.Assets." + name)
            ?? throw new InvalidOperationException($"The embedded resource {name} is missing from {assembly.GetName().Name}.");
        using var reader = new StreamReader(stream, Encoding.UTF8);
        return reader.ReadToEnd();
    }

    private static string E(string value) => Html.Encode(value);
}
