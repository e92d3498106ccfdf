using System.Globalization;
using System.Text;
using SurveyBackend.Aggregation;
using static SurveyBackend.Display.DisplayText;
using static SurveyBackend.Reports.ReportSections;

namespace SurveyBackend.Reports;

/// <summary>
/// The public page: the summary, what changed, a chart per question and, per segment, a chart by group per question
/// with its figures as a table. No scripts; the summary goes through <see cref="MarkdownSummary"/>.
/// </summary>
public sealed class ReportPageRenderer
{
    private static readonly CultureInfo Invariant = CultureInfo.InvariantCulture;

    private const string Css =
        "body{font-family:system-ui,-apple-system,Segoe UI,Roboto,Arial,sans-serif;line-height:1.5;color:#1a1a1a;background:#fff;margin:0}\n"
        + "main{max-width:56rem;margin:0 auto;padding:1.5rem}\n"
        + "h1{font-size:1.8rem;line-height:1.25}h2{font-size:1.3rem;margin-top:2rem}h3{font-size:1.1rem}\n"
        + "a{color:#0b4fa8}a:focus{outline:3px solid #ffbf47;outline-offset:2px}\n"
        + ".meta{color:#4a4a4a}.figures{font-variant-numeric:tabular-nums}\n"
        + "table.benchmark{border-collapse:collapse;width:100%;margin:0.5rem 0 1.5rem;font-size:0.95rem}\n"
        + "table.benchmark caption{text-align:left;font-weight:600;padding:0.25rem 0}\n"
        + "table.benchmark th,table.benchmark td{border:1px solid #c8ccd2;padding:0.3rem 0.5rem;text-align:left;vertical-align:top}\n"
        + "table.benchmark thead th{background:#f1f3f6}.suppressed{color:#4a4a4a;font-style:italic}\n"
        + "main,figure,td,th{overflow-wrap:anywhere}\n"
        + ".compare-grid{display:grid;grid-template-columns:repeat(auto-fill,minmax(min(100%,22rem),1fr));gap:1.5rem 2rem;margin:0 0 1.5rem}\n"
        + "figure.compare{margin:0;min-width:0;position:relative}figure.compare figcaption{font-weight:600;margin:0 0 0.4rem}\n"
        + "svg.chart-svg{display:block;width:100%;height:auto;max-width:36rem}.hidden-groups{color:#4a4a4a;font-size:0.9rem;margin:0.25rem 0 0}\n"
        + ".was{position:absolute;top:-4px;bottom:-4px;width:3px;margin-left:-1.5px;background:#1a1a1a;box-shadow:0 0 0 1.5px #fff}\n"
        + ".sr-only{position:absolute!important;width:1px!important;height:1px;padding:0;margin:-1px;overflow:hidden;clip:rect(0,0,0,0);white-space:nowrap;border:0}\n"
        + ".language{margin:0;text-align:right}\n"
        + "@media (max-width:30rem){main{padding:1rem}h1{font-size:1.5rem}}\n"
        + "@media print{main{max-width:none;padding:0}a{color:#1a1a1a}.compare-grid{grid-template-columns:1fr 1fr}figure.compare,table.chart tr{break-inside:avoid}h2,h3{break-after:avoid}}\n";

