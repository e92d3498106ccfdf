using Microsoft.Extensions.Logging;
using SurveyBackend.Anonymity;
using SurveyBackend.Privacy;
using SurveyBackend.Storage;
using SurveyBackend.Surveys;

namespace SurveyBackend.Mailing;

/// <summary>
/// Erases an unsubscribed address (known only by its suppression key, of any secret and either normal form) at once,
/// leaving only that key. It reads the addresses kept now, never history: on a person's request, never on a timer
/// (docs/reports-and-mailing.md).
/// </summary>
public sealed class AddressErasure(
    SurveyCatalog catalog,
    ReportStore reports,
    RecipientStore recipients,
    DeliveryStore deliveries,
    PendingRecipientStore pool,
    RecipientSeal seal,
    UnsubscribeTokens tokens,
    ILogger<AddressErasure> logger)
{
    /// <summary>How many copies of the address were erased (recipient rows and waiting ones).</summary>
    public async Task<int> EraseAsync(string addressKey, CancellationToken cancellationToken)
    {
        var reportsBySurvey = (await reports.ListMailingsAsync(cancellationToken)).ToLookup(m => m.SurveyId, m => m.ReportId, StringComparer.Ordinal);
        var erased = 0;
        foreach (var surveyId in await catalog.ListIdsAsync(cancellationToken))
        {
            var theirs = await recipients.ListAsync(surveyId, cancellationToken).Where(r => tokens.IsAddressKeyOf(r.Email, addressKey)).ToListAsync(cancellationToken);
            foreach (var recipient in theirs) await EraseRecipientAsync(recipient, reportsBySurvey[surveyId], cancellationToken);
            erased += theirs.Count + await pool.EraseAsync(surveyId, sealedText => IsTheirs(surveyId, sealedText, addressKey), cancellationToken);
        }
        if (erased > 0) logger.LogInformation("An address that unsubscribed was erased ({Count} copies)", erased);
        return erased;
    }

    /// <summary>One recipient of one survey erased: its delivery rows in the survey's reports first, then the address.</summary>
    public async Task EraseRecipientAsync(Recipient recipient, IEnumerable<string>? reportIds, CancellationToken cancellationToken)
    {
        reportIds ??= (await reports.ListForSurveyAsync(recipient.SurveyId, cancellationToken)).Select(r => r.Mailing.ReportId);
        await deliveries.AnonymiseAsync(reportIds, recipient.RecipientKey, cancellationToken);
        await recipients.DeleteAsync(recipient.SurveyId, recipient.RecipientKey, cancellationToken);
    }

    private bool IsTheirs(string surveyId, string sealedText, string addressKey) =>
        seal.Open(surveyId, sealedText) is { } opened && tokens.IsAddressKeyOf(SealedRecipient.Split(opened).Email, addressKey);
}
