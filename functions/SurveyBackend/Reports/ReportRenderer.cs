using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;
using SurveyBackend.Aggregation;
using SurveyBackend.Form;
using SurveyBackend.Languages;
using SurveyBackend.Surveys;

namespace SurveyBackend.Reports;

public enum ReportLayout
{
    /// <summary>The public page: summary, a chart per question, and the benchmark tables per segment.</summary>
    Page,
    /// <summary>
    /// The email: a short read that Gmail shows whole (<see cref="ReportRenderer.EmailHtmlBudget"/>): the summary, the
    /// largest changes, each question's most chosen answer and a few charts (bars as table cells: email clients strip
    /// SVG and scripts), with a prominent link to the page, which has everything.
    /// </summary>
    Email,
}

/// <summary>An email's content; <see cref="ReportRenderer.UnsubscribePlaceholder"/> stands for each recipient's own link.</summary>
public sealed record EmailContent(string Subject, string Html, string Text);

/// <summary>
/// Renders a report as HTML with CSS bar charts made of table cells and inline styles, so that the page and
/// the email (where SVG, scripts and style sheets are stripped) draw the same bars. Every value that did not
/// come from this code is HTML-encoded; the summary goes through <see cref="MarkdownSummary"/>.
/// </summary>
public sealed class ReportRenderer
{
    /// <summary>Replaced per recipient (SendGrid substitution, or by the outbox) with their unsubscribe URL.</summary>
    public const string UnsubscribePlaceholder = "%unsubscribe_url%";

    /// <summary>
    /// The most HTML an email may carry, in bytes: Gmail shows about the first 102 KB of a message's HTML and hides the
    /// rest behind "[Message clipped]", and this leaves headroom under that for what SendGrid and the recipient's
    /// unsubscribe link add. Every language variant of the sample survey's email is tested against it.
    /// </summary>
    public const int EmailHtmlBudget = 90_000;

    /// <summary>How many questions the email draws as bars; every other question is one line of key figures, and the page draws them all.</summary>
    public const int MaxEmailCharts = 3;

    private const string BarColour = "#1f4e99";
    private const string TrackColour = "#e3e7ee";
    private static readonly HtmlEncoder Html = HtmlEncoder.Default;
    private static readonly CultureInfo Invariant = CultureInfo.InvariantCulture;

