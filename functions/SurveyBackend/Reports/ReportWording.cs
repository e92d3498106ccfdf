using SurveyBackend.Aggregation;
using SurveyBackend.Form;

namespace SurveyBackend.Reports;

/// <summary>The words a report uses for its questions, answers and release, in the language it reads in.</summary>
public static class ReportWording
{
    /// <summary>A question as worded when the report was published.</summary>
    public static string QuestionText(Report report, string questionId) => ResultsCsv.QuestionText(report.Wording, questionId);

    public static string OptionText(Report report, string questionId, string optionId) =>
        ResultsCsv.OptionText(report.Wording, questionId, optionId, report.Text);

    /// <summary>"Release 3, made 1 December 2026." Every public view names the release it shows.</summary>
    public static string ReleaseLine(Report report) =>
        report.Text.Format("report.release", ("release", report.Snapshot.Release), ("date", CompareText.Date(report.Snapshot.ReleasedAt, report.Text)));
}
