using System.ComponentModel.DataAnnotations;

namespace SurveyBackend.Mailing;

public enum EmailProvider { Outbox, SendGrid }

public sealed class EmailOptions
{
    public const string SectionName = "Email";

    /// <summary><c>Outbox</c> (local default: .eml files) or <c>SendGrid</c>.</summary>
    public EmailProvider Provider { get; set; } = EmailProvider.Outbox;

    [Required, EmailAddress]
    public string From { get; set; } = "";

    public string? FromName { get; set; }

    /// <summary>Where the outbox writes its .eml files (relative to the working folder).</summary>
    public string OutboxPath { get; set; } = ".outbox";
}

public sealed class SendGridOptions
{
    public const string SectionName = "SendGrid";

    /// <summary>Required when <see cref="EmailOptions.Provider"/> is SendGrid (a Key Vault reference in Azure).</summary>
    public string? ApiKey { get; set; }

    /// <summary>SendGrid's API by default; tests point it at a loopback server.</summary>
    public string? Host { get; set; }

    /// <summary>How long one API call may take before it counts as a timeout (retried later).</summary>
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(60);
}

public sealed class MailingOptions
{
    public const string SectionName = "Mailing";

    /// <summary>Days after the mailing of a survey's final report completes before its addresses are deleted.</summary>
    [Range(0, 3650)]
    public int RetentionDays { get; set; } = 30;

    /// <summary>
    /// In any case, a survey's addresses are deleted this many months after it closes (its <c>closesAt</c>), or, for a
    /// survey with no close date, after it opened: final report or not.
    /// </summary>
    [Range(1, 120)]
    public int MaxRetentionMonths { get; set; } = 12;

    /// <summary>Recipients per API call: SendGrid takes at most 1,000 personalizations per request.</summary>
    [Range(1, 1000)]
    public int BatchSize { get; set; } = 1000;

    /// <summary>How long one run may work; the next run continues. Under the five-minute schedule.</summary>
    public TimeSpan RunBudget { get; set; } = TimeSpan.FromMinutes(4);

    /// <summary>Tries of one batch within a run on 5xx or timeout, before it is left for the next run.</summary>
    [Range(1, 10)]
    public int MaxAttemptsPerRun { get; set; } = 3;

    /// <summary>Wait before retrying a batch after a 5xx or a timeout (doubles each try).</summary>
    public TimeSpan RetryDelay { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>The longest a run waits on a 429; a longer Retry-After stops the run and the next one resumes.</summary>
    public TimeSpan MaxRateLimitWait { get; set; } = TimeSpan.FromSeconds(60);
}