    /// <summary>The public page, in the language <paramref name="report"/> reads in (<see cref="Report.In"/>).</summary>
    public string RenderPage(Report report)
    {
        var text = report.Text;
        var words = TrendWords.For(report);
        var html = new StringBuilder(64 * 1024);
        html.Append("<!DOCTYPE html>\n<html lang=\"").Append(report.Language).Append("\">\n<head>\n<meta charset=\"utf-8\">\n")
            .Append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n")
            .Append("<title>").Append(E(report.Title)).Append("</title>\n");
        AppendAlternates(html, report, E(report.Id));
        html.Append("<style>\n")
            .Append("body{font-family:system-ui,-apple-system,Segoe UI,Roboto,Arial,sans-serif;line-height:1.5;color:#1a1a1a;background:#fff;margin:0}\n")
            .Append("main{max-width:56rem;margin:0 auto;padding:1.5rem}\n")
            .Append("h1{font-size:1.8rem;line-height:1.25}h2{font-size:1.3rem;margin-top:2rem}h3{font-size:1.1rem}\n")
            .Append("a{color:#0b4fa8}a:focus{outline:3px solid #ffbf47;outline-offset:2px}\n")
            .Append(".meta{color:#4a4a4a}.figures{font-variant-numeric:tabular-nums}\n")
            .Append("table.benchmark{border-collapse:collapse;width:100%;margin:0.5rem 0 1.5rem;font-size:0.95rem}\n")
            .Append("table.benchmark caption{text-align:left;font-weight:600;padding:0.25rem 0}\n")
            .Append("table.benchmark th,table.benchmark td{border:1px solid #c8ccd2;padding:0.3rem 0.5rem;text-align:left;vertical-align:top}\n")
            .Append("table.benchmark thead th{background:#f1f3f6}.suppressed{color:#4a4a4a;font-style:italic}\n")
            .Append("main,figure,td,th{overflow-wrap:anywhere}\n")
            .Append(".compare-grid{display:grid;grid-template-columns:repeat(auto-fill,minmax(min(100%,22rem),1fr));gap:1.5rem 2rem;margin:0 0 1.5rem}\n")
            .Append("figure.compare{margin:0;min-width:0;position:relative}figure.compare figcaption{font-weight:600;margin:0 0 0.4rem}\n")
            .Append("svg.chart-svg{display:block;width:100%;height:auto;max-width:36rem}.hidden-groups{color:#4a4a4a;font-size:0.9rem;margin:0.25rem 0 0}\n")
            .Append(".was{position:absolute;top:-4px;bottom:-4px;width:3px;margin-left:-1.5px;background:#1a1a1a;box-shadow:0 0 0 1.5px #fff}\n")
            .Append(".sr-only{position:absolute!important;width:1px!important;height:1px;padding:0;margin:-1px;overflow:hidden;clip:rect(0,0,0,0);white-space:nowrap;border:0}\n")
            .Append(".language{margin:0;text-align:right}\n")
            .Append("@media (max-width:30rem){main{padding:1rem}h1{font-size:1.5rem}}\n")
            .Append("@media print{main{max-width:none;padding:0}a{color:#1a1a1a}.compare-grid{grid-template-columns:1fr 1fr}figure.compare,table.chart tr{break-inside:avoid}h2,h3{break-after:avoid}}\n")
            .Append("</style>\n</head>\n<body>\n<main>\n");

        AppendLanguageSwitch(html, report, E(report.Id));
        html.Append("<h1>").Append(E(report.Title)).Append("</h1>\n");
        html.Append("<p class=\"meta\">").Append(E(text.Format("report.published", ("date", CompareText.Date(report.PublishAt, text)))))
            .Append(' ').Append(E(ReleaseLine(report))).Append(' ')
            .Append(E(text.Format("report.basedOn", ("respondents", report.Snapshot.Results.Respondents.ToString("N0", Invariant)), ("survey", report.Wording.Title))))
            .Append("</p>\n");
        AppendLinks(html, report);
        html.Append("<section aria-labelledby=\"summary\">\n<h2 id=\"summary\">").Append(E(text["report.summary"])).Append("</h2>\n")
            .Append(MarkdownSummary.ToHtml(report.Summary)).Append("</section>\n");
        var trends = report.Snapshot.Trends();
        AppendWhatChanged(html, report, trends, headingLevel: 2, sectionId: "changes");

        html.Append("<section aria-labelledby=\"results\">\n<h2 id=\"results\">").Append(E(text["report.results"])).Append("</h2>\n");
        if (trends is not null) html.Append("<p class=\"meta\">").Append(E(words.MarkerLegend)).Append("</p>\n");
        AppendCharts(html, report, report.Snapshot.Results.Questions, headingLevel: 3, trends, markers: true);
        html.Append("</section>\n");

        AppendComparisons(html, report);
        html.Append("<p class=\"meta\">").Append(E(Footnote(text))).Append("</p>\n");
        html.Append("</main>\n</body>\n</html>\n");
        return html.ToString();
    }

    /// <summary>
    /// The other language versions of a page, for search engines and browsers (<c>hreflang</c>), each with its own
    /// <c>?lang=</c> so that Accept-Language cannot send a reader back. Nothing for a report in English only.
    /// </summary>
    internal static void AppendAlternates(StringBuilder html, Report report, string encodedPath)
    {
        if (report.Languages.Count < 2) return;
        foreach (var language in report.Languages)
            html.Append("<link rel=\"alternate\" hreflang=\"").Append(language).Append("\" href=\"").Append(encodedPath).Append("?lang=").Append(language).Append("\">\n");
    }

    /// <summary>"Cymraeg" on the English page, "English" on the Welsh one: the other language named in itself (GOV.UK pattern).</summary>
    internal static void AppendLanguageSwitch(StringBuilder html, Report report, string encodedPath)
    {
        if (report.Languages.Count < 2) return;
        var other = report.Languages.First(l => l != report.Language);
        html.Append("<p class=\"language\"><a href=\"").Append(encodedPath).Append("?lang=").Append(other).Append("\" hreflang=\"").Append(other)
            .Append("\" lang=\"").Append(other).Append("\">").Append(E(UiText.For(other)["language.name"])).Append("</a></p>\n");
    }

    /// <summary>The email in the language <paramref name="report"/> reads in; <paramref name="pageUrl"/> is the page's address without a language.</summary>
    public EmailContent RenderEmail(Report report, string pageUrl)
    {
        var html = new StringBuilder(32 * 1024);
        AppendEmailStart(html, report.Language, report.Title);
        AppendEmailBody(html, report, LanguageUrl(report, pageUrl));
        AppendEmailEnd(html);
        return new EmailContent(report.Title, html.ToString(), RenderText(report, LanguageUrl(report, pageUrl)));
    }

