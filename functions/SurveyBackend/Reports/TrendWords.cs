using System.Globalization;
using SurveyBackend.Aggregation;
using SurveyBackend.Display;
using SurveyBackend.Languages;
using SurveyBackend.Releases;
using SurveyBackend.Surveys;

namespace SurveyBackend.Reports;

/// <summary>
/// Every word the page, the email and the slides say about the change since the previous wave, in one language, read
/// from the string resources (<c>trend.*</c>). None says anything of a hidden figure beyond "–".
/// </summary>
public sealed class TrendWords(UiText text)
{
    private static readonly CultureInfo Invariant = CultureInfo.InvariantCulture;

    public static TrendWords English { get; } = new(UiText.For(UiText.English));

    public static TrendWords For(Report report) => new(report.Text);

    public string SectionHeading => text["trend.heading"];
    public string NoPublicRelease => text["trend.noPublicRelease"];
    public string HowToRead => text["trend.howToRead"];
    public string ShortHowToRead => text["trend.shortHowToRead"];
    public string NoChanges => text["trend.noChanges"];
    public string NotComparedHeading => text["trend.notComparedHeading"];
    public string MarkerLegend => text["trend.markerLegend"];
    public string MarkedComparable => text["trend.markedComparable"];
    public string Answer => text["report.answer"];
    // Column headings are short so the table fits a phone; the caption says what they are.
    public string Then => text["trend.then"];
    public string Now => text["trend.now"];
    public string Change => text["trend.change"];
    public string LargestFirst => text["trend.largestFirst"];

    /// <summary>"Habits: the previous wave (then), this wave (now) and the change in percentage points".</summary>
    public string TableCaption(string question) => text.Format("trend.tableCaption", ("question", question));

    /// <summary>"Compared with “2016 survey” (release 2, made 3 March 2016)."</summary>
    public string ComparedWith(PreviousWave previous) =>
        // The previous wave's title in this language where that wave has it (its definition as frozen), else as it was.
        text.Format("trend.comparedWith", ("title", previous.Survey.Offers(text.Language) ? previous.Survey.In(text.Language).Title : previous.Title), ("release", previous.Release), ("date", DisplayText.Date(previous.ReleasedAt, text)));

    /// <summary>"+13.3", "−2.0", "0.0"; "–" when it cannot be shown (the same in every language).</summary>
    public static string Points(decimal? change) =>
        change is { } c ? c.ToString("+0.0;\u22120.0;0.0", Invariant) : DisplayText.Hidden;

    /// <summary>"Channels — Facebook: 41.2% then, 55.0% now (+13.8 points)."</summary>
    public string Ranked(Report report, RankedChange change) =>
        text.Format("trend.ranked",
            ("question", report.Words.Question(change.Question.QuestionId)),
            ("option", report.Words.Option(change.Question.QuestionId, change.Option.OptionId)),
            ("then", DisplayText.Share(change.Option.PreviousShare)), ("now", DisplayText.Share(change.Option.Share)), ("change", Points(change.Option.Change)));

    /// <summary>"previous wave 41.3%, change +13.7 points", for the plain-text email.</summary>
    public string TextLine(OptionChange change) =>
        text.Format(change.Change is null ? "trend.textLineHidden" : "trend.textLine", ("then", DisplayText.Share(change.PreviousShare)), ("change", Points(change.Change)));

    /// <summary>Why a question is not compared, in this language (the comparison names its reason in English).</summary>
    public string Reason(string? reason) => reason switch
    {
        WaveComparison.NotAskedBefore => text["trend.reason.notAskedBefore"],
        WaveComparison.DifferentType => text["trend.reason.differentType"],
        WaveComparison.DifferentOptions => text["trend.reason.differentOptions"],
        WaveComparison.Reworded => text["trend.reason.reworded"],
        WaveComparison.JourneyScoredDifferently => text["trend.reason.journeyScoredDifferently"],
        null => "",
        _ => throw new ArgumentException($"No words for the reason '{reason}'.", nameof(reason)),
    };

    /// <summary>"Not comparable with the previous wave: Not asked in the previous wave."</summary>
    public string NotComparable(string? reason) => text.Format("trend.notComparable", ("reason", Reason(reason)));

    /// <summary>The note under a question that compares on purpose, or does not compare; null for a plain comparable question.</summary>
    public string? Note(QuestionComparison comparison) => comparison.Comparability switch
    {
        Comparability.MarkedComparable => MarkedComparable,
        Comparability.NotComparable => NotComparable(comparison.Reason),
        _ => null,
    };
}
