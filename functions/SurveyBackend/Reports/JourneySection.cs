using System.Text;
using SurveyBackend.Aggregation;
using static SurveyBackend.Display.DisplayText;
using static SurveyBackend.Reports.ReportSections;

namespace SurveyBackend.Reports;

/// <summary>
/// "Where councils are on the journey" (<c>id="journey"</c>): the share at each stage, overall and by segment, as SVG
/// with a table, and the change since a previous wave that scored alike. Never an average: a mean differenced between
/// releases would give away the scores of those in between. A hidden figure reads "–" and nothing more.
/// </summary>
public static class JourneySection
{
    public static void Append(StringBuilder html, Report report, IReadOnlyList<QuestionTrend>? trends)
    {
        if (report.Snapshot.Results.Stages is not { } stages || report.Wording.Journey is not { } journey) return;
        var text = report.Text;
        var title = journey.Title;
        html.Append("<section id=\"journey\" aria-labelledby=\"journey-heading\">\n<h2 id=\"journey-heading\">").Append(E(text["report.journey.heading"])).Append("</h2>\n")
            .Append("<p>").Append(E(text.Format("report.journey.intro", ("title", title)))).Append("</p>\n");

        var trend = trends?.FirstOrDefault(t => t.QuestionId == stages.Id);
        var words = TrendWords.For(report);
        html.Append("<div class=\"compare-grid\">\n<figure class=\"compare journey-overall\">\n<figcaption>").Append(E(text["report.journey.overall"])).Append("</figcaption>\n")
            .Append(SvgCharts.GroupedBars("journey-all", text.Format("chart.bars", ("question", title), ("answered", ReportCharts.AnsweredLine(report, stages))),
                [Everyone(text)], [.. ReportCharts.Bars(report, stages).Select(b => new ChartCluster(b.Label, [b.Share]))]))
            .Append('\n');
        if (trend is not null && words.Note(trend.Comparison) is { } note) html.Append("<p class=\"hidden-groups\">").Append(E(note)).Append("</p>\n");
        else if (trend is not null && report.Snapshot.Previous is { } previous)
            html.Append("<p class=\"hidden-groups\">").Append(E(words.ComparedWith(previous))).Append("</p>\n");
        AppendOverallTable(html, report, stages, trend is { Comparison.IsComparable: true } ? trend : null, title);
        html.Append("</figure>\n");

        var results = report.Snapshot.Results;
        foreach (var segmentId in report.Snapshot.Survey.Segments.Where(s => results.Segments.Any(g => g.QuestionId == s)))
        {
            var figures = ReportCharts.ByGroup(report, segmentId, stages);
            html.Append("<figure class=\"compare\">\n<figcaption>").Append(E(text.Format("report.by", ("segment", report.Words.Question(segmentId))))).Append("</figcaption>\n")
                .Append(ReportCharts.ByGroupSvg(report, figures, $"journey-{segmentId}")).Append('\n');
            if (figures.HiddenGroups.Count > 0)
                html.Append("<p class=\"hidden-groups\">").Append(E(string.Join(", ", figures.HiddenGroups))).Append(": ").Append(E(Hidden)).Append("</p>\n");
            ReportPageRenderer.AppendByGroupTable(html, report, figures, stages);
            html.Append("</figure>\n");
        }
        html.Append("</div>\n");
        html.Append("</section>\n");
    }

    /// <summary>Stage, share (count) and, where the previous wave scored alike, its share and the change in points.</summary>
    private static void AppendOverallTable(StringBuilder html, Report report, QuestionResult stages, QuestionTrend? trend, string title)
    {
        var text = report.Text;
        var words = TrendWords.For(report);
        html.Append("<table class=\"benchmark journey-table\">\n<caption>").Append(E(text.Format("report.journey.tableCaption", ("title", title))))
            .Append(" (").Append(E(ReportCharts.AnsweredLine(report, stages))).Append(")</caption>\n<thead><tr><th scope=\"col\">").Append(E(text["report.journey.stage"]))
            .Append("</th><th scope=\"col\">").Append(E(text["report.journey.share"])).Append("</th>");
        if (trend is not null) html.Append("<th scope=\"col\">").Append(E(words.Then)).Append("</th><th scope=\"col\">").Append(E(words.Change)).Append("</th>");
        html.Append("</tr></thead>\n<tbody>\n");
        foreach (var option in stages.Options)
        {
            var hidden = option.Suppressed || stages.Suppressed || option.Count is null;
            html.Append("<tr><th scope=\"row\">").Append(E(report.Words.Option(stages.Id, option.Id))).Append("</th>")
                .Append(hidden ? "<td class=\"suppressed\">" : "<td class=\"figures\">").Append(E(Figure(option.Share, option.Count, hidden))).Append("</td>");
            if (trend?.Options.FirstOrDefault(o => o.OptionId == option.Id) is { } change)
                html.Append("<td class=\"figures\">").Append(E(Share(change.PreviousShare))).Append("</td><td class=\"figures change\">")
                    .Append(E(TrendWords.Points(change.Change))).Append("</td>");
            else if (trend is not null) html.Append("<td>").Append(E(Hidden)).Append("</td><td>").Append(E(Hidden)).Append("</td>");
            html.Append("</tr>\n");
        }
        html.Append("</tbody>\n</table>\n");
    }
}
