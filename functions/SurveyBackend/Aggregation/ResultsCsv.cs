using System.Globalization;
using CsvHelper;

namespace SurveyBackend.Aggregation;

/// <summary>
/// Results as CSV, one row per figure: everyone's rows first (segment columns empty), then each segment's. A
/// suppressed figure is an empty cell with <c>suppressed</c> true; a suppressed segment is one row.
/// </summary>
public static class ResultsCsv
{
    private sealed record Row(
        string? SegmentQuestion, string? SegmentOption, int? SegmentRespondents,
        string? Question, int? Answered, string? Option, int? Count, double? Share, bool Suppressed);

    public static readonly string[] Header =
        ["segmentQuestion", "segmentOption", "segmentRespondents", "question", "answered", "option", "count", "share", "suppressed"];

    public static string Write(SurveyResults results)
    {
        using var writer = new StringWriter(CultureInfo.InvariantCulture);
        using (var csv = CsvWriter.Create(writer, CsvWriterOptions.Default, leaveOpen: true))
        {
            csv.WriteRecord(Header);
            foreach (var row in Rows(results))
            {
                csv.WriteRecord(
                [
                    row.SegmentQuestion ?? "", row.SegmentOption ?? "", Format(row.SegmentRespondents),
                    row.Question ?? "", Format(row.Answered), row.Option ?? "", Format(row.Count),
                    row.Share?.ToString("0.###", CultureInfo.InvariantCulture) ?? "", row.Suppressed ? "true" : "false",
                ]);
            }
        }
        return writer.ToString();
    }

    private static string Format(int? value) => value?.ToString(CultureInfo.InvariantCulture) ?? "";

    private static IEnumerable<Row> Rows(SurveyResults results)
    {
        foreach (var row in QuestionRows(null, null, results.Respondents, results.Questions)) yield return row;
        foreach (var segment in results.Segments)
        {
            if (segment.Suppressed || segment.Questions is null)
            {
                yield return new Row(segment.QuestionId, segment.OptionId, null, null, null, null, null, null, true);
                continue;
            }
            foreach (var row in QuestionRows(segment.QuestionId, segment.OptionId, segment.Respondents, segment.Questions)) yield return row;
        }
    }

    private static IEnumerable<Row> QuestionRows(string? segmentQuestion, string? segmentOption, int? respondents, IReadOnlyList<QuestionResult> questions) =>
        from question in questions
        from option in question.Options
        select new Row(segmentQuestion, segmentOption, segmentQuestion is null ? null : respondents,
            question.Id, question.Answered, option.Id, option.Count, option.Share, option.Suppressed || question.Suppressed);
}
