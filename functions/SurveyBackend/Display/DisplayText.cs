using System.Globalization;
using SurveyBackend.Aggregation;
using SurveyBackend.Languages;

namespace SurveyBackend.Display;

/// <summary>
/// How a figure reads wherever people see one: the report page, its email, slides and charts, and the form's "how
/// you compare". Here rather than in Reports/ so that the form can use it without depending on the reports.
/// </summary>
public static class DisplayText
{
    private static readonly CultureInfo Invariant = CultureInfo.InvariantCulture;

    /// <summary>Every hidden figure (an empty cell in the CSV): the same whether small or hidden to protect another, so nothing tells which.</summary>
    public const string Hidden = "–";

    /// <summary>Said once per page or email, never per figure ("– Not shown, …", the same words as "how you compare").</summary>
    public static string Footnote(UiText text) => text["compare.footnote"];

    /// <summary>"41.3%": the share as shown, rounded as every change in points is worked out from it.</summary>
    public static string Percent(double share) => WaveChanges.ShownPercent(share).ToString("0.#", Invariant) + "%";

    /// <summary>"41.3% (103)", or <see cref="Hidden"/>.</summary>
    public static string Figure(double? share, int? count, bool suppressed) =>
        suppressed || count is null || share is null
            ? Hidden
            : $"{Percent(share.Value)} ({count.Value.ToString("N0", Invariant)})";
}
