using System.Globalization;
using CsvHelper;
using SurveyBackend.Display;
using SurveyBackend.Languages;
using SurveyBackend.Surveys;

namespace SurveyBackend.Aggregation;

/// <summary>
/// The one CSV writer, for live results and reports alike, so both have one header, one precision and one escaping
/// of formula cells; a hidden figure is an empty cell whatever hid it (docs/releases.md, "One CSV writer").
/// </summary>
public static class ResultsCsv
{
    private static readonly CsvWriterOptions Options = new() { Injection = CsvInjection.Escape };

    public static readonly string[] Header =
        ["release", "segmentQuestionId", "segmentOptionId", "respondents", "questionId", "question", "optionId", "option", "answered", "count", "share", "hidden"];

    /// <summary>The two columns a report with a previous wave adds, after the others: filled on the everyone rows of comparable questions.</summary>
    public static readonly string[] TrendHeader = ["previousShare", "change"];

    /// <summary>
    /// <paramref name="release"/> is null for live results; <paramref name="trends"/> adds the previous wave's columns,
    /// the same figures as the page and slides (docs/trends.md).
    /// </summary>
    public static string Write(SurveyResults results, SurveyDefinition wording, int? release, IReadOnlyList<QuestionTrend>? trends = null)
    {
        using var text = new StringWriter(CultureInfo.InvariantCulture);
        using (var csv = CsvWriter.Create(text, Options, true))
        {
            csv.WriteHeader(trends is null ? Header : [.. Header, .. TrendHeader]);
            var words = new SurveyWords(wording, UiText.For(UiText.English)); // the CSV's own words are English, like its header
            foreach (var row in Rows(results, wording))
            {
                csv.WriteField(release, "");
                csv.WriteField(row.SegmentQuestionId);
                csv.WriteField(row.SegmentOptionId);
                csv.WriteField(row.Respondents, "");
                csv.WriteField(row.QuestionId);
                csv.WriteField(words.Question(row.QuestionId));
                csv.WriteField(row.OptionId);
                csv.WriteField(words.Option(row.QuestionId, row.OptionId));
                csv.WriteField(row.Answered, "");
                csv.WriteField(row.Count, "");
                csv.WriteField(row.Share, "0.###");
                csv.WriteField(row.Hidden ? "true" : "false");
                if (trends is not null)
                {
                    var change = row.SegmentQuestionId.Length == 0
                        ? trends.FirstOrDefault(t => t.QuestionId == row.QuestionId)?.Options.FirstOrDefault(o => o.OptionId == row.OptionId)
                        : null;
                    csv.WriteField(change?.PreviousShare, "0.###");
                    csv.WriteField(change?.Change, "0.0");
                }
                csv.EndRecord();
            }
        }
        return text.ToString();
    }

    private sealed record Row(string SegmentQuestionId, string SegmentOptionId, int? Respondents, string QuestionId, int? Answered,
        string OptionId, int? Count, double? Share, bool Hidden);

    private static IEnumerable<Row> Rows(SurveyResults results, SurveyDefinition wording)
    {
        foreach (var row in QuestionRows("", "", results.Respondents, results.Questions)) yield return row;
        foreach (var segment in results.Segments)
        {
            if (segment.Suppressed || segment.Respondents is null || segment.Questions is null)
            {
                // A hidden group: every figure of it is a hidden row, like any other hidden figure.
                foreach (var question in results.Questions.Where(q => q.Id != segment.QuestionId))
                {
                    foreach (var option in question.Options)
                        yield return new Row(segment.QuestionId, segment.OptionId, null, question.Id, null, option.Id, null, null, true);
                }
                continue;
            }
            foreach (var row in QuestionRows(segment.QuestionId, segment.OptionId, segment.Respondents, segment.Questions)) yield return row;
        }
    }

    private static IEnumerable<Row> QuestionRows(string segmentQuestionId, string segmentOptionId, int? respondents, IReadOnlyList<QuestionResult> questions) =>
        from question in questions
        from option in question.Options
        let hidden = question.Suppressed || question.Answered is null || option.Suppressed || option.Count is null
        select new Row(segmentQuestionId, segmentOptionId, respondents, question.Id,
            question.Suppressed ? null : question.Answered, option.Id,
            hidden ? null : option.Count, hidden ? null : option.Share, hidden);
}
