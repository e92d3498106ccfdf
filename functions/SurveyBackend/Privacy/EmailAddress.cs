namespace SurveyBackend.Privacy;

/// <summary>
/// The one normal form of an email address (trimmed, lower-case). Intake stores it, the recipient key and the
/// unsubscribe key are hashed from it: if these disagreed, an unsubscribe could miss its recipient.
/// </summary>
public static class EmailAddress
{
    public static string? Normalise(string? email) =>
        string.IsNullOrWhiteSpace(email) ? null : email.Trim().ToLowerInvariant();
}
