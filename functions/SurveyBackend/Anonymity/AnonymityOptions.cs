namespace SurveyBackend.Anonymity;

public sealed class AnonymityOptions
{
    public const string SectionName = "Anonymity";
    // The section's Secret is read by Privacy.PrivacyOptions, which every area that hashes or seals uses.

    /// <summary>
    /// How long consenting addresses are held before they are written to the recipients table, all at once and in
    /// random order, to break the timing link with the responses (see RecipientFlusher). While a burst of submissions
    /// is still being anonymised they are held longer, at most <c>RecipientFlusher.BurstHoldFactor</c> times this.
    /// </summary>
    public TimeSpan RecipientDelay { get; set; } = TimeSpan.FromHours(1);
}
