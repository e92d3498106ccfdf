namespace SurveyBackend.Intake;

/// <summary>
/// Where the intake gate stopped, and why: a plain value each route maps to its own answer (problem+json or a page).
/// The gate decides the order of the steps; a route decides only the words.
/// </summary>
public abstract record GateResult
{
    private GateResult() { }

    /// <summary>The flood guard: this client should wait (429), and nothing of the body was read.</summary>
    public sealed record Flooded(TimeSpan RetryAfter) : GateResult;

    /// <summary>A browser says the post came from another site (403, <see cref="SiteCheck"/>); nothing of the body was read.</summary>
    public sealed record CrossSite : GateResult;

    /// <summary>The no-JavaScript form's token is missing or forged (403), or genuine but expired (the form again, with a fresh one).</summary>
    public sealed record FormTokenRefused(bool Expired) : GateResult;

    /// <summary>The JSON body's proof of work is missing, forged, expired or already used (403, type named by the fault).</summary>
    public sealed record ProofRefused(ProofOfWork.ProofFault Fault) : GateResult;

    /// <summary>What <see cref="IntakeService"/> made of the submission.</summary>
    public sealed record Decided(IntakeOutcome Outcome) : GateResult;
}

/// <summary>What a post carries to show it came the way people send it: the form page's token, or (JSON) a proof of work.</summary>
public abstract record IntakeCredential
{
    private IntakeCredential() { }

    /// <summary>The token the server put in the no-JavaScript form's page (<see cref="FormTokens"/>).</summary>
    public sealed record FormToken(string? Token) : IntakeCredential;

    /// <summary>The JSON body's <c>proof</c>: a solved proof-of-work challenge.</summary>
    public sealed record Proof(string? Payload) : IntakeCredential;
}
