using SurveyBackend.Reports;

namespace SurveyBackend.Mailing;

/// <summary>One recipient of a batch, with their own unsubscribe link (which stands in for <see cref="ReportEmailRenderer.UnsubscribePlaceholder"/>).</summary>
public sealed record EmailRecipient(string Email, string RecipientKey, string UnsubscribeUrl);

/// <summary>One content to many recipients: one API call for SendGrid.</summary>
public sealed record EmailBatch(string ReportId, EmailContent Content, IReadOnlyList<EmailRecipient> Recipients);

public enum SendStatus
{
    /// <summary>The provider took the batch.</summary>
    Accepted,
    /// <summary>429: wait <see cref="SendResult.RetryAfter"/> and try again, or leave it to the next run.</summary>
    RateLimited,
    /// <summary>5xx, a timeout or a network fault: the batch may be tried again.</summary>
    Transient,
    /// <summary>A 4xx for the batch: trying again would fail the same way.</summary>
    Rejected,
}

/// <summary>What became of one batch. <see cref="Reason"/> never holds an address.</summary>
public sealed record SendResult(SendStatus Status, string? Reason = null, TimeSpan? RetryAfter = null)
{
    public static readonly SendResult Accepted = new(SendStatus.Accepted);

    /// <summary>For <see cref="SendStatus.Rejected"/>: the recipients (indexes into the batch) the provider named as the ones it would not take.</summary>
    public IReadOnlyList<int> Refused { get; init; } = [];

    /// <summary>
    /// For <see cref="SendStatus.Rejected"/>: the provider named nothing at fault (no field), so one recipient it did not
    /// name may be the cause; a refusal that names a field of the message itself is not this.
    /// </summary>
    public bool NothingNamed { get; init; }
}

/// <summary>Sends a batch (SendGrid, or the local outbox). Implementations answer; they do not throw for provider faults.</summary>
public interface IEmailSender
{
    Task<SendResult> SendAsync(EmailBatch batch, CancellationToken cancellationToken);
}
