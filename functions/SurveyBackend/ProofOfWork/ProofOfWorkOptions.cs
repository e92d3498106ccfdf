using System.ComponentModel.DataAnnotations;

namespace SurveyBackend.ProofOfWork;

/// <summary>The proof-of-work settings, in the <c>Intake</c> section beside the flood guard's (<c>Intake__ProofOfWork</c>, …).</summary>
public sealed class ProofOfWorkOptions
{
    public const string SectionName = "Intake";

    /// <summary>
    /// <c>on</c> (the default, and what the Bicep sets): a JSON submission needs a solved challenge in <c>proof</c>.
    /// <c>off</c>: for tests that post as scripts, and load tests. The no-JavaScript form never needs one.
    /// </summary>
    [Required, RegularExpression("^(on|off)$", ErrorMessage = "Intake:ProofOfWork must be on or off.")]
    public string ProofOfWork { get; set; } = "on";

    public bool IsOn => ProofOfWork == "on";

    /// <summary>PBKDF2-SHA-256 iterations per key the solver tries (altcha-lib's default for PBKDF2: 5,000).</summary>
    [Range(1, 1_000_000)]
    public int ProofOfWorkCost { get; set; } = 5_000;

    /// <summary>
    /// The largest counter a challenge hides (altcha's "maximum number"); each challenge hides one drawn uniformly from
    /// half of this to all of it, so a solver tries at least half this many keys. Tuned in docs/benchmarks.md.
    /// </summary>
    [Range(2, 100_000_000)]
    public int ProofOfWorkMaxNumber { get; set; } = 1_600;
}
