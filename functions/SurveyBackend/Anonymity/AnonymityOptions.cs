using System.ComponentModel.DataAnnotations;

namespace SurveyBackend.Anonymity;

public sealed class AnonymityOptions
{
    public const string SectionName = "Anonymity";

    /// <summary>
    /// The key for every keyed hash and seal that must not be reversible or linkable by someone who
    /// only has the storage account (submission keys, recipient keys, unsubscribe tokens). Key Vault in Azure.
    /// </summary>
    [Required, MinLength(32)]
    public string Secret { get; set; } = "";

    /// <summary>
    /// How long consenting addresses are held before they are written to the recipients table, all at once and in
    /// random order, to break the timing link with the responses (see RecipientFlusher). While a burst of submissions
    /// is still being anonymised they are held longer, at most <c>RecipientFlusher.BurstHoldFactor</c> times this.
    /// </summary>
    public TimeSpan RecipientDelay { get; set; } = TimeSpan.FromHours(1);
}
