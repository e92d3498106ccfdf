using System.Globalization;
using SurveyBackend.Aggregation;
using SurveyBackend.Display;
using SurveyBackend.Languages;
using SurveyBackend.Surveys;

namespace SurveyBackend.Form;

/// <summary>
/// The words of "How you compare", in one place: the server's thank-you page uses them, and form.js is served with
/// them baked in (<see cref="FormAssets"/>), so the page with and without JavaScript reads the same.
/// </summary>
public static class HowYouCompareText
{
    public static string Get(string key, UiText? text = null) => (text ?? UiText.For(UiText.English))["compare." + key];

    public static string Intro(int release, DateTimeOffset createdAt, int respondents, UiText? text = null) =>
        Get("intro", text).Replace("{release}", release.ToString(CultureInfo.InvariantCulture), StringComparison.Ordinal)
            .Replace("{date}", DisplayText.Date(createdAt, text ?? UiText.For(UiText.English)), StringComparison.Ordinal)
            .Replace("{respondents}", respondents.ToString("N0", CultureInfo.InvariantCulture), StringComparison.Ordinal);

    /// <summary>The words compare.js needs, by its short names (<c>heading</c>, <c>months</c>).</summary>
    public static IReadOnlyDictionary<string, string> ForScript(UiText text) =>
        text.WithPrefix("compare.").ToDictionary(p => p.Key["compare.".Length..], p => p.Value, StringComparer.Ordinal)
            .Append(new KeyValuePair<string, string>("months", text["date.months"]))
            .Append(new KeyValuePair<string, string>("other", text["form.other"]))
            .ToDictionary(StringComparer.Ordinal);
}

/// <summary>One column of "how you compare": everyone, or the respondent's own group of a segment question.</summary>
public sealed record HowYouCompareColumn(string Label, string? SegmentId);

/// <summary>One row: a label and a figure per column ("45%", "–" when hidden, empty where the column does not apply).</summary>
public sealed record HowYouCompareRow(string Label, IReadOnlyList<string> Cells, bool IsStage = false);

public sealed record HowYouCompareQuestion(string QuestionId, string Text, IReadOnlyList<HowYouCompareRow> Rows);

public sealed record HowYouCompareFigures(
    int Release, DateTimeOffset CreatedAt, int Respondents, IReadOnlyList<HowYouCompareColumn> Columns, IReadOnlyList<HowYouCompareQuestion> Questions)
{
    public bool HasHidden => Questions.Any(q => q.Rows.Any(r => r.Cells.Contains(DisplayText.Hidden)));
}

/// <summary>
/// A respondent's own answers beside a public release (docs/form.md, "How you compare"), for the page without
/// JavaScript; compare.js computes the same in the browser. A hidden figure is never worked out from the others. Not
/// the report's "How groups compare" (Reports/ReportCharts.cs) nor a wave comparison (Surveys/WaveComparison.cs).
/// </summary>
public static class HowYouCompare
{
    /// <param name="survey">The definition in the respondent's language (<see cref="SurveyDefinition.In"/>).</param>
    public static HowYouCompareFigures Build(
        SurveyDefinition survey, int release, DateTimeOffset createdAt, SurveyResults results, IReadOnlyDictionary<string, IReadOnlyList<string>> answers, UiText? text = null)
    {
        text ??= UiText.For(UiText.English);
        var words = new SurveyWords(ReportingView.Of(survey).Definition, text);
        var columns = new List<HowYouCompareColumn> { new(DisplayText.Everyone(text), null) };
        var scopes = new List<(QuestionResult? Question, bool Hidden, string? SegmentId)>();
        foreach (var segmentId in results.Segments.Select(s => s.QuestionId).Distinct(StringComparer.Ordinal))
        {
            if (!answers.TryGetValue(segmentId, out var own) || own.Count == 0) continue;
            var groupId = Reported(survey, segmentId, own[0]);
            var segment = results.Segments.FirstOrDefault(s => s.QuestionId == segmentId && s.OptionId == groupId);
            columns.Add(new HowYouCompareColumn(words.Option(segmentId, groupId), segmentId));
            scopes.Add((null, segment is null || segment.Suppressed || segment.Questions is null, segmentId));
        }

        var questions = new List<HowYouCompareQuestion>();
        foreach (var question in survey.Questions)
        {
            if (!answers.TryGetValue(question.Id, out var chosen) || chosen.Count == 0) continue;
            var everyone = results.Questions.FirstOrDefault(q => q.Id == question.Id);
            if (everyone is null) continue;
            var inScopes = scopes.Select(s =>
            {
                if (s.SegmentId == question.Id) return (Applies: false, Question: (QuestionResult?)null);
                var groupId = Reported(survey, s.SegmentId!, answers[s.SegmentId!][0]);
                var segment = results.Segments.FirstOrDefault(g => g.QuestionId == s.SegmentId && g.OptionId == groupId);
                return (Applies: true, Question: s.Hidden ? null : segment?.Questions?.FirstOrDefault(q => q.Id == question.Id));
            }).ToList();

            var rows = new List<HowYouCompareRow>();
            foreach (var optionId in chosen.Select(o => Reported(survey, question.Id, o)).Distinct(StringComparer.Ordinal))
            {
                var cells = new List<string> { Share(everyone, optionId) };
                cells.AddRange(inScopes.Select(s => !s.Applies ? "" : s.Question is null ? DisplayText.Hidden : Share(s.Question, optionId)));
                rows.Add(new HowYouCompareRow(words.Option(question.Id, optionId), cells));
            }
            if (question is { Ordered: true, Type: QuestionType.Single })
            {
                var optionId = Reported(survey, question.Id, chosen[0]);
                var cells = new List<string> { AtOrBefore(everyone, optionId) };
                cells.AddRange(inScopes.Select(s => !s.Applies ? "" : s.Question is null ? DisplayText.Hidden : AtOrBefore(s.Question, optionId)));
                rows.Add(new HowYouCompareRow(HowYouCompareText.Get("stage", text), cells, IsStage: true));
            }
            questions.Add(new HowYouCompareQuestion(question.Id, question.Text, rows));
        }
        return new HowYouCompareFigures(release, createdAt, results.Respondents, columns, questions);
    }

    /// <summary>The share who chose this option, or "–" if the release hides it or the question's answered count.</summary>
    private static string Share(QuestionResult question, string optionId)
    {
        var option = question.Options.FirstOrDefault(o => o.Id == optionId);
        return DisplayText.Share(option is null ? null : WaveChanges.ShownShare(question, option));
    }

    /// <summary>Counts of this option and those before it over those who answered; "–" if any of them is hidden.</summary>
    private static string AtOrBefore(QuestionResult question, string optionId)
    {
        var index = question.Options.ToList().FindIndex(o => o.Id == optionId);
        if (index < 0 || question.Suppressed || question.Answered is not { } answered || answered == 0) return DisplayText.Hidden;
        var upTo = question.Options.Take(index + 1).ToList();
        if (upTo.Any(o => o.Suppressed || o.Count is null)) return DisplayText.Hidden;
        return DisplayText.Percent(Math.Round((double)upTo.Sum(o => o.Count!.Value) / answered, 3, MidpointRounding.AwayFromZero));
    }

    /// <summary>The option as results report it: its reporting group where it has one.</summary>
    public static string Reported(SurveyDefinition survey, string questionId, string optionId) =>
        survey.ReportingGroups is { } groups && groups.TryGetValue(questionId, out var ofQuestion)
            && ofQuestion.FirstOrDefault(g => g.Options.Contains(optionId, StringComparer.Ordinal)) is { } group
            ? group.Id
            : optionId;
}
