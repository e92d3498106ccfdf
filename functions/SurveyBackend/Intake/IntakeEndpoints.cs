using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Options;
using SurveyBackend.Languages;
using SurveyBackend.Web;

namespace SurveyBackend.Intake;

/// <summary>
/// The HTTP side of intake. Both intake routes, the JSON one here and the no-JavaScript form post
/// (<c>FormEndpoints</c>), pass the same gate in the same order: flood guard (before a byte of the body is read),
/// body (media type and size), parse, then <see cref="IntakeService"/>, then the route maps the outcome to its answer.
/// </summary>
public sealed class IntakeEndpoints(IntakeService intake, FloodGuard floodGuard, IOptions<IntakeOptions> options)
{
    /// <summary><c>POST /api/surveys/{surveyId}/responses</c>: messages in the body's <c>lang</c>, else <c>Accept-Language</c>.</summary>
    public Task<IActionResult> SubmitAsync(HttpRequest request, string surveyId, CancellationToken cancellationToken) =>
        GateAsync(request, surveyId, new JsonRoute(options.Value.RetryAfter, LanguageChoice.Given(null, request.Headers.AcceptLanguage)), cancellationToken);

    /// <summary>The one gate in front of both intake routes; <paramref name="route"/> says how each step is answered.</summary>
    public async Task<IActionResult> GateAsync<TState>(HttpRequest request, string surveyId, Route<TState> route, CancellationToken cancellationToken)
    {
        if (floodGuard.Check(ClientAddresses.Of(request.Headers[options.Value.ClientAddressHeader ?? ""], request.HttpContext.Connection.RemoteIpAddress)) is { } wait) return route.Flooded(wait);

        var body = await RequestBodies.ReadAsync(request, IntakeOptions.MaxBodyBytes, cancellationToken, route.MediaType);
        if (!body.Succeeded) return body.Problem!;

        var parsed = await route.ParseAsync(surveyId, body.Body, cancellationToken);
        if (parsed.Refusal is { } refusal) return refusal;

        var outcome = await intake.SubmitAsync(surveyId, parsed.Submission!, cancellationToken);
        return await route.AnswerAsync(outcome, parsed.State!, cancellationToken);
    }

    /// <summary>What a route answers at each step of the gate; the gate alone decides their order.</summary>
    public abstract class Route<TState>
    {
        public abstract string MediaType { get; }
        public abstract IActionResult Flooded(TimeSpan retryAfter);
        /// <summary>The body as a submission (and what the route needs to answer), or the answer that refuses it.</summary>
        public abstract Task<Parsed<TState>> ParseAsync(string surveyId, ReadOnlyMemory<byte> body, CancellationToken cancellationToken);
        public abstract Task<IActionResult> AnswerAsync(IntakeOutcome outcome, TState state, CancellationToken cancellationToken);
    }

    public sealed record Parsed<TState>(SubmissionRequest? Submission, TState? State, IActionResult? Refusal)
    {
        public static Parsed<TState> Refused(IActionResult refusal) => new(null, default, refusal);
        public static Parsed<TState> Of(SubmissionRequest submission, TState state) => new(submission, state, null);
    }

    /// <summary>The JSON route: problem+json for every refusal, the receipt for an accepted submission.</summary>
    private sealed class JsonRoute(TimeSpan retryAfter, string? headerLanguage) : Route<string>
    {
        public override string MediaType => RequestBodies.Json;

        public override IActionResult Flooded(TimeSpan wait) => Problems.TooManyRequests(wait);

        public override Task<Parsed<string>> ParseAsync(string surveyId, ReadOnlyMemory<byte> body, CancellationToken cancellationToken)
        {
            var parsed = SubmissionJson.Parse(body, headerLanguage);
            return Task.FromResult(parsed.IsValid ? Parsed<string>.Of(parsed.Value!, parsed.Value!.Language)
                : Parsed<string>.Refused(Problems.Validation(parsed.Errors, UiText.For(headerLanguage ?? UiText.English)["error.summary"])));
        }

        public override Task<IActionResult> AnswerAsync(IntakeOutcome outcome, string language, CancellationToken cancellationToken) => Task.FromResult(outcome.Status switch
        {
            IntakeStatus.Accepted => JsonDefaults.Result(new ReceiptBody(outcome.Receipt!), StatusCodes.Status202Accepted),
            IntakeStatus.Repeat => JsonDefaults.Result(new ReceiptBody(outcome.Receipt!), StatusCodes.Status200OK),
            IntakeStatus.Invalid => Problems.Validation(outcome.Errors!, UiText.For(language)["error.summary"]),
            IntakeStatus.NotFound => Problems.NotFound("There is no survey at this address."),
            IntakeStatus.Closed => Problems.Gone("This survey is closed or not open yet."),
            _ => Problems.Unavailable(retryAfter),
        });
    }

    /// <summary>What the client keeps: its own submission id back, as proof it was taken.</summary>
    public sealed record ReceiptBody(string Receipt, string Status = "accepted");
}
