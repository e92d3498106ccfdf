using Microsoft.Extensions.Options;
using SurveyBackend.Languages;
using SurveyBackend.Storage;
using SurveyBackend.Surveys;

namespace SurveyBackend.Mailing;

/// <summary>
/// The one place for when a survey's report addresses must be gone, so that the form's words and the deletion agree:
/// <see cref="MailingOptions.RetentionDays"/> after its final report is mailed, or <see cref="MailingOptions.MaxRetentionMonths"/>
/// after it closes (or opened, with no close date), whichever comes first (docs/reports-and-mailing.md, "Retention").
/// </summary>
public sealed class RetentionPolicy(SurveyCatalog catalog, ReportStore reports, IOptions<MailingOptions> options)
{
    /// <summary>The survey's deadline as known now (read from storage: its definition, its reports, its retention mark).</summary>
    public async Task<DateTimeOffset?> DeadlineAsync(string surveyId, CancellationToken cancellationToken)
    {
        if (await catalog.FindAsync(surveyId, cancellationToken) is not { } survey) return null;
        var mailings = (await reports.ListForSurveyAsync(surveyId, cancellationToken)).Select(r => r.Mailing);
        return DeadlineFor(survey.Definition, mailings, await reports.FindRetentionMarkAsync(surveyId, cancellationToken), survey.SavedAt);
    }

    /// <summary>When the survey's addresses must be gone; null while nothing yet sets a date (no close or open date seen, no final report mailed).</summary>
    /// <param name="savedAt">When the definition was last saved: a survey closed by hand before its close date closed then.</param>
    public DateTimeOffset? DeadlineFor(SurveyDefinition survey, IEnumerable<ReportMailing> reports, RetentionMark? mark, DateTimeOffset? savedAt = null)
    {
        var deadlines = new List<DateTimeOffset>();
        if (AnchorOf(survey, mark, savedAt) is { } anchor) deadlines.Add(anchor.AddMonths(options.Value.MaxRetentionMonths));
        var finals = reports.Where(r => r.Final).ToList();
        if (finals.Count > 0 && finals.All(r => r.CompletedAt is not null))
            deadlines.Add(finals.Max(r => r.CompletedAt!.Value).AddDays(options.Value.RetentionDays));
        if (mark?.PurgedAt is { } purged) deadlines.Add(purged);
        return deadlines.Count == 0 ? null : deadlines.Min();
    }

    /// <summary>The rule in words, for the form beside the email field: the survey's close date decides which period it names.</summary>
    public string Words(UiText text, SurveyDefinition survey) => Fill(text[survey.ClosesAt is null ? "retention.noClose" : "retention.closes"]);

    /// <summary>The text with the periods filled in (<c>{retentionDays}</c>, <c>{retentionMonths}</c>): the same numbers in every language.</summary>
    public string Fill(string text) => text
        .Replace("{retentionDays}", options.Value.RetentionDays.ToString(System.Globalization.CultureInfo.InvariantCulture), StringComparison.Ordinal)
        .Replace("{retentionMonths}", options.Value.MaxRetentionMonths.ToString(System.Globalization.CultureInfo.InvariantCulture), StringComparison.Ordinal);

    /// <summary>
    /// Where the longest period counts from: when it closed (its close date, or the save that closed it by hand before
    /// that date), else the open date, else when the survey was first seen open.
    /// </summary>
    public static DateTimeOffset? AnchorOf(SurveyDefinition survey, RetentionMark? mark, DateTimeOffset? savedAt = null) =>
        survey is { Status: SurveyStatus.Closed, ClosesAt: { } closes } && savedAt is { } saved && saved < closes
            ? saved
            : survey.ClosesAt ?? survey.OpensAt ?? mark?.OpenSeenAt;
}
