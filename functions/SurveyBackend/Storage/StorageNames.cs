namespace SurveyBackend.Storage;

/// <summary>Every table and queue the app uses, in one place (infra/ creates the same list in Azure).</summary>
public static class TableNames
{
    public const string Surveys = "surveys";
    /// <summary>
    /// Raw submissions: a pending row holds answers and contact details until anonymisation; a key row (the tombstone,
    /// no data) keeps intake idempotent until the survey has been closed for a while; and the sealed report addresses
    /// waiting to be written, shuffled, to <see cref="Recipients"/> (PendingRecipientStore). PartitionKey = survey id.
    /// </summary>
    public const string Submissions = "submissions";
    /// <summary>
    /// Sharded counters and, beside them in each shard's partition, the anonymous responses (answers only), each its
    /// own counting marker. PartitionKey = <c>{surveyId}|shard-NNN</c>.
    /// </summary>
    public const string Aggregates = "aggregates";
    /// <summary>Report recipients: a normalised email per survey, nothing else.</summary>
    public const string Recipients = "recipients";
    public const string Reports = "reports";
    /// <summary>Frozen, numbered snapshots of a survey's counts and their published results. PartitionKey = survey id.</summary>
    public const string Releases = "releases";
    public const string Deliveries = "deliveries";
    /// <summary>Addresses that left every mailing, as keyed hashes only (never the address).</summary>
    public const string Unsubscribes = "unsubscribes";

    /// <summary>Proof-of-work challenges already used, until they expire (UsedChallengeStore). PartitionKey = the hour they expire.</summary>
    public const string Challenges = "challenges";

    /// <summary>Posts accepted and refused, by reason, per hour and per instance: counts only (IntakeCountStore).</summary>
    public const string IntakeCounts = "intakecounts";

    public static readonly IReadOnlyList<string> All =
        [Surveys, Submissions, Aggregates, Recipients, Reports, Releases, Deliveries, Unsubscribes, Challenges, IntakeCounts];
}

public static class QueueNames
{
    /// <summary>References to accepted submissions: survey id and submission id, never answers or contacts.</summary>
    public const string Submissions = "submissions";

    public const string PoisonSuffix = "-poison";

    public static readonly IReadOnlyList<string> All =
        [Submissions, Submissions + PoisonSuffix];
}
