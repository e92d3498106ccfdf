using System.ComponentModel.DataAnnotations;

namespace SurveyBackend.Intake;

public sealed class IntakeOptions
{
    public const string SectionName = "Intake";
    /// <summary>The submission body limit (docs/openapi.json, SubmitResponse).</summary>
    public const int MaxBodyBytes = 32 * 1024;

    /// <summary>
    /// Submissions one client may post per minute, per instance (a token bucket refilled at this rate).
    /// Generous, because a council's staff may all sit behind one address. 0 turns the limit off
    /// (benchmarks, browser tests that post many submissions from 127.0.0.1).
    /// </summary>
    [Range(0, 1_000_000)]
    public int RequestsPerMinute { get; set; } = 60;

    /// <summary>How many a client may post at once before the rate applies.</summary>
    [Range(1, 1_000_000)]
    public int Burst { get; set; } = 20;

    /// <summary>
    /// When set, the client's address is the last entry of this header, written by the proxy in front (a port is
    /// stripped; see <see cref="ClientAddresses"/>), rather than the connection's. Azure: <c>Client-IP</c>, or
    /// <c>X-Azure-SocketIP</c> behind Front Door (docs/deploy.md). Empty: the connection's.
    /// </summary>
    public string? ClientAddressHeader { get; set; }

    /// <summary>
    /// How long a row may stay Pending (not yet processed, its message perhaps never sent) before the sweeper
    /// re-sends its message. Longer than processing normally takes, so duplicates stay rare.
    /// </summary>
    public TimeSpan SweepAge { get; set; } = TimeSpan.FromMinutes(2);

    /// <summary>
    /// How long a survey's tombstones (the idempotency keys of processed submissions) are kept after it closes.
    /// Past this, a retry would be refused with 410 anyway; see TombstonePurger.
    /// </summary>
    public TimeSpan TombstoneRetention { get; set; } = TimeSpan.FromDays(30);

    /// <summary>
    /// How long a pending row that is never processed (its message in poison) keeps its sealed address; then the sweeper
    /// removes it and keeps the answers, so a replay still counts them exactly once.
    /// </summary>
    public TimeSpan PendingRetention { get; set; } = TimeSpan.FromDays(7);

    /// <summary>What a 503 asks the client to wait before retrying with the same submissionId.</summary>
    public TimeSpan RetryAfter { get; set; } = TimeSpan.FromSeconds(5);
}
