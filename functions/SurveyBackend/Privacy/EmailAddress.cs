namespace SurveyBackend.Privacy;

/// <summary>
/// The one normal form of an email address (trimmed, lower-case). Intake stores it, the recipient key and the
/// unsubscribe key are hashed from it: if these disagreed, an unsubscribe could miss its recipient.
/// </summary>
public static class EmailAddress
{
    /// <summary>
    /// The longest address accepted: 254 octets, the longest path RFC 5321 allows (256) less its angle brackets.
    /// Every sealed address is padded to this size (<see cref="RecipientSeal"/>), so its length says nothing.
    /// </summary>
    public const int MaxLength = 254;

    public static string? Normalise(string? email) =>
        string.IsNullOrWhiteSpace(email) ? null : email.Trim().ToLowerInvariant();
}