    /// <summary>
    /// One email in both languages, Welsh first, for a recipient who gave no language: each half whole (its own
    /// links and unsubscribe line) and marked with its <c>lang</c>, so a screen reader speaks each in its language.
    /// </summary>
    public EmailContent RenderBilingualEmail(Report welsh, Report english, string pageUrl)
    {
        var html = new StringBuilder(64 * 1024);
        AppendEmailStart(html, welsh.Language, welsh.Title + " / " + english.Title);
        html.Append("<p style=\"margin:0 0 12px;color:#4a4a4a;font-size:14px\">").Append(E(welsh.Text["email.otherLanguageBelow"]))
            .Append(" <span lang=\"").Append(english.Language).Append("\">").Append(E(english.Text["email.otherLanguageBelow"])).Append("</span></p>\n");
        AppendEmailBody(html, welsh, LanguageUrl(welsh, pageUrl));
        html.Append("<hr style=\"border:0;border-top:2px solid #1f4e99;margin:32px 0\">\n<div lang=\"").Append(english.Language).Append("\">\n");
        AppendEmailBody(html, english, LanguageUrl(english, pageUrl));
        html.Append("</div>\n");
        AppendEmailEnd(html);
        var text = welsh.Text["email.otherLanguageBelow"] + " " + english.Text["email.otherLanguageBelow"] + "\n\n"
            + RenderText(welsh, LanguageUrl(welsh, pageUrl)) + "\n----------\n\n" + RenderText(english, LanguageUrl(english, pageUrl));
        return new EmailContent(welsh.Title + " / " + english.Title, html.ToString(), text);
    }

    /// <summary>The page in the email's language: named, so the reader's browser language cannot switch it.</summary>
    private static string LanguageUrl(Report report, string pageUrl) => report.Languages.Count < 2 ? pageUrl : pageUrl + "?lang=" + report.Language;

    private static void AppendEmailStart(StringBuilder html, string language, string title) =>
        html.Append("<!DOCTYPE html>\n<html lang=\"").Append(language).Append("\">\n<head>\n<meta charset=\"utf-8\">\n<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n")
            .Append("<title>").Append(E(title)).Append("</title>\n</head>\n")
            .Append("<body style=\"margin:0;padding:0;background:#ffffff;color:#1a1a1a;font-family:Arial,Helvetica,sans-serif;font-size:15px;line-height:1.5\">\n")
            .Append("<table role=\"presentation\" width=\"100%\" cellpadding=\"0\" cellspacing=\"0\" style=\"border-collapse:collapse\"><tr><td align=\"center\">\n")
            .Append("<table role=\"presentation\" width=\"640\" cellpadding=\"0\" cellspacing=\"0\" style=\"border-collapse:collapse;max-width:640px;width:100%\"><tr><td style=\"padding:16px\">\n");

    private static void AppendEmailEnd(StringBuilder html) =>
        html.Append("</td></tr></table>\n</td></tr></table>\n</body>\n</html>\n");

    private static void AppendEmailBody(StringBuilder html, Report report, string pageUrl)
    {
        var text = report.Text;
        html.Append("<h1 style=\"font-size:22px;line-height:1.3;margin:0 0 12px\">").Append(E(report.Title)).Append("</h1>\n");
        html.Append("<p style=\"margin:0 0 12px\">").Append(E(text.Format("email.thanks", ("survey", report.Wording.Title))))
            .Append(' ').Append(E(ReleaseLine(report))).Append("</p>\n");
        AppendEmailButton(html, report, pageUrl);
        html.Append("<div>").Append(MarkdownSummary.ToHtml(report.Summary)).Append("</div>\n");
        var trends = report.Snapshot.Trends();
        // Named by language: the bilingual email holds this section twice, and an id must be unique in a document.
        AppendWhatChanged(html, report, trends, headingLevel: 2, sectionId: "changes-" + report.Language);
        AppendKeyFigures(html, report);
        var charts = EmailCharts(report, trends);
        if (charts.Count > 0)
        {
            html.Append("<h2 style=\"font-size:19px;margin:24px 0 8px\">").Append(E(text["email.charts"])).Append("</h2>\n");
            AppendCharts(html, report, charts, headingLevel: 3, trends, markers: false);
        }
        AppendEmailRest(html, report, pageUrl);
        html.Append("<p style=\"margin:16px 0;color:#4a4a4a;font-size:14px\">").Append(E(Footnote(text))).Append("</p>\n");
        html.Append("<hr style=\"border:0;border-top:1px solid #c8ccd2;margin:24px 0 12px\">\n")
            .Append("<p style=\"font-size:13px;color:#4a4a4a;margin:0\">").Append(E(text["email.why"])).Append(' ').Append(E(text["email.kept"])).Append(' ')
            .Append("<a href=\"").Append(UnsubscribePlaceholder).Append("\" style=\"color:#0b4fa8\">").Append(E(text["email.unsubscribe"])).Append("</a>.</p>\n");
    }

