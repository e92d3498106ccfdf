using System.Text.Json.Serialization;
using SurveyBackend.Privacy;
using SurveyBackend.Validation;

namespace SurveyBackend.Surveys;

/// <summary>
/// Who holds the report addresses of a survey (<paramref name="Controller"/>, by name) and how to reach them
/// (<paramref name="Contact"/>: <c>mailto:</c> or <c>https://</c>), for the form's privacy notice (UK GDPR Art. 13(1)(a)).
/// Plain strings in every language: a name and an address are not translated.
/// </summary>
public sealed record SurveyPrivacy(string Controller, string Contact)
{
    private const string MailTo = "mailto:";

    /// <summary>The contact as a person reads it: the address of a <c>mailto:</c>, else the page's URL.</summary>
    [JsonIgnore]
    public string ContactText => IsMail ? Contact[MailTo.Length..] : Contact;

    /// <summary>A <c>mailto:</c> contact: its link opens a mail client, not a page.</summary>
    [JsonIgnore]
    public bool IsMail => Contact.StartsWith(MailTo, StringComparison.Ordinal);
}

/// <summary>The rules of a definition's <c>privacy</c>: required, a controller's name, and a contact that is a mailto: or an https: URL.</summary>
internal static class SurveyPrivacyRules
{
    public const int MaxControllerLength = 200;
    public const int MaxContactLength = 500;

    public static SurveyPrivacy? Check(ValidationErrors errors, PrivacyDocument? privacy)
    {
        if (privacy is null)
        {
            errors.Add("privacy", "The privacy notice's controller and contact are required: { \"controller\": \"…\", \"contact\": \"mailto:… or https://…\" }.");
            return null;
        }
        var controller = privacy.Controller?.Trim();
        var contact = privacy.Contact?.Trim();
        var valid = true;
        if (string.IsNullOrEmpty(controller))
            valid = Fault(errors, "privacy.controller", "The controller is required: the name of the organisation that holds the addresses.");
        else if (controller.Length > MaxControllerLength)
            valid = Fault(errors, "privacy.controller", $"The controller must be at most {MaxControllerLength} characters.");
        else if (controller.Any(char.IsControl))
            valid = Fault(errors, "privacy.controller", "The controller must be one line of plain text.");

        if (string.IsNullOrEmpty(contact))
            valid = Fault(errors, "privacy.contact", "The contact is required: mailto: and an email address, or an https:// page.");
        else if (contact.Length > MaxContactLength)
            valid = Fault(errors, "privacy.contact", $"The contact must be at most {MaxContactLength} characters.");
        else if (!IsContact(contact))
            valid = Fault(errors, "privacy.contact", "The contact must be mailto: and an email address (mailto:privacy@example.org), or an https:// page (https://example.org/privacy).");

        return valid ? new SurveyPrivacy(controller!, contact!) : null;
    }

    /// <summary>
    /// <c>mailto:</c> and one plain address (no query, no second recipient), or an absolute <c>https://</c> URL with a host
    /// and no user name; both prefixes in lower case, as docs/openapi.json's pattern has them.
    /// </summary>
    private static bool IsContact(string contact)
    {
        if (contact.Any(c => char.IsWhiteSpace(c) || char.IsControl(c))) return false;
        if (contact.StartsWith("mailto:", StringComparison.Ordinal))
        {
            var address = contact["mailto:".Length..];
            return address.IndexOfAny(['?', '&', '%']) < 0 && EmailAddress.Check(address) == EmailFault.None;
        }
        return contact.StartsWith("https://", StringComparison.Ordinal) && Uri.TryCreate(contact, UriKind.Absolute, out var uri)
            && uri.Scheme == Uri.UriSchemeHttps && uri.Host.Length > 0 && uri.UserInfo.Length == 0;
    }

    private static bool Fault(ValidationErrors errors, string path, string message)
    {
        errors.Add(path, message);
        return false;
    }
}

// The wire shape, every member optional, so a missing field is reported by path rather than thrown.
internal sealed record PrivacyDocument(string? Controller, string? Contact);
