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

    /// <summary>The most a recipient's write is delayed (at random) to break the timing link with the response.</summary>
    public TimeSpan RecipientDelay { get; set; } = TimeSpan.FromHours(1);
}