    private static string RenderText(Report report, string pageUrl)
    {
        var text = new StringBuilder();
        var ui = report.Text;
        var words = TrendWords.For(report);
        text.Append(report.Title).Append("\n\n")
            .Append(ui.Format("email.thanks", ("survey", report.Wording.Title))).Append(' ').Append(ReleaseLine(report)).Append("\n\n")
            .Append(ui.Format("email.readOnline", ("url", pageUrl))).Append('\n');
        if (report.ReportUrl is not null) text.Append(ui.Format("email.pdf", ("url", report.ReportUrl))).Append('\n');
        text.Append('\n').Append(report.Summary.Trim()).Append("\n\n");
        var trends = report.Snapshot.Trends();
        foreach (var question in report.Snapshot.Results.Questions)
        {
            text.Append(QuestionText(report, question.Id)).Append('\n');
            var trend = trends?.FirstOrDefault(t => t.QuestionId == question.Id);
            if (trend is not null && words.Note(trend.Comparison) is { } note) text.Append("  (").Append(note).Append(")\n");
            foreach (var option in question.Options)
            {
                text.Append("  ").Append(OptionText(report, question.Id, option.Id)).Append(": ")
                    .Append(Figure(option.Share, option.Count, option.Suppressed || question.Suppressed));
                if (trend?.Options.FirstOrDefault(o => o.OptionId == option.Id) is { } change)
                    text.Append("; ").Append(words.TextLine(change));
                text.Append('\n');
            }
            text.Append('\n');
        }
        text.Append(Footnote(ui)).Append("\n\n");
        text.Append(ui["email.why"]).Append('\n')
            .Append(ui.Format("email.unsubscribeText", ("url", UnsubscribePlaceholder))).Append('\n');
        return text.ToString();
    }

    /// <summary>The page's downloads: the figures as CSV and, when there is one, the designed PDF.</summary>
    private static void AppendLinks(StringBuilder html, Report report)
    {
        var text = report.Text;
        html.Append("<p>");
        html.Append("<a href=\"").Append(E(report.Id)).Append("/results.csv\">").Append(E(text["report.csv"])).Append("</a>");
        if (report.ReportUrl is not null)
            html.Append(" · <a href=\"").Append(E(report.ReportUrl)).Append("\" style=\"color:#0b4fa8\">").Append(E(text["report.pdf"])).Append("</a>");
        html.Append("</p>\n");
    }

    /// <summary>
    /// The "what changed" summary: the previous wave named, the largest changes among shown figures, and the questions
    /// that are not compared. Nothing when the survey names no previous wave.
    /// </summary>
    private static void AppendWhatChanged(StringBuilder html, Report report, IReadOnlyList<QuestionTrend>? trends, int headingLevel, string sectionId)
    {
        if (report.Snapshot.Survey.PreviousWave is null) return;
        var words = TrendWords.For(report);
        html.Append("<section aria-labelledby=\"").Append(sectionId).Append("\">\n<h").Append(headingLevel).Append(" id=\"").Append(sectionId).Append("\">").Append(E(words.SectionHeading))
            .Append("</h").Append(headingLevel).Append(">\n");
        if (trends is null || report.Snapshot.Previous is not { } previous)
        {
            html.Append("<p>").Append(E(words.NoPublicRelease)).Append("</p>\n</section>\n");
            return;
        }
        html.Append("<p>").Append(E(words.ComparedWith(previous))).Append(' ').Append(E(words.HowToRead)).Append("</p>\n");
        var largest = WaveChanges.Largest(trends, MaxRankedChanges);
        if (largest.Count == 0) html.Append("<p>").Append(E(words.NoChanges)).Append("</p>\n");
        else
        {
            html.Append("<p>").Append(E(words.LargestFirst)).Append("</p>\n<ol class=\"changes\">\n");
            foreach (var change in largest) html.Append("<li>").Append(E(words.Ranked(report, change))).Append("</li>\n");
            html.Append("</ol>\n");
        }
        var notCompared = trends.Where(t => !t.Comparison.IsComparable).ToList();
        if (notCompared.Count > 0)
        {
            html.Append("<p>").Append(E(words.NotComparedHeading)).Append(":</p>\n<ul class=\"not-compared\">\n");
            foreach (var trend in notCompared)
                html.Append("<li>").Append(E(QuestionText(report, trend.QuestionId))).Append(" (").Append(E(words.Reason(trend.Comparison.Reason))).Append(")</li>\n");
            html.Append("</ul>\n");
        }
        html.Append("</section>\n");
    }

