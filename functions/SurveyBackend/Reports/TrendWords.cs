using System.Globalization;
using SurveyBackend.Aggregation;
using SurveyBackend.Releases;
using SurveyBackend.Surveys;

namespace SurveyBackend.Reports;

/// <summary>
/// Every word the page, the email and the slides say about the change since the previous wave, in one place so they
/// can move to the string resources with the rest of the text. None says anything of a hidden figure beyond "–".
/// </summary>
public static class TrendWords
{
    private static readonly CultureInfo Invariant = CultureInfo.InvariantCulture;

    public const string SectionHeading = "What changed since the previous wave";
    public const string NoPublicRelease =
        "This survey repeats an earlier wave, but that wave has no public release, so no change since it can be shown.";
    public const string HowToRead =
        "A change is the share now minus the share then, in percentage points, each share as its own release shows it (to one decimal place). A change is shown only where both shares are shown.";
    public const string ShortHowToRead = "Changes are in percentage points, shown only where both shares are shown.";
    public const string NoChanges = "No shown figure changed.";
    public const string NotComparedHeading = "Not compared with the previous wave";
    public const string MarkerLegend = "The black line across each bar marks the share in the previous wave.";
    public const string MarkedComparable = "Worded slightly differently in the previous wave; compared because the survey marks the two as the same question.";
    public const string NotComparablePrefix = "Not comparable with the previous wave: ";
    public const string Answer = "Answer";
    // Column headings are short so the table fits a phone; the caption says what they are.
    public const string Then = "Then";
    public const string Now = "Now";
    public const string Change = "Change";
    public const string TableCaption = ": the previous wave (then), this wave (now) and the change in percentage points";
    public const string LargestFirst = "The largest changes first:";

    /// <summary>"Compared with “2016 survey” (release 2, made 3 March 2016)."</summary>
    public static string ComparedWith(PreviousWave previous) =>
        $"Compared with “{previous.Title}” (release {previous.Release.ToString(Invariant)}, made {previous.ReleasedAt.ToString("d MMMM yyyy", Invariant)}).";

    /// <summary>"+13.3", "−2.0", "0.0"; "–" when it cannot be shown.</summary>
    public static string Points(decimal? change) =>
        change is { } c ? c.ToString("+0.0;\u22120.0;0.0", Invariant) : ReportRenderer.Hidden;

    /// <summary>A share as shown, or "–".</summary>
    public static string Share(double? share) => share is { } s ? ReportRenderer.Percent(s) : ReportRenderer.Hidden;

    /// <summary>"Channels — Facebook: 41.2% then, 55.0% now (+13.8 points)."</summary>
    public static string Ranked(Report report, RankedChange change) =>
        $"{ReportRenderer.QuestionText(report, change.Question.QuestionId)} — {ReportRenderer.OptionText(report, change.Question.QuestionId, change.Option.OptionId)}: "
        + $"{Share(change.Option.PreviousShare)} then, {Share(change.Option.Share)} now ({Points(change.Option.Change)} points).";

    /// <summary>"previous wave 41.3%, change +13.7 points", for the plain-text email.</summary>
    public static string TextLine(OptionChange change) =>
        $"previous wave {Share(change.PreviousShare)}, change {Points(change.Change)}{(change.Change is null ? "" : " points")}";

    /// <summary>The note under a question that compares on purpose, or does not compare; null for a plain comparable question.</summary>
    public static string? Note(QuestionComparison comparison) => comparison.Comparability switch
    {
        Comparability.MarkedComparable => MarkedComparable,
        Comparability.NotComparable => NotComparablePrefix + comparison.Reason,
        _ => null,
    };
}
