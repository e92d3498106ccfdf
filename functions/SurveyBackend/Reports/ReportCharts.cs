using System.Globalization;
using SurveyBackend.Aggregation;
using SurveyBackend.Display;

namespace SurveyBackend.Reports;

/// <summary>
/// One question by the groups of one segment question ("How groups compare"): the series (everyone, then each shown
/// group), the hidden groups, and per answer a share per series.
/// </summary>
public sealed record GroupFigures(
    string SegmentId, string QuestionId, IReadOnlyList<string> Series, IReadOnlyList<string> HiddenGroups,
    IReadOnlyList<ChartCluster> Clusters, IReadOnlyList<SegmentResult> Groups);

/// <summary>
/// A report's figures as charts, for the page, the email and the slides alike: the same release, the same hidden
/// figures. A figure is null (drawn "–") whenever the release hides it or the scope it belongs to.
/// </summary>
public static class ReportCharts
{
    private static readonly CultureInfo Invariant = CultureInfo.InvariantCulture;

    /// <summary>The bars of a question, with the previous wave's share and the change where the question compares.</summary>
    public static IReadOnlyList<ChartBar> Bars(Report report, QuestionResult question)
    {
        var trend = Trend(report, question.Id);
        return [.. question.Options.Select(o =>
        {
            var change = trend?.Options.FirstOrDefault(c => c.OptionId == o.Id);
            return new ChartBar(report.Words.Option(question.Id, o.Id), Shown(question, o), change?.PreviousShare, change?.Change);
        })];
    }

    /// <summary>The question against the previous wave, or null when there is none to compare with.</summary>
    public static QuestionTrend? Trend(Report report, string questionId) =>
        report.Snapshot.Trends()?.FirstOrDefault(t => t.QuestionId == questionId);

    /// <summary>"n = 409 answered" or "n = –".</summary>
    public static string AnsweredLine(Report report, QuestionResult question) =>
        question.Answered is { } answered && !question.Suppressed
            ? report.Text.Format("chart.answered", ("answered", answered.ToString("N0", Invariant)))
            : "n = " + DisplayText.Hidden;

    /// <summary>Whether any figure of this question is hidden (so a standalone chart carries the footnote).</summary>
    public static bool HasHidden(QuestionResult question) => question.Suppressed || question.Answered is null || question.Options.Any(o => Shown(question, o) is null);

    /// <summary>A question's chart as a file or a slide: title, bars, n, the release and the footnote where something is hidden.</summary>
    public static string QuestionSvg(Report report, QuestionResult question, string id, bool withCaption)
    {
        var text = report.Words.Question(question.Id);
        var words = TrendWords.For(report);
        var notes = new List<string> { AnsweredLine(report, question) + " · " + ReportSections.ReleaseLine(report) };
        var trend = Trend(report, question.Id);
        if (trend is not null && report.Snapshot.Previous is { } previous)
            notes.Add(trend.Comparison.IsComparable ? words.MarkerLegend + " " + words.ComparedWith(previous) : words.Note(trend.Comparison)!);
        if (HasHidden(question)) notes.Add(DisplayText.Footnote(report.Text));
        return SvgCharts.Bars(id, report.Text.Format("chart.bars", ("question", text), ("answered", AnsweredLine(report, question))), Bars(report, question),
            withCaption ? new SvgCharts.Caption(text, notes) : null);
    }

    public static GroupFigures ByGroup(Report report, string segmentId, QuestionResult question)
    {
        var groups = report.Snapshot.Results.Segments.Where(s => s.QuestionId == segmentId).ToList();
        var shown = groups.Where(g => !g.Suppressed && g.Respondents is not null && g.Questions is not null).ToList();
        var series = new List<string> { DisplayText.Everyone(report.Text) };
        series.AddRange(shown.Select(g => report.Words.Option(segmentId, g.OptionId)));
        var hidden = groups.Except(shown).Select(g => report.Words.Option(segmentId, g.OptionId)).ToList();

        var clusters = question.Options.Select(option =>
        {
            var shares = new List<double?> { Shown(question, option) };
            foreach (var group in shown)
            {
                var inGroup = group.Questions!.FirstOrDefault(q => q.Id == question.Id);
                var figure = inGroup?.Options.FirstOrDefault(o => o.Id == option.Id);
                shares.Add(inGroup is null || figure is null ? null : Shown(inGroup, figure));
            }
            return new ChartCluster(report.Words.Option(question.Id, option.Id), shares);
        }).ToList();
        return new GroupFigures(segmentId, question.Id, series, hidden, clusters, groups);
    }

    public static string ByGroupSvg(Report report, GroupFigures figures, string id) =>
        SvgCharts.GroupedBars(id,
            report.Text.Format("chart.comparison", ("question", report.Words.Question(figures.QuestionId)), ("segment", report.Words.Question(figures.SegmentId))),
            figures.Series, figures.Clusters);

    /// <summary>The share, or null when the figure or its question is hidden.</summary>
    private static double? Shown(QuestionResult question, OptionResult option) => WaveChanges.ShownShare(question, option);
}
