using Microsoft.Extensions.Options;
using SurveyBackend.Languages;
using SurveyBackend.Storage;
using SurveyBackend.Surveys;

namespace SurveyBackend.Mailing;

/// <summary>
/// When a survey's report addresses must be gone (the one place for the rule; the form's words say the same):
/// <list type="bullet">
/// <item><see cref="MailingOptions.RetentionDays"/> after the mailing of its final report completes (the owner marks a
/// report final; with several, the last of them to complete, once all have);</item>
/// <item>in any case <see cref="MailingOptions.MaxRetentionMonths"/> after it closes (<c>closesAt</c>), or, with no close
/// date, after it opened (<c>opensAt</c>, else when retention first saw it taking submissions).</item>
/// </list>
/// Whichever comes first. Once a survey's addresses have been deleted, any that arrive later are past it too.
/// </summary>
public sealed class RetentionPolicy(SurveyCatalog catalog, ReportStore reports, IOptions<MailingOptions> options)
{
    /// <summary>The survey's deadline as known now (read from storage: its definition, its reports, its retention mark).</summary>
    public async Task<DateTimeOffset?> DeadlineAsync(string surveyId, CancellationToken cancellationToken)
    {
        if (await catalog.FindAsync(surveyId, cancellationToken) is not { } survey) return null;
        var mailings = (await reports.ListForSurveyAsync(surveyId, cancellationToken)).Select(r => r.Mailing);
        return DeadlineFor(survey.Definition, mailings, await reports.FindRetentionMarkAsync(surveyId, cancellationToken));
    }

    /// <summary>When the survey's addresses must be gone; null while nothing yet sets a date (no close or open date seen, no final report mailed).</summary>
    public DateTimeOffset? DeadlineFor(SurveyDefinition survey, IEnumerable<ReportMailing> reports, RetentionMark? mark)
    {
        var deadlines = new List<DateTimeOffset>();
        if (AnchorOf(survey, mark) is { } anchor) deadlines.Add(anchor.AddMonths(options.Value.MaxRetentionMonths));
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

    /// <summary>Where the longest period counts from: the close date, else the open date, else when the survey was first seen open.</summary>
    public static DateTimeOffset? AnchorOf(SurveyDefinition survey, RetentionMark? mark) => survey.ClosesAt ?? survey.OpensAt ?? mark?.OpenSeenAt;
}
