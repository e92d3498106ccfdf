using System.Globalization;
using CsvHelper;

namespace SurveyBackend.Reports;

/// <summary>One figure of a report: overall (no segment) or within one segment group.</summary>
public sealed record ReportCsvRow(
    string SegmentQuestionId,
    string SegmentOptionId,
    string QuestionId,
    string Question,
    string OptionId,
    string Option,
    int? Respondents,
    int? Answered,
    int? Count,
    double? Share,
    bool Suppressed);

/// <summary>
/// The report's figures as CSV (CsvHelper), the same numbers as the page: suppressed figures are empty
/// with <c>Suppressed</c> true. Cells that a spreadsheet would run as a formula are escaped.
/// </summary>
public static class ReportCsv
{
    private static readonly CsvWriterOptions Options = new() { Injection = CsvInjection.Escape };

    private static readonly string[] Header =
        ["segmentQuestionId", "segmentOptionId", "questionId", "question", "optionId", "option", "respondents", "answered", "count", "share", "suppressed"];

    public static string Write(Report report)
    {
        using var text = new StringWriter(CultureInfo.InvariantCulture);
        using (var csv = CsvWriter.Create(text, Options, true))
        {
            csv.WriteHeader(Header);
            foreach (var row in Rows(report))
            {
                csv.WriteField(row.SegmentQuestionId);
                csv.WriteField(row.SegmentOptionId);
                csv.WriteField(row.QuestionId);
                csv.WriteField(row.Question);
                csv.WriteField(row.OptionId);
                csv.WriteField(row.Option);
                csv.WriteField(row.Respondents, "");
                csv.WriteField(row.Answered, "");
                csv.WriteField(row.Count, "");
                csv.WriteField(row.Share, "0.####");
                csv.WriteField(row.Suppressed ? "true" : "false");
                csv.EndRecord();
            }
        }
        return text.ToString();
    }

    public static IEnumerable<ReportCsvRow> Rows(Report report)
    {
        var results = report.Snapshot.Results;
        foreach (var question in results.Questions)
        {
            foreach (var option in question.Options)
            {
                yield return Row(report, "", "", results.Respondents, question, option);
            }
        }
        foreach (var group in results.Segments)
        {
            foreach (var question in results.Questions.Where(q => q.Id != group.QuestionId))
            {
                var inGroup = group.Suppressed ? null : group.Questions?.FirstOrDefault(q => q.Id == question.Id);
                foreach (var option in question.Options)
                {
                    var figure = inGroup?.Options.FirstOrDefault(o => o.Id == option.Id);
                    yield return Row(report, group.QuestionId, group.OptionId, group.Suppressed ? null : group.Respondents,
                        inGroup ?? question with { Answered = null, Suppressed = true },
                        figure ?? new Aggregation.OptionResult(option.Id, null, null, true));
                }
            }
        }
    }

    private static ReportCsvRow Row(Report report, string segmentQuestionId, string segmentOptionId, int? respondents,
        Aggregation.QuestionResult question, Aggregation.OptionResult option)
    {
        var suppressed = option.Suppressed || question.Suppressed || option.Count is null;
        return new ReportCsvRow(
            segmentQuestionId,
            segmentOptionId.Length == 0 ? "" : segmentOptionId,
            question.Id,
            ReportRenderer.QuestionText(report, question.Id),
            option.Id,
            ReportRenderer.OptionText(report, question.Id, option.Id),
            respondents,
            question.Suppressed ? null : question.Answered,
            suppressed ? null : option.Count,
            suppressed ? null : option.Share is { } share ? Math.Round(share, 4) : null,
            suppressed);
    }
}
