using SurveyBackend.Aggregation;
using SurveyBackend.Auditing;
using SurveyBackend.Surveys;

namespace SurveyBackend.Tests.Audit;

/// <summary>
/// Pinned figures the auditor finds today that the production rule is to fix (reported to the lead), named so that
/// every other violation still fails the scenarios. <see cref="KnownGapTests"/> fails the day a gap is closed.
/// </summary>
internal static class KnownGaps
{
    /// <summary>
    /// A required question's answered count inside a shown segment, hidden as a complement: it equals the segment's
    /// shown respondents (everyone answers a required question), so the null hides nothing.
    /// </summary>
    public static bool IsRequiredAnsweredOfAShownScope(SurveyDefinition definition, Violation violation, IReadOnlyList<AuditedRelease> releases)
    {
        if (violation is not { Since: 0, Shown: false }) return false;
        var required = definition.Questions.Where(q => q.Required).Select(q => Tally.Answered(q.Id));
        if (!required.Contains(violation.Figure.Counter, StringComparer.Ordinal)) return false;
        var published = releases[violation.Release - 1].Published;
        var size = violation.Figure.Scope == Tally.All
            ? published.Respondents
            : published.Segments.SingleOrDefault(s => Tally.SegmentScope(s.QuestionId, s.OptionId) == violation.Figure.Scope)?.Respondents;
        return size == violation.TrueValue;
    }

    /// <summary>
    /// An exclusive option's hidden 0 (in a release, or as a change): when a non-exclusive option was chosen by everyone
    /// who answered (its count equals the shown answered count), nobody can have chosen the exclusive one.
    /// </summary>
    public static bool IsExclusiveZero(SurveyDefinition definition, Violation violation) =>
        violation is { Shown: false, TrueValue: 0 }
        && definition.Questions.Any(q => q.Options.Any(o => o.Exclusive && violation.Figure.Counter == Tally.Chose(q.Id, o.Id)));

    public static bool IsKnown(SurveyDefinition definition, Violation violation, IReadOnlyList<AuditedRelease> releases) =>
        IsRequiredAnsweredOfAShownScope(definition, violation, releases) || IsExclusiveZero(definition, violation);

    public static List<Violation> Unexplained(SurveyDefinition definition, AuditReport report, IReadOnlyList<AuditedRelease> releases) =>
        [.. report.Violations.Where(v => !IsKnown(definition, v, releases))];
}