    /// <summary>The page in the language <paramref name="report"/> reads in (<see cref="Report.In"/>).</summary>
    public string RenderPage(Report report)
    {
        var text = report.Text;
        var words = TrendWords.For(report);
        var html = new StringBuilder(64 * 1024);
        html.Append("<!DOCTYPE html>\n<html lang=\"").Append(report.Language).Append("\">\n<head>\n<meta charset=\"utf-8\">\n")
            .Append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n")
            .Append("<title>").Append(E(report.Title)).Append("</title>\n");
        AppendAlternates(html, report, E(report.Id));
        html.Append("<style>\n").Append(Css).Append("</style>\n</head>\n<body>\n<main>\n");

        AppendLanguageSwitch(html, report, E(report.Id));
        html.Append("<h1>").Append(E(report.Title)).Append("</h1>\n");
        html.Append("<p class=\"meta\">").Append(E(text.Format("report.published", ("date", Date(report.PublishAt, text)))))
            .Append(' ').Append(E(ReleaseLine(report))).Append(' ')
            .Append(E(text.Format("report.basedOn", ("respondents", report.Snapshot.Results.Respondents.ToString("N0", Invariant)), ("survey", report.Wording.Title))))
            .Append("</p>\n");
        AppendLinks(html, report);
        html.Append("<section aria-labelledby=\"summary\">\n<h2 id=\"summary\">").Append(E(text["report.summary"])).Append("</h2>\n")
            .Append(MarkdownSummary.ToHtml(report.Summary)).Append("</section>\n");
        var trends = report.Snapshot.Trends();
        AppendWhatChanged(html, report, trends, headingLevel: 2, sectionId: "changes");

        JourneySection.Append(html, report, trends);
        html.Append("<section aria-labelledby=\"results\">\n<h2 id=\"results\">").Append(E(text["report.results"])).Append("</h2>\n");
        if (trends is not null) html.Append("<p class=\"meta\">").Append(E(words.MarkerLegend)).Append("</p>\n");
        AppendCharts(html, report, report.Snapshot.Results.Asked, headingLevel: 3, trends, markers: true);
        html.Append("</section>\n");

        AppendByGroup(html, report);
        html.Append("<p class=\"meta\">").Append(E(Footnote(text))).Append("</p>\n");
        html.Append("</main>\n</body>\n</html>\n");
        return html.ToString();
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
    /// Per segment question, a chart per other question (<see cref="SvgCharts.GroupedBars"/>) with its figures as a table
    /// for screen readers. The charts sit in a grid that becomes one column on a phone, so nothing scrolls sideways.
    /// </summary>
    private static void AppendByGroup(StringBuilder html, Report report)
    {
        var results = report.Snapshot.Results;
        var segments = report.Snapshot.Survey.Segments.Where(s => results.Segments.Any(g => g.QuestionId == s)).ToList();
        if (segments.Count == 0) return;

        var text = report.Text;
        html.Append("<section aria-labelledby=\"benchmarks\">\n<h2 id=\"benchmarks\">").Append(E(text["report.benchmarks"])).Append("</h2>\n")
            .Append("<p>").Append(E(text["report.benchmarksIntro"])).Append("</p>\n");
        foreach (var segmentId in segments)
        {
            var segmentTitle = report.Words.Question(segmentId);
            html.Append("<h3>").Append(E(text.Format("report.by", ("segment", segmentTitle)))).Append("</h3>\n<div class=\"compare-grid\">\n");
            foreach (var question in results.Asked.Where(q => q.Id != segmentId))
            {
                var figures = ReportCharts.ByGroup(report, segmentId, question);
                html.Append("<figure class=\"compare\">\n<figcaption>").Append(E(report.Words.Question(question.Id))).Append("</figcaption>\n")
                    .Append(ReportCharts.ByGroupSvg(report, figures, $"cmp-{segmentId}-{question.Id}")).Append('\n');
                if (figures.HiddenGroups.Count > 0)
                    html.Append("<p class=\"hidden-groups\">").Append(E(string.Join(", ", figures.HiddenGroups))).Append(": ").Append(E(Hidden)).Append("</p>\n");
                AppendByGroupTable(html, report, figures, question);
                html.Append("</figure>\n");
            }
            html.Append("</div>\n");
        }
        html.Append("</section>\n");
    }

    /// <summary>A row per answer and a column per group, hidden groups included as "–".</summary>
    internal static void AppendByGroupTable(StringBuilder html, Report report, GroupFigures figures, QuestionResult question)
    {
        // Tables cannot be narrower than their content, so the hiding box is a div around it.
        var text = report.Text;
        html.Append("<div class=\"sr-only\"><table class=\"benchmark\">\n<caption>")
            .Append(E(text.Format("report.tableCaption", ("question", report.Words.Question(question.Id)), ("segment", report.Words.Question(figures.SegmentId)))))
            .Append("</caption>\n<thead><tr><th scope=\"col\">").Append(E(text["report.answer"])).Append("</th><th scope=\"col\">")
            .Append(E(Everyone(text))).Append(" (").Append(E(question.Answered is { } n && !question.Suppressed ? n.ToString("N0", Invariant) : Hidden)).Append(")</th>");
        foreach (var group in figures.Groups)
        {
            html.Append("<th scope=\"col\">").Append(E(report.Words.Option(group.QuestionId, group.OptionId))).Append(" (")
                .Append(E(group.Suppressed || group.Respondents is null ? Hidden : group.Respondents.Value.ToString("N0", Invariant))).Append(")</th>");
        }
        html.Append("</tr></thead>\n<tbody>\n");
        foreach (var option in question.Options)
        {
            html.Append("<tr><th scope=\"row\">").Append(E(report.Words.Option(question.Id, option.Id))).Append("</th><td>")
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
}
