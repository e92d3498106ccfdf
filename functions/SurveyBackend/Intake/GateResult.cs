using Microsoft.AspNetCore.Mvc;

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

    /// <summary>The body's media type or size is wrong (415, 413): problem+json on both routes.</summary>
    public sealed record BadBody(IActionResult Problem) : GateResult;

    /// <summary>Through the checks that come before the body is read: here it is, for the route to parse.</summary>
    public sealed record Admitted(ReadOnlyMemory<byte> Body) : GateResult;

    /// <summary>What <see cref="IntakeService"/> made of the submission.</summary>
    public sealed record Decided(IntakeOutcome Outcome) : GateResult;
}
