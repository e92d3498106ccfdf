using System.Globalization;
using SurveyBackend.Languages;

namespace SurveyBackend.Display;

/// <summary>
/// How a figure and a date read wherever people see one: the report page, its email, slides and charts, and the form's
/// "how you compare". Below Form/, Reports/ and Aggregation/ (whose changes between waves are of shares as shown), so
/// each can use it without the others.
/// </summary>
public static class DisplayText
{
    private static readonly CultureInfo Invariant = CultureInfo.InvariantCulture;

    /// <summary>Every hidden figure (an empty cell in the CSV): the same whether small or hidden to protect another, so nothing tells which.</summary>
    public const string Hidden = "–";

    /// <summary>Said once per page or email, never per figure ("– Not shown, …", the same words as "how you compare").</summary>
    public static string Footnote(UiText text) => text["compare.footnote"];

    /// <summary>"Everyone": the first column of "how you compare" and the first series of the report's charts by group.</summary>
    public static string Everyone(UiText text) => text["compare.everyone"];

    /// <summary>
    /// A share as shown: a percentage to one decimal place. Releases keep shares to three places, so this is exact; a
    /// change between waves is worked out from these shown values, so page, slides, CSV and benchmark agree.
    /// </summary>
    public static decimal ShownPercent(double share) => Math.Round((decimal)share * 100m, 1, MidpointRounding.AwayFromZero);

    /// <summary>"41.3%": the share as shown, rounded as every change in points is worked out from it.</summary>
    public static string Percent(double share) => ShownPercent(share).ToString("0.#", Invariant) + "%";

    /// <summary>"41.3%", or <see cref="Hidden"/> when the share is not shown.</summary>
    public static string Share(double? share) => share is { } shown ? Percent(shown) : Hidden;

    /// <summary>"41.3% (103)", or <see cref="Hidden"/>.</summary>
    public static string Figure(double? share, int? count, bool suppressed) =>
        suppressed || count is null || share is null
            ? Hidden
            : $"{Percent(share.Value)} ({count.Value.ToString("N0", Invariant)})";

    /// <summary>"1 December 2026" ("1 Rhagfyr 2026"): every date a page, an email or the form shows, in UTC.</summary>
    public static string Date(DateTimeOffset at, UiText text)
    {
        var months = text["date.months"].Split(',');
        var day = at.ToUniversalTime();
        return day.Day.ToString(Invariant) + " " + months[day.Month - 1] + " " + day.Year.ToString(Invariant);
    }
}