    /// <summary>How many changes the summary ranks: enough to read at a glance; every change is in the tables below.</summary>
    public const int MaxRankedChanges = 5;

    private static void AppendCharts(StringBuilder html, Report report, IEnumerable<QuestionResult> questions, int headingLevel, IReadOnlyList<QuestionTrend>? trends, bool markers)
    {
        var text = report.Text;
        foreach (var question in questions)
        {
            html.Append("<h").Append(headingLevel).Append(" style=\"font-size:17px;margin:20px 0 4px\">")
                .Append(E(QuestionText(report, question.Id))).Append("</h").Append(headingLevel).Append(">\n");
            html.Append("<p style=\"margin:0 0 6px;color:#4a4a4a;font-size:14px\">")
                .Append(E(question.Answered is { } answered && !question.Suppressed
                    ? text.Format(IsMultiple(report, question.Id) ? "report.answeredMultiple" : "report.answered", ("answered", answered.ToString("N0", Invariant)))
                    : text.Format("report.answeredHidden", ("hidden", Hidden))))
                .Append("</p>\n");
            var trend = trends?.FirstOrDefault(t => t.QuestionId == question.Id);
            AppendBars(html, report, question, markers ? trend : null);
            if (trend is not null) AppendTrend(html, report, trend);
        }
    }

    /// <summary>
    /// Under a question's bars: then, now and the change per answer as a table (so a screen reader has every figure),
    /// or why the question is not compared. A hidden share on either side leaves the change "–".
    /// </summary>
    private static void AppendTrend(StringBuilder html, Report report, QuestionTrend trend)
    {
        var words = TrendWords.For(report);
        if (words.Note(trend.Comparison) is { } note)
            html.Append("<p class=\"trend-note\" style=\"margin:0 0 8px;color:#4a4a4a;font-size:14px\">").Append(E(note)).Append("</p>\n");
        if (!trend.Comparison.IsComparable) return;
        const string cell = "border:1px solid #c8ccd2;padding:3px 6px;text-align:left";
        html.Append("<table class=\"trend\" style=\"border-collapse:collapse;width:100%;margin:0 0 16px;font-size:14px\">\n<caption style=\"text-align:left;font-weight:600;padding:2px 0\">")
            .Append(E(words.TableCaption(QuestionText(report, trend.QuestionId)))).Append("</caption>\n<thead><tr>");
        // Figures never break inside ("33.|2%"); the answer column takes what is left and wraps.
        const string figure = cell + ";white-space:nowrap;overflow-wrap:normal";
        html.Append("<th scope=\"col\" style=\"").Append(cell).Append(";background:#f1f3f6\">").Append(E(words.Answer)).Append("</th>");
        foreach (var header in new[] { words.Then, words.Now, words.Change })
            html.Append("<th scope=\"col\" style=\"").Append(figure).Append(";background:#f1f3f6\">").Append(E(header)).Append("</th>");
        html.Append("</tr></thead>\n<tbody>\n");
        foreach (var option in trend.Options)
        {
            html.Append("<tr><th scope=\"row\" style=\"").Append(cell).Append(";font-weight:normal\">").Append(E(OptionText(report, trend.QuestionId, option.OptionId))).Append("</th>")
                .Append("<td class=\"figures\" style=\"").Append(figure).Append("\">").Append(E(TrendWords.Share(option.PreviousShare))).Append("</td>")
                .Append("<td class=\"figures\" style=\"").Append(figure).Append("\">").Append(E(TrendWords.Share(option.Share))).Append("</td>")
                .Append("<td class=\"figures change\" style=\"").Append(figure).Append("\">").Append(E(TrendWords.Points(option.Change))).Append("</td></tr>\n");
        }
        html.Append("</tbody>\n</table>\n");
    }

