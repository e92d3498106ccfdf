using System.Net;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.Extensions.Options;
using SendGrid;
using SendGrid.Helpers.Mail;
using SurveyBackend.Reports;

namespace SurveyBackend.Mailing;

/// <summary>
/// Sends through SendGrid's v3 mail/send (the SendGrid SDK): one request per batch, one personalization per
/// recipient carrying their unsubscribe link as a substitution and in their own List-Unsubscribe headers.
/// </summary>
public sealed partial class SendGridEmailSender : IEmailSender
{
    private readonly SendGridClient _client;
    private readonly EmailOptions _email;
    private readonly TimeProvider _clock;

    /// <param name="http">A typed client from IHttpClientFactory (see MailingWiring), its timeout from SendGrid:Timeout.</param>
    public SendGridEmailSender(HttpClient http, IOptions<SendGridOptions> sendGrid, IOptions<EmailOptions> email, TimeProvider clock)
    {
        _email = email.Value;
        _clock = clock;
        var options = new SendGridClientOptions { ApiKey = sendGrid.Value.ApiKey };
        if (!string.IsNullOrWhiteSpace(sendGrid.Value.Host)) options.Host = sendGrid.Value.Host;
        _client = new SendGridClient(http, options);
    }

    public async Task<SendResult> SendAsync(EmailBatch batch, CancellationToken cancellationToken)
    {
        Response response;
        try
        {
            response = await _client.SendEmailAsync(ToMessage(batch), cancellationToken);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return new SendResult(SendStatus.Transient, "SendGrid did not answer in time.");
        }
        catch (HttpRequestException)
        {
            return new SendResult(SendStatus.Transient, "SendGrid could not be reached.");
        }

        var status = (int)response.StatusCode;
        if (response.IsSuccessStatusCode) return SendResult.Accepted;
        if (response.StatusCode == HttpStatusCode.TooManyRequests)
            return new SendResult(SendStatus.RateLimited, "SendGrid rate limit (429).", RetryAfter(response));
        // A bad or revoked key is the app's fault, not the recipients': stop and resume once it is fixed.
        if (status >= 500 || response.StatusCode is HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden)
            return new SendResult(SendStatus.Transient, $"SendGrid answered {status}.");
        return Refusal(status, await ErrorsAsync(response, cancellationToken), batch.Recipients.Count);
    }

    /// <summary>
    /// A refusal as SendGrid words it, <c>{"errors":[{"message","field","help"}]}</c>: a field
    /// <c>personalizations.N.to…</c> names recipient N; another field names the message itself; no field names nothing.
    /// </summary>
    public static SendResult Refusal(int status, IReadOnlyList<(string? Message, string? Field)> errors, int recipients)
    {
        var named = errors.Select(e => (e.Message, Index: RecipientIndex(e.Field))).Where(e => e.Index < recipients).ToList();
        if (named.Count > 0)
        {
            return new SendResult(SendStatus.Rejected, $"SendGrid refused the address ({status}): {Summary(named.Select(e => e.Message))}")
            {
                Refused = [.. named.Select(e => e.Index!.Value).Distinct()],
            };
        }
        return new SendResult(SendStatus.Rejected, $"SendGrid answered {status}: {Summary(errors.Select(e => e.Message))}")
        {
            NothingNamed = errors.All(e => string.IsNullOrEmpty(e.Field)),
        };
    }

    private static int? RecipientIndex(string? field)
    {
        var match = field is null ? null : RecipientField().Match(field);
        return match is { Success: true } && int.TryParse(match.Groups[1].ValueSpan, System.Globalization.CultureInfo.InvariantCulture, out var index) ? index : null;
    }

    private SendGridMessage ToMessage(EmailBatch batch)
    {
        var message = new SendGridMessage
        {
            From = new EmailAddress(_email.From, _email.FromName),
            Subject = batch.Content.Subject,
            PlainTextContent = batch.Content.Text,
            HtmlContent = batch.Content.Html,
            Personalizations = [.. batch.Recipients.Select(r => new Personalization
            {
                Tos = [new EmailAddress(r.Email)],
                Substitutions = new Dictionary<string, string> { [ReportEmailRenderer.UnsubscribePlaceholder] = r.UnsubscribeUrl },
                Headers = new Dictionary<string, string>
                {
                    ["List-Unsubscribe"] = $"<{r.UnsubscribeUrl}>",
                    ["List-Unsubscribe-Post"] = "List-Unsubscribe=One-Click",
                },
            })],
            // Message-level (AddCustomArg would put it on the first personalization only): the event webhook sees it for all.
            CustomArgs = new Dictionary<string, string> { ["reportId"] = batch.ReportId },
            // Every kind of tracking off in the message itself, whatever the account's defaults: no redirected links, no
            // open pixel, no footer of SendGrid's own, no analytics tags, so the provider learns nothing of who read what.
            TrackingSettings = new TrackingSettings
            {
                ClickTracking = new ClickTracking { Enable = false, EnableText = false },
                OpenTracking = new OpenTracking { Enable = false },
                SubscriptionTracking = new SubscriptionTracking { Enable = false },
                Ganalytics = new Ganalytics { Enable = false },
            },
        };
        return message;
    }

    private TimeSpan? RetryAfter(Response response)
    {
        var now = _clock.GetUtcNow();
        if (response.Headers.RetryAfter is { } retryAfter)
        {
            if (retryAfter.Delta is { } delta) return delta;
            if (retryAfter.Date is { } date) return Max(date - now);
        }
        // SendGrid's own header: the epoch second at which the limit resets.
        if (response.Headers.TryGetValues("X-RateLimit-Reset", out var values)
            && long.TryParse(values.FirstOrDefault(), System.Globalization.CultureInfo.InvariantCulture, out var epoch))
            return Max(DateTimeOffset.FromUnixTimeSeconds(epoch) - now);
        return null;
    }

    private static TimeSpan Max(TimeSpan wait) => wait < TimeSpan.Zero ? TimeSpan.Zero : wait;

    /// <summary>SendGrid's errors (message and field); none when the body is not SendGrid's JSON.</summary>
    private static async Task<IReadOnlyList<(string? Message, string? Field)>> ErrorsAsync(Response response, CancellationToken cancellationToken)
    {
        try
        {
            var body = await response.Body.ReadAsStringAsync(cancellationToken);
            using var json = JsonDocument.Parse(body);
            return [.. json.RootElement.GetProperty("errors").EnumerateArray().Select(e => (Text(e, "message"), Text(e, "field")))];
        }
        catch (Exception ex) when (ex is JsonException or KeyNotFoundException or InvalidOperationException or HttpRequestException)
        {
            return [];
        }

        static string? Text(JsonElement error, string name) =>
            error.ValueKind == JsonValueKind.Object && error.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;
    }

    /// <summary>The messages, without anything that looks like an address, kept short.</summary>
    private static string Summary(IEnumerable<string?> messages)
    {
        var text = string.Join("; ", messages.OfType<string>().Distinct());
        if (text.Length == 0) return "no details.";
        text = EmailLike().Replace(text, "[address]");
        return text.Length > 300 ? text[..300] : text;
    }

    [GeneratedRegex(@"^personalizations\.(\d{1,4})\.to(\.\d{1,4}(\.email)?)?$")]
    private static partial Regex RecipientField();

    [GeneratedRegex(@"[^\s<>""']+@[^\s<>""']+")]
    private static partial Regex EmailLike();

}
