using System.Diagnostics;
using System.Net;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Options;
using SurveyBackend.Languages;
using SurveyBackend.ProofOfWork;
using SurveyBackend.Web;

namespace SurveyBackend.Intake;

/// <summary>
/// <c>POST /api/surveys/{surveyId}/responses</c>: the <see cref="IntakeGate"/>'s steps in its order (admit, body, parse,
/// submit), each answered as problem+json, and the receipt for an accepted submission. Messages are in the body's <c>lang</c>, else
/// <c>Accept-Language</c>'s.
/// </summary>
public sealed class IntakeEndpoints(IntakeGate gate, IOptions<IntakeOptions> options)
{
    public async Task<IActionResult> SubmitAsync(HttpRequest request, string surveyId, CancellationToken cancellationToken)
    {
        var headerLanguage = LanguageChoice.Given(null, request.Headers.AcceptLanguage);
        if (gate.Admit(IntakeRoute.Json, Headers(request, options.Value.ClientAddressHeader)) is { } stop) return Answer(stop, UiText.English);
        var body = await RequestBodies.ReadAsync(request, IntakeOptions.MaxBodyBytes, cancellationToken, RequestBodies.Json);
        if (!body.Succeeded) return body.Problem!;

        var parsed = SubmissionJson.Parse(body.Body, headerLanguage);
        if (!parsed.IsValid) return Problems.Validation(parsed.Errors, UiText.For(headerLanguage ?? UiText.English)["error.summary"]);

        return Answer(await gate.SubmitAsync(surveyId, parsed.Value!, new IntakeCredential.Proof(parsed.Value!.Proof), cancellationToken), parsed.Value!.Language);
    }

    private IActionResult Answer(GateResult result, string language) => result switch
    {
        GateResult.Flooded flooded => Problems.TooManyRequests(flooded.RetryAfter),
        GateResult.CrossSite => Problems.Forbidden("cross-site", "The post came from another site.",
            "Responses are taken from the survey's own form, or from a page whose origin the survey's owner allowed."),
        GateResult.ProofRefused { Fault: var fault } => ProofProblem(fault),
        GateResult.Decided { Outcome: var outcome } => outcome.Status switch
        {
            IntakeStatus.Accepted => JsonDefaults.Result(new ReceiptBody(outcome.Receipt!), StatusCodes.Status202Accepted),
            IntakeStatus.Repeat => JsonDefaults.Result(new ReceiptBody(outcome.Receipt!), StatusCodes.Status200OK),
            IntakeStatus.Invalid => Problems.Validation(outcome.Errors!, UiText.For(language)["error.summary"]),
            IntakeStatus.NotFound => Problems.NotFound("There is no survey at this address."),
            IntakeStatus.Closed => Problems.Gone("This survey is closed or not open yet."),
            _ => Problems.Unavailable(options.Value.RetryAfter),
        },
        _ => throw new UnreachableException($"The JSON route has no answer for {result.GetType().Name}."),
    };

    /// <summary>What the gate reads of a post before its body (the same for both intake routes).</summary>
    public static PostHeaders Headers(HttpRequest request, string? clientAddressHeader) =>
        new(ClientAddress(request, clientAddressHeader), request.Headers["Sec-Fetch-Site"], request.Headers.Origin, request.Host.Host);

    /// <summary>The client's address for the flood guard (<see cref="ClientAddresses"/>): the configured header's, else the connection's.</summary>
    public static IPAddress ClientAddress(HttpRequest request, string? clientAddressHeader) =>
        ClientAddresses.Of(request.Headers[clientAddressHeader ?? ""], request.HttpContext.Connection.RemoteIpAddress);

    /// <summary>The 403 for each proof-of-work fault; its type tells a client whether a fresh challenge would help (all but none).</summary>
    private static IActionResult ProofProblem(ProofFault fault) => fault switch
    {
        ProofFault.Missing => Problems.Forbidden("proof-required", "A proof of work is required.",
            "Get a challenge from GET /api/challenge, solve it, and send the solution as proof (the form's script does this while the person answers)."),
        ProofFault.Expired => Problems.Forbidden("proof-expired", "The proof of work has expired.", "Solve a fresh challenge and send again with the same submissionId."),
        ProofFault.Used => Problems.Forbidden("proof-used", "The proof of work was used for another submission.", "Each challenge buys one submission: solve a fresh one."),
        _ => Problems.Forbidden("proof-invalid", "The proof of work is not valid.", "It is not a solution of a challenge this service issued."),
    };

    /// <summary>What the client keeps: its own submission id back, as proof it was taken.</summary>
    public sealed record ReceiptBody(string Receipt, string Status = "accepted");
}
