using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using SurveyBackend.Reports;

namespace SurveyBackend.Mailing;

/// <summary>
/// The local provider: each message is written as an .eml file (<see cref="EmlMessage"/>) under <c>Email:OutboxPath</c>,
/// so the app runs with no email account and a person can open what would have been sent. One file per recipient and
/// report: a batch sent again after a crash overwrites its files rather than adding copies.
/// </summary>
public sealed class OutboxEmailSender(IOptions<EmailOptions> options, TimeProvider clock, ILogger<OutboxEmailSender> logger) : IEmailSender
{
    public string Folder { get; } = Path.GetFullPath(options.Value.OutboxPath);

    public async Task<SendResult> SendAsync(EmailBatch batch, CancellationToken cancellationToken)
    {
        Directory.CreateDirectory(Folder);
        var skipped = 0;
        foreach (var recipient in batch.Recipients)
        {
            if (EmlMessage.AddressSpec(recipient.Email) is null)
            {
                skipped++;
                continue;
            }
            var message = new EmlMessage(options.Value.From, options.Value.FromName, recipient.Email, batch.Content.Subject,
                TextBody: batch.Content.Text.Replace(ReportEmailRenderer.UnsubscribePlaceholder, recipient.UnsubscribeUrl, StringComparison.Ordinal),
                HtmlBody: batch.Content.Html.Replace(ReportEmailRenderer.UnsubscribePlaceholder, recipient.UnsubscribeUrl, StringComparison.Ordinal),
                recipient.UnsubscribeUrl);

            // Named by report and recipient key (a keyed hash), never by the address.
            var path = Path.Combine(Folder, $"{batch.ReportId}-{recipient.RecipientKey[..Math.Min(16, recipient.RecipientKey.Length)]}.eml");
            await File.WriteAllTextAsync(path, message.Write(clock.GetUtcNow(), Guid.NewGuid()), cancellationToken);
        }
        if (skipped > 0) logger.LogWarning("Outbox skipped {Count} recipients of report {ReportId} whose address could not be parsed", skipped, batch.ReportId);
        return SendResult.Accepted;
    }
}
