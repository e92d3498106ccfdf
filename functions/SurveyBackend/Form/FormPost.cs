using System.Globalization;
using System.Text;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Primitives;
using SurveyBackend.Intake;
using SurveyBackend.Surveys;
using SurveyBackend.Web;

namespace SurveyBackend.Form;

/// <summary>
/// <c>POST /api/surveys/{id}/form</c>, the form page's own post when JavaScript is off: the urlencoded fields
/// become the same <see cref="SubmissionRequest"/> the JSON route builds, go through the same
/// <see cref="IntakeService"/> (same rules, same idempotency on the page's submissionId, same flood guard),
/// and the answer is HTML: the thank-you page, or the form again with the answers given and the errors.
/// </summary>
public sealed class FormPost(
    IntakeService intake, FloodGuard floodGuard, SurveyCatalog catalog, FormPages pages, ThankYouRenderer thankYou, IOptions<IntakeOptions> options)
{
    public async Task<IActionResult> SubmitAsync(HttpRequest request, string surveyId, CancellationToken cancellationToken)
    {
        var survey = await catalog.FindPublicAsync(surveyId, cancellationToken);
        if (survey is null) return pages.NotFoundPage(request);

        var body = await RequestBodies.ReadAsync(request, IntakeOptions.MaxBodyBytes, cancellationToken, RequestBodies.Form);
        if (!body.Succeeded) return body.Problem!;
        var fields = new FormReader(Encoding.UTF8.GetString(body.Body.Span)).ReadForm();
        var (submission, values) = Read(survey.Definition, fields);

        if (floodGuard.Check(request) is { } wait)
        {
            return Retry(pages.FormPage(request, survey.Definition, values,
                General("Too many responses have come from your network just now. Wait a minute, then send again: your answers are still here."),
                StatusCodes.Status429TooManyRequests), wait);
        }

        var outcome = await intake.SubmitAsync(surveyId, submission, cancellationToken);
        return outcome.Status switch
        {
            // How they compare, from the answers in this request and the public release; nothing more is kept.
            IntakeStatus.Accepted or IntakeStatus.Repeat => pages.ThankYouPage(request, outcome.Receipt!,
                await thankYou.RenderAsync(survey.Definition, values.Answers, headingLevel: 2, cancellationToken)),
            IntakeStatus.Invalid => pages.FormPage(request, survey.Definition, values, outcome.Errors!.ToDictionary(), StatusCodes.Status400BadRequest),
            IntakeStatus.NotFound => pages.NotFoundPage(request),
            IntakeStatus.Closed => pages.ClosedPage(request),
            _ => Retry(pages.FormPage(request, survey.Definition, values,
                General("The survey could not save your answers just now; nothing was saved. Send again in a moment: they will only be counted once."),
                StatusCodes.Status503ServiceUnavailable), options.Value.RetryAfter),
        };
    }

    /// <summary>
    /// The form's fields as a submission, and as values to show again. <c>answers.{question}</c> repeats for a
    /// multiple-choice question; <c>respondent.wantsReport=true</c> is the one consent box (it stands for both
    /// wantsReport and consent). Fields the form does not have are ignored.
    /// </summary>
    public static (SubmissionRequest Submission, FormValues Values) Read(SurveyDefinition survey, Dictionary<string, StringValues> fields)
    {
        string? One(string name) => fields.TryGetValue(name, out var v) ? v.ToString() : null;

        var answers = new Dictionary<string, AnswerInput>(StringComparer.Ordinal);
        var chosen = new Dictionary<string, IReadOnlyList<string>>(StringComparer.Ordinal);
        var other = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (name, value) in fields)
        {
            if (name.StartsWith("answers.", StringComparison.Ordinal))
            {
                var questionId = name["answers.".Length..];
                string[] ids = [.. value.Where(v => !string.IsNullOrEmpty(v)).Select(v => v!)];
                if (ids.Length == 0) continue;
                var multiple = survey.FindQuestion(questionId)?.Type == QuestionType.Multiple || ids.Length > 1;
                answers[questionId] = multiple ? AnswerInput.Many(ids) : AnswerInput.One(ids[0]);
                chosen[questionId] = ids;
            }
            else if (name.StartsWith("other.", StringComparison.Ordinal) && !string.IsNullOrWhiteSpace(value))
            {
                other[name["other.".Length..]] = value.ToString();
            }
        }

        var email = One("respondent.email")?.Trim();
        var wantsReport = string.Equals(One("respondent.wantsReport"), "true", StringComparison.OrdinalIgnoreCase);
        var submission = new SubmissionRequest
        {
            SubmissionId = One("submissionId"),
            Answers = answers,
            Other = other,
            Respondent = string.IsNullOrEmpty(email) && !wantsReport ? null : new RespondentInput(email, null, null, wantsReport, wantsReport),
            Website = One("website"),
        };
        var values = new FormValues
        {
            // A page posted without one still gets a stable id for its next try.
            SubmissionId = One("submissionId") is { Length: > 0 } id ? id : Guid.NewGuid().ToString("D"),
            Answers = chosen,
            Other = other,
            Email = email,
            WantsReport = wantsReport,
        };
        return (submission, values);
    }

    private static Dictionary<string, string[]> General(string message) => new() { [""] = [message] };

    private static HeaderResult Retry(IActionResult page, TimeSpan after) =>
        new(page, "Retry-After", Math.Max(1, (int)Math.Ceiling(after.TotalSeconds)).ToString(CultureInfo.InvariantCulture));
}
