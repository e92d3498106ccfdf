using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;
using SurveyBackend.Aggregation;
using SurveyBackend.Languages;
using SurveyBackend.Surveys;
using static SurveyBackend.Display.DisplayText;

namespace SurveyBackend.Reports;

/// <summary>
/// The parts of a report that the page, the email and the slides draw alike. Bars are table cells with inline styles,
/// which every email client draws; every value that did not come from this code is HTML-encoded.
/// </summary>
internal static class ReportSections
{
    /// <summary>How many changes the summary ranks: enough to read at a glance; every change is in the tables below.</summary>
    public const int MaxRankedChanges = 5;

    public const string BarColour = "#1f4e99";
    private const string TrackColour = "#e3e7ee";
    private static readonly HtmlEncoder Html = HtmlEncoder.Default;
    private static readonly CultureInfo Invariant = CultureInfo.InvariantCulture;

    /// <summary>"Release 3, made 1 December 2026." Every public view names the release it shows.</summary>
    public static string ReleaseLine(Report report) =>
        report.Text.Format("report.release", ("release", report.Snapshot.Release), ("date", Date(report.Snapshot.ReleasedAt, report.Text)));

    /// <summary>The other languages of a page (<c>hreflang</c>), each with its own <c>?lang=</c> so that Accept-Language cannot send a reader back.</summary>
    public static void AppendAlternates(StringBuilder html, Report report, string encodedPath)
    {
        if (report.Languages.Count < 2) return;
        foreach (var language in report.Languages)
            html.Append("<link rel=\"alternate\" hreflang=\"").Append(language).Append("\" href=\"").Append(encodedPath).Append("?lang=").Append(language).Append("\">\n");
    }

    /// <summary>"Cymraeg" on the English page, "English" on the Welsh one: the other language named in itself (GOV.UK pattern).</summary>
    public static void AppendLanguageSwitch(StringBuilder html, Report report, string encodedPath)
    {
        if (report.Languages.Count < 2) return;
        var other = report.Languages.First(l => l != report.Language);
        html.Append("<p class=\"language\"><a href=\"").Append(encodedPath).Append("?lang=").Append(other).Append("\" hreflang=\"").Append(other)
            .Append("\" lang=\"").Append(other).Append("\">").Append(E(UiText.For(other)["language.name"])).Append("</a></p>\n");
    }

    /// <summary>"What changed": the previous wave named, the largest changes among shown figures, the questions not compared.</summary>
    public static void AppendWhatChanged(StringBuilder html, Report report, IReadOnlyList<QuestionTrend>? trends, int headingLevel, string sectionId)
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
                html.Append("<li>").Append(E(report.Words.Question(trend.QuestionId))).Append(" (").Append(E(words.Reason(trend.Comparison.Reason))).Append(")</li>\n");
            html.Append("</ul>\n");
        }
        html.Append("</section>\n");
    }

    /// <summary>Per question: its heading, how many answered, its bars and, with a previous wave, its change table.</summary>
    public static void AppendCharts(StringBuilder html, Report report, IEnumerable<QuestionResult> questions, int headingLevel, IReadOnlyList<QuestionTrend>? trends, bool markers)
    {
        var text = report.Text;
        foreach (var question in questions)
        {
            html.Append("<h").Append(headingLevel).Append(" style=\"font-size:17px;margin:20px 0 4px\">")
                .Append(E(report.Words.Question(question.Id))).Append("</h").Append(headingLevel).Append(">\n");
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

    /// <summary>Then, now and the change per answer as a table, so a screen reader has every figure; or why the question is not compared.</summary>
    private static void AppendTrend(StringBuilder html, Report report, QuestionTrend trend)
    {
        var words = TrendWords.For(report);
        if (words.Note(trend.Comparison) is { } note)
            html.Append("<p class=\"trend-note\" style=\"margin:0 0 8px;color:#4a4a4a;font-size:14px\">").Append(E(note)).Append("</p>\n");
        if (!trend.Comparison.IsComparable) return;
        const string cell = "border:1px solid #c8ccd2;padding:3px 6px;text-align:left";
        html.Append("<table class=\"trend\" style=\"border-collapse:collapse;width:100%;margin:0 0 16px;font-size:14px\">\n<caption style=\"text-align:left;font-weight:600;padding:2px 0\">")
            .Append(E(words.TableCaption(report.Words.Question(trend.QuestionId)))).Append("</caption>\n<thead><tr>");
        // Figures never break inside ("33.|2%"); the answer column takes what is left and wraps.
        const string figure = cell + ";white-space:nowrap;overflow-wrap:normal";
        html.Append("<th scope=\"col\" style=\"").Append(cell).Append(";background:#f1f3f6\">").Append(E(words.Answer)).Append("</th>");
        foreach (var header in new[] { words.Then, words.Now, words.Change })
            html.Append("<th scope=\"col\" style=\"").Append(figure).Append(";background:#f1f3f6\">").Append(E(header)).Append("</th>");
        html.Append("</tr></thead>\n<tbody>\n");
        foreach (var option in trend.Options)
        {
            html.Append("<tr><th scope=\"row\" style=\"").Append(cell).Append(";font-weight:normal\">").Append(E(report.Words.Option(trend.QuestionId, option.OptionId))).Append("</th>")
                .Append("<td class=\"figures\" style=\"").Append(figure).Append("\">").Append(E(Share(option.PreviousShare))).Append("</td>")
                .Append("<td class=\"figures\" style=\"").Append(figure).Append("\">").Append(E(Share(option.Share))).Append("</td>")
                .Append("<td class=\"figures change\" style=\"").Append(figure).Append("\">").Append(E(TrendWords.Points(option.Change))).Append("</td></tr>\n");
        }
        html.Append("</tbody>\n</table>\n");
    }

    /// <summary>
    /// Label, bar, figure. The bar is two cells whose widths are the share and the rest, which every email client
    /// draws; screen readers skip it and read the figure.
    /// </summary>
    private static void AppendBars(StringBuilder html, Report report, QuestionResult question, QuestionTrend? trend)
    {
        html.Append("<table role=\"presentation\" width=\"100%\" cellpadding=\"0\" cellspacing=\"0\" class=\"chart\" style=\"border-collapse:collapse;width:100%;margin:0 0 12px\">\n");
        foreach (var option in question.Options)
        {
            var percent = option.Share is { } share && !option.Suppressed ? Math.Clamp(share * 100, 0, 100) : 0;
            var width = Math.Round(percent, 1).ToString("0.#", Invariant);
            html.Append("<tr><td width=\"38%\" style=\"width:38%;padding:3px 8px 3px 0;vertical-align:middle\">")
                .Append(E(report.Words.Option(question.Id, option.Id))).Append("</td>")
                .Append("<td width=\"42%\" aria-hidden=\"true\" style=\"width:42%;padding:3px 0;vertical-align:middle\">");
            // The previous wave's share as a line across the bar (the page only: mail clients drop positioning).
            var then = trend?.Options.FirstOrDefault(o => o.OptionId == option.Id)?.PreviousShare;
            if (then is { } was)
                html.Append("<div style=\"position:relative\"><span class=\"was\" data-share=\"").Append(E(Percent(was))).Append("\" style=\"left:")
                    .Append(Math.Clamp(ShownPercent(was), 0, 100).ToString("0.#", Invariant)).Append("%\"></span>");
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

    private static bool IsMultiple(Report report, string questionId) =>
        report.Snapshot.Survey.FindQuestion(questionId)?.Type == QuestionType.Multiple;

    public static string E(string value) => Html.Encode(value);
}
