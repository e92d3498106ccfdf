namespace SurveyBackend.Storage;

/// <summary>Every table and queue the app uses, in one place (infra/ creates the same list in Azure).</summary>
public static class TableNames
{
    public const string Surveys = "surveys";
    /// <summary>Raw submissions: short-lived, hold contact details until anonymisation. PartitionKey = survey id.</summary>
    public const string Submissions = "submissions";
    /// <summary>Anonymous responses: answers only. PartitionKey = survey id.</summary>
    public const string Responses = "responses";
    public const string Aggregates = "aggregates";
    /// <summary>Report recipients: a normalised email per survey, nothing else.</summary>
    public const string Recipients = "recipients";
    /// <summary>Sealed report addresses waiting to be written, shuffled, to <see cref="Recipients"/> (see PendingRecipientStore).</summary>
    public const string PendingRecipients = "pendingrecipients";
    public const string Reports = "reports";
    /// <summary>Frozen, numbered snapshots of a survey's counts and their published results. PartitionKey = survey id.</summary>
    public const string Releases = "releases";
    public const string Deliveries = "deliveries";
    /// <summary>PII-free idempotency markers (processed submissions, counted responses).</summary>
    public const string Markers = "markers";
    /// <summary>Addresses that left every mailing, as keyed hashes only (never the address).</summary>
    public const string Unsubscribes = "unsubscribes";

    public static readonly IReadOnlyList<string> All =
        [Surveys, Submissions, Responses, Aggregates, Recipients, PendingRecipients, Reports, Releases, Deliveries, Markers, Unsubscribes];
}

public static class QueueNames
{
    /// <summary>References to accepted submissions: survey id and submission id, never answers or contacts.</summary>
    public const string Submissions = "submissions";

    public const string PoisonSuffix = "-poison";

    public static readonly IReadOnlyList<string> All =
        [Submissions, Submissions + PoisonSuffix];
}