    /// <summary>
    /// A bar chart as a table: label, bar, figure. The bar is two cells whose widths are the share and the rest,
    /// which every email client draws; it is hidden from screen readers, which read the figure instead.
    /// </summary>
    private static void AppendBars(StringBuilder html, Report report, QuestionResult question, QuestionTrend? trend)
    {
        html.Append("<table role=\"presentation\" width=\"100%\" cellpadding=\"0\" cellspacing=\"0\" class=\"chart\" style=\"border-collapse:collapse;width:100%;margin:0 0 12px\">\n");
        foreach (var option in question.Options)
        {
            var percent = option.Share is { } share && !option.Suppressed ? Math.Clamp(share * 100, 0, 100) : 0;
            var width = Math.Round(percent, 1).ToString("0.#", Invariant);
            html.Append("<tr><td width=\"38%\" style=\"width:38%;padding:3px 8px 3px 0;vertical-align:middle\">")
                .Append(E(OptionText(report, question.Id, option.Id))).Append("</td>")
                .Append("<td width=\"42%\" aria-hidden=\"true\" style=\"width:42%;padding:3px 0;vertical-align:middle\">");
            // The previous wave's share as a line across the bar (the page only: mail clients drop positioning).
            var then = trend?.Options.FirstOrDefault(o => o.OptionId == option.Id)?.PreviousShare;
            if (then is { } was)
                html.Append("<div style=\"position:relative\"><span class=\"was\" data-share=\"").Append(E(Percent(was))).Append("\" style=\"left:")
                    .Append(Math.Clamp(WaveChanges.ShownPercent(was), 0, 100).ToString("0.#", Invariant)).Append("%\"></span>");
            html.Append("<table role=\"presentation\" width=\"100%\" cellpadding=\"0\" cellspacing=\"0\" style=\"border-collapse:collapse;width:100%\"><tr>");
            if (percent > 0)
                html.Append("<td width=\"").Append(width).Append("%\" style=\"width:").Append(width).Append("%;background:").Append(BarColour)
                    .Append(";height:16px;font-size:0;line-height:0\">&nbsp;</td>");
            if (percent < 100)
                html.Append("<td style=\"background:").Append(TrackColour).Append(";height:16px;font-size:0;line-height:0\">&nbsp;</td>");
            html.Append("</tr></table>").Append(then is null ? "" : "</div>").Append("</td>")
                .Append("<td width=\"20%\" class=\"figures\" style=\"width:20%;padding:3px 0 3px 8px;white-space:nowrap;text-align:right;vertical-align:middle\">")
                .Append(E(Figure(option.Share, option.Count, option.Suppressed || question.Suppressed))).Append("</td></tr>\n");
        }
        html.Append("</table>\n");
    }

    /// <summary>
    /// Per segment question (e.g. organisation type), a chart per question: its answers for everyone and for every shown
    /// group beside them (<see cref="SvgCharts.Comparison"/>), and the same figures as a table for screen readers (a row
    /// per answer, a column per group, hidden groups included as "–"). Charts sit in a grid that becomes one column on
    /// a phone, so nothing scrolls sideways.
    /// </summary>
    private static void AppendComparisons(StringBuilder html, Report report)
    {
        var results = report.Snapshot.Results;
        var segments = report.Snapshot.Survey.Segments.Where(s => results.Segments.Any(g => g.QuestionId == s)).ToList();
        if (segments.Count == 0) return;

        var text = report.Text;
        html.Append("<section aria-labelledby=\"benchmarks\">\n<h2 id=\"benchmarks\">").Append(E(text["report.benchmarks"])).Append("</h2>\n")
            .Append("<p>").Append(E(text["report.benchmarksIntro"])).Append("</p>\n");
        foreach (var segmentId in segments)
        {
            var segmentTitle = QuestionText(report, segmentId);
            html.Append("<h3>").Append(E(text.Format("report.by", ("segment", segmentTitle)))).Append("</h3>\n<div class=\"compare-grid\">\n");
            foreach (var question in results.Questions.Where(q => q.Id != segmentId))
            {
                var figures = ReportCharts.Comparison(report, segmentId, question);
                html.Append("<figure class=\"compare\">\n<figcaption>").Append(E(QuestionText(report, question.Id))).Append("</figcaption>\n")
                    .Append(ReportCharts.ComparisonSvg(report, figures, $"cmp-{segmentId}-{question.Id}")).Append('\n');
                if (figures.HiddenGroups.Count > 0)
                    html.Append("<p class=\"hidden-groups\">").Append(E(string.Join(", ", figures.HiddenGroups))).Append(": ").Append(E(Hidden)).Append("</p>\n");
                AppendComparisonTable(html, report, figures, question);
                html.Append("</figure>\n");
            }
            html.Append("</div>\n");
        }
        html.Append("</section>\n");
    }

