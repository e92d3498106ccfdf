using System.Globalization;
using System.Text;
using SurveyBackend.Aggregation;
using static SurveyBackend.Display.DisplayText;
using static SurveyBackend.Reports.ReportSections;

namespace SurveyBackend.Reports;

/// <summary>An email's content; <see cref="ReportEmailRenderer.UnsubscribePlaceholder"/> stands for each recipient's own link.</summary>
public sealed record EmailContent(string Subject, string Html, string Text);

/// <summary>
/// The report as email: a short read that Gmail shows whole, linking the page, which has everything
/// (docs/reports-and-mailing.md says what it holds and why). HTML and plain text, in one language or both.
/// </summary>
public sealed class ReportEmailRenderer
{
    /// <summary>Replaced per recipient (SendGrid substitution, or by the outbox) with their unsubscribe URL.</summary>
    public const string UnsubscribePlaceholder = "%unsubscribe_url%";

    /// <summary>
    /// The most HTML an email may carry, in bytes: Gmail hides what follows about the first 102 KB behind "[Message
    /// clipped]", and this leaves room for what SendGrid and the unsubscribe link add.
    /// </summary>
    public const int EmailHtmlBudget = 90_000;

    /// <summary>How many questions the email draws as bars; every other question is one line of key figures, and the page draws them all.</summary>
    public const int MaxEmailCharts = 3;

    private static readonly CultureInfo Invariant = CultureInfo.InvariantCulture;

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
    /// Both languages, Welsh first, for a recipient who gave none: each half whole (its own links and unsubscribe
    /// line) and marked with its <c>lang</c>, so a screen reader speaks each in its language.
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

    /// <summary>The plain-text part: every question with every figure (and its change), a few KB.</summary>
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
            text.Append(report.Words.Question(question.Id)).Append('\n');
            var trend = trends?.FirstOrDefault(t => t.QuestionId == question.Id);
            if (trend is not null && words.Note(trend.Comparison) is { } note) text.Append("  (").Append(note).Append(")\n");
            foreach (var option in question.Options)
            {
                text.Append("  ").Append(report.Words.Option(question.Id, option.Id)).Append(": ")
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

    /// <summary>
    /// The link to the page as a button near the top, where a reader sees it first (a coloured table cell, which
    /// clients that ignore padding on links still draw; white on the bar colour is 8:1), then the PDF.
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
    /// Each question's most chosen answer. A hidden answer could be the most chosen, so with some hidden the line says
    /// "of the answers shown", and with none shown it reads "–": nothing in it is worked out from a hidden figure.
    /// </summary>
    private static void AppendKeyFigures(StringBuilder html, Report report)
    {
        var results = report.Snapshot.Results;
        var text = report.Text;
        html.Append("<h2 style=\"font-size:19px;margin:24px 0 8px\">").Append(E(text["email.keyFigures"])).Append("</h2>\n")
            .Append("<p style=\"margin:0 0 8px\">").Append(E(text.Format("report.basedOn", ("respondents", results.Respondents.ToString("N0", Invariant)), ("survey", report.Wording.Title))))
            .Append("</p>\n<ul class=\"key-figures\" style=\"margin:0 0 16px;padding-left:20px\">\n");
        AppendMostCommonStage(html, report);
        foreach (var question in results.Asked)
        {
            var shown = question.Suppressed ? [] : question.Options.Where(o => !o.Suppressed && o.Count is not null && o.Share is not null).ToList();
            var top = shown.MaxBy(o => o.Count);
            var line = top is null
                ? text.Format("email.mostChosenHidden", ("hidden", Hidden))
                : text.Format(shown.Count == question.Options.Count ? "email.mostChosen" : "email.mostChosenShown",
                    ("answer", report.Words.Option(question.Id, top.Id)), ("figure", Figure(top.Share, top.Count, false)));
            html.Append("<li style=\"margin:0 0 6px\"><strong>").Append(E(report.Words.Question(question.Id))).Append("</strong><br>").Append(E(line)).Append("</li>\n");
        }
        html.Append("</ul>\n");
    }

    /// <summary>
    /// The most common stage of the journey (the stages tied for it, if several), named only when no stage figure is
    /// hidden: a hidden stage could be the most common, and saying which is not would tell something of it. Else "–".
    /// </summary>
    private static void AppendMostCommonStage(StringBuilder html, Report report)
    {
        if (report.Snapshot.Results.Stages is not { } stages) return;
        var text = report.Text;
        var allShown = !stages.Suppressed && stages.Options.All(o => !o.Suppressed && o.Count is not null && o.Share is not null);
        var most = allShown ? stages.Options.Max(o => o.Count) : null;
        var top = stages.Options.Where(o => most is not null && o.Count == most).ToList();
        var line = top.Count == 0
            ? text.Format("email.mostChosenHidden", ("hidden", Hidden))
            : text.Format("email.mostCommonStage", ("stage", string.Join(text["email.and"], top.Select(o => report.Words.Option(stages.Id, o.Id)))),
                ("figure", Figure(top[0].Share, top[0].Count, false)));
        html.Append("<li style=\"margin:0 0 6px\"><strong>").Append(E(text["report.journey.heading"])).Append("</strong><br>").Append(E(line)).Append("</li>\n");
    }

    /// <summary>
    /// At most <see cref="MaxEmailCharts"/> questions, in survey order: the largest changes first, then the first that
    /// are not segments (the page breaks the others down by those); never one whose figures are all hidden.
    /// </summary>
    private static List<QuestionResult> EmailCharts(Report report, IReadOnlyList<QuestionTrend>? trends)
    {
        var questions = report.Snapshot.Results.Asked;
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

    /// <summary>What the email leaves to the page, a sentence and a link each: every question's chart, and the comparisons by group.</summary>
    private static void AppendEmailRest(StringBuilder html, Report report, string pageUrl)
    {
        var text = report.Text;
        AppendSentenceWithLink(html, text["email.moreCharts"], text["email.compareLink"], pageUrl);
        var results = report.Snapshot.Results;
        var segments = report.Snapshot.Survey.Segments.Where(s => results.Segments.Any(g => g.QuestionId == s)).ToList();
        if (segments.Count == 0) return;
        AppendSentenceWithLink(html, text.Format("email.compare", ("segments", string.Join(text["email.and"], segments.Select(s => report.Words.Question(s))))),
            text["email.compareLink"], pageUrl);
    }

    /// <summary>The link sits where the language puts it: the sentence is split at {link}, each side encoded.</summary>
    private static void AppendSentenceWithLink(StringBuilder html, string sentence, string linkText, string url)
    {
        var parts = sentence.Split("{link}", 2);
        html.Append("<p style=\"margin:16px 0\">").Append(E(parts[0])).Append("<a href=\"").Append(E(url)).Append("\" style=\"color:#0b4fa8\">")
            .Append(E(linkText)).Append("</a>").Append(E(parts.Length > 1 ? parts[1] : "")).Append("</p>\n");
    }
}
