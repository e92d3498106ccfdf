using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Options;
using SurveyBackend.Web;

namespace SurveyBackend.Intake;

/// <summary>The HTTP side of intake: flood guard, body limits, JSON reading, and the status for each outcome.</summary>
public sealed class IntakeEndpoint(IntakeService intake, FloodGuard floodGuard, IOptions<IntakeOptions> options)
{
    public async Task<IActionResult> SubmitAsync(HttpRequest request, string surveyId, CancellationToken cancellationToken)
    {
        if (floodGuard.Check(request) is { } wait) return Problems.TooManyRequests(wait);

        var body = await RequestBodies.ReadAsync(request, IntakeOptions.MaxBodyBytes, cancellationToken);
        if (!body.Succeeded) return body.Problem!;

        var parsed = SubmissionJson.Parse(body.Body);
        if (!parsed.IsValid) return Problems.Validation(parsed.Errors);

        var outcome = await intake.SubmitAsync(surveyId, parsed.Value!, cancellationToken);
        return ToResult(outcome, options.Value.RetryAfter);
    }

    public static IActionResult ToResult(IntakeOutcome outcome, TimeSpan retryAfter) => outcome.Status switch
    {
        IntakeStatus.Accepted => JsonDefaults.Result(new ReceiptBody(outcome.Receipt!), StatusCodes.Status202Accepted),
        IntakeStatus.Repeat => JsonDefaults.Result(new ReceiptBody(outcome.Receipt!), StatusCodes.Status200OK),
        IntakeStatus.Invalid => Problems.Validation(outcome.Errors!, "Some answers are not valid; see errors."),
        IntakeStatus.NotFound => Problems.NotFound("There is no survey at this address."),
        IntakeStatus.Closed => Problems.Gone("This survey is closed or not open yet."),
        _ => Problems.Unavailable(retryAfter),
    };

    /// <summary>What the client keeps: its own submission id back, as proof it was taken.</summary>
    public sealed record ReceiptBody(string Receipt, string Status = "accepted");
}