    private static void AppendComparisonTable(StringBuilder html, Report report, ComparisonFigures figures, QuestionResult question)
    {
        // Tables cannot be narrower than their content, so the hiding box is a div around it.
        var text = report.Text;
        html.Append("<div class=\"sr-only\"><table class=\"benchmark\">\n<caption>")
            .Append(E(text.Format("report.tableCaption", ("question", QuestionText(report, question.Id)), ("segment", QuestionText(report, figures.SegmentId)))))
            .Append("</caption>\n<thead><tr><th scope=\"col\">").Append(E(text["report.answer"])).Append("</th><th scope=\"col\">")
            .Append(E(ReportCharts.Everyone(report))).Append(" (").Append(E(question.Answered is { } n && !question.Suppressed ? n.ToString("N0", Invariant) : Hidden)).Append(")</th>");
        foreach (var group in figures.Groups)
        {
            html.Append("<th scope=\"col\">").Append(E(OptionText(report, group.QuestionId, group.OptionId))).Append(" (")
                .Append(E(group.Suppressed || group.Respondents is null ? Hidden : group.Respondents.Value.ToString("N0", Invariant))).Append(")</th>");
        }
        html.Append("</tr></thead>\n<tbody>\n");
        foreach (var option in question.Options)
        {
            html.Append("<tr><th scope=\"row\">").Append(E(OptionText(report, question.Id, option.Id))).Append("</th><td>")
                .Append(E(Figure(option.Share, option.Count, option.Suppressed || question.Suppressed))).Append("</td>");
            foreach (var group in figures.Groups)
            {
                var inGroup = group.Suppressed ? null : group.Questions?.FirstOrDefault(q => q.Id == question.Id);
                var figure = inGroup?.Options.FirstOrDefault(o => o.Id == option.Id);
                var suppressed = inGroup is null || figure is null || figure.Suppressed || figure.Count is null || inGroup.Suppressed;
                html.Append(suppressed ? "<td class=\"suppressed\">" : "<td>")
                    .Append(E(suppressed ? Hidden : Figure(figure!.Share, figure.Count, false))).Append("</td>");
            }
            html.Append("</tr>\n");
        }
        html.Append("</tbody>\n</table></div>\n");
    }

    /// <summary>
    /// The link to the page as a button near the top of the email, where a reader sees it first (a table cell with the
    /// colour, so that clients which ignore padding on links still draw it; white on the bar colour is 8:1), then the PDF.
    /// </summary>
    private static void AppendEmailButton(StringBuilder html, Report report, string pageUrl)
    {
        var text = report.Text;
        html.Append("<table role=\"presentation\" cellpadding=\"0\" cellspacing=\"0\" style=\"border-collapse:collapse;margin:4px 0 16px\"><tr>")
            .Append("<td style=\"background:").Append(BarColour).Append(";border-radius:4px;padding:12px 20px\">")
            .Append("<a class=\"full-report\" href=\"").Append(E(pageUrl)).Append("\" style=\"color:#ffffff;font-weight:bold;font-size:16px;text-decoration:none\">")
            .Append(E(text["email.fullReport"])).Append("</a></td></tr></table>\n");
        if (report.ReportUrl is not null)
            html.Append("<p style=\"margin:0 0 12px\"><a href=\"").Append(E(report.ReportUrl)).Append("\" style=\"color:#0b4fa8\">").Append(E(text["report.pdf"])).Append("</a></p>\n");
    }

    /// <summary>
    /// Each question in one line: its most chosen answer with its figure. A hidden answer could be the most chosen, so
    /// where some are hidden the line says "of the answers shown", and where none is shown it reads "–", like any
    /// hidden figure: nothing in it is worked out from a hidden figure.
    /// </summary>
    private static void AppendKeyFigures(StringBuilder html, Report report)
    {
        var results = report.Snapshot.Results;
        var text = report.Text;
        html.Append("<h2 style=\"font-size:19px;margin:24px 0 8px\">").Append(E(text["email.keyFigures"])).Append("</h2>\n")
            .Append("<p style=\"margin:0 0 8px\">").Append(E(text.Format("report.basedOn", ("respondents", results.Respondents.ToString("N0", Invariant)), ("survey", report.Wording.Title))))
            .Append("</p>\n<ul class=\"key-figures\" style=\"margin:0 0 16px;padding-left:20px\">\n");
        foreach (var question in results.Questions)
        {
            var shown = question.Suppressed ? [] : question.Options.Where(o => !o.Suppressed && o.Count is not null && o.Share is not null).ToList();
            var top = shown.MaxBy(o => o.Count);
            var line = top is null
                ? text.Format("email.mostChosenHidden", ("hidden", Hidden))
                : text.Format(shown.Count == question.Options.Count ? "email.mostChosen" : "email.mostChosenShown",
                    ("answer", OptionText(report, question.Id, top.Id)), ("figure", Figure(top.Share, top.Count, false)));
            html.Append("<li style=\"margin:0 0 6px\"><strong>").Append(E(QuestionText(report, question.Id))).Append("</strong><br>").Append(E(line)).Append("</li>\n");
        }
        html.Append("</ul>\n");
    }

