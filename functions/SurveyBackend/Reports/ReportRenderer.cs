using SurveyBackend.Display;

namespace SurveyBackend.Reports;

/// <summary>
/// Forwards for Form/Comparison.cs only, which another branch is rewriting: #29 point 1 moves it onto
/// <see cref="DisplayText"/> and deletes this class.
/// </summary>
public static class ReportRenderer
{
    public const string Hidden = DisplayText.Hidden;

    internal static string Percent(double share) => DisplayText.Percent(share);
}