    /// <summary>
    /// The questions the email draws (at most <see cref="MaxEmailCharts"/>, in survey order): those with the largest
    /// changes first, then the first questions that are not segments (the page breaks the others down by those). A
    /// question whose figures are all hidden is not drawn.
    /// </summary>
    private static List<QuestionResult> EmailCharts(Report report, IReadOnlyList<QuestionTrend>? trends)
    {
        var questions = report.Snapshot.Results.Questions;
        var segments = report.Snapshot.Survey.Segments;
        var changed = trends is null ? [] : WaveChanges.Largest(trends, MaxRankedChanges).Select(c => c.Question.QuestionId);
        var chosen = changed.Concat(questions.Where(q => !segments.Contains(q.Id)).Select(q => q.Id))
            .Distinct(StringComparer.Ordinal)
            .Select(id => questions.FirstOrDefault(q => q.Id == id))
            .Where(q => q is not null && !q.Suppressed && q.Options.Any(o => !o.Suppressed && o.Count is not null))
            .Take(MaxEmailCharts)
            .ToHashSet();
        return [.. questions.Where(chosen.Contains)];
    }

    /// <summary>
    /// What the email leaves to the page, said with a link each: every question's chart, and the comparisons by group
    /// (SVG charts, which Gmail and Outlook do not draw, and too large for an email that Gmail shows whole).
    /// </summary>
    private static void AppendEmailRest(StringBuilder html, Report report, string pageUrl)
    {
        var text = report.Text;
        AppendSentenceWithLink(html, text["email.moreCharts"], text["email.compareLink"], pageUrl);
        var results = report.Snapshot.Results;
        var segments = report.Snapshot.Survey.Segments.Where(s => results.Segments.Any(g => g.QuestionId == s)).ToList();
        if (segments.Count == 0) return;
        AppendSentenceWithLink(html, text.Format("email.compare", ("segments", string.Join(text["email.and"], segments.Select(s => QuestionText(report, s))))),
            text["email.compareLink"], pageUrl);
    }

    /// <summary>The link sits where the language puts it: the sentence is split at {link}, each side encoded.</summary>
    private static void AppendSentenceWithLink(StringBuilder html, string sentence, string linkText, string url)
    {
        var parts = sentence.Split("{link}", 2);
        html.Append("<p style=\"margin:16px 0\">").Append(E(parts[0])).Append("<a href=\"").Append(E(url)).Append("\" style=\"color:#0b4fa8\">")
            .Append(E(linkText)).Append("</a>").Append(E(parts.Length > 1 ? parts[1] : "")).Append("</p>\n");
    }

    /// <summary>
    /// How every hidden figure reads, on the page, in the email and (as an empty cell) in the CSV: the same whether
    /// it was small or hidden to protect another, so that nothing tells which.
    /// </summary>
    public const string Hidden = "–";

    /// <summary>Said once per page or email, never per figure ("– Not shown, …", the same words as "how you compare").</summary>
    public static string Footnote(UiText text) => text["compare.footnote"];

    internal static string Figure(double? share, int? count, bool suppressed) =>
        suppressed || count is null || share is null
            ? Hidden
            : $"{Percent(share.Value)} ({count.Value.ToString("N0", Invariant)})";

    /// <summary>"Release 3, made 1 December 2026." Every public view names the release it shows.</summary>
    public static string ReleaseLine(Report report) =>
        report.Text.Format("report.release", ("release", report.Snapshot.Release), ("date", CompareText.Date(report.Snapshot.ReleasedAt, report.Text)));

    internal static string Percent(double share) => WaveChanges.ShownPercent(share).ToString("0.#", Invariant) + "%";

    internal static string QuestionText(Report report, string questionId) => ResultsCsv.QuestionText(report.Wording, questionId);

    internal static string OptionText(Report report, string questionId, string optionId) =>
        ResultsCsv.OptionText(report.Wording, questionId, optionId, report.Text);

    private static bool IsMultiple(Report report, string questionId) =>
        report.Snapshot.Survey.FindQuestion(questionId)?.Type == QuestionType.Multiple;

    private static string E(string value) => Html.Encode(value);
}
