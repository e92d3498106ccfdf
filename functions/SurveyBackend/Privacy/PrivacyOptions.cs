using System.ComponentModel.DataAnnotations;

namespace SurveyBackend.Privacy;

/// <summary>The app's secrets. They live in the <c>Anonymity</c> section (<c>Anonymity__Secret</c>, <c>Anonymity__PreviousSecrets</c>, the names docs/settings.md gives them).</summary>
public sealed class PrivacyOptions
{
    public const string SectionName = "Anonymity";
    public const int MinSecretLength = 32;

    /// <summary>
    /// The key for every keyed hash and seal that must not be reversible or linkable by someone who
    /// only has the storage account (submission keys, recipient keys, unsubscribe tokens). Key Vault in Azure.
    /// Every new key, seal and token is made with it.
    /// </summary>
    [Required, MinLength(MinSecretLength)]
    public string Secret { get; set; } = "";

    /// <summary>
    /// The secrets used before <see cref="Secret"/>, newest first, separated by commas or white space: never used to
    /// write, only to read and match what they made. Empty until a secret is rotated (docs/deploy.md).
    /// </summary>
    public string? PreviousSecrets { get; set; }

    /// <summary>Every secret, the current one first.</summary>
    public IReadOnlyList<string> AllSecrets() =>
        [Secret, .. (PreviousSecrets ?? "").Split([',', ' ', '\t', '\r', '\n'], StringSplitOptions.RemoveEmptyEntries)];

    /// <summary>Why the previous secrets cannot be used, or null: each at least as long as a secret, none repeated, none the current one.</summary>
    public string? PreviousSecretsFault()
    {
        var all = AllSecrets();
        if (all.Skip(1).Any(s => s.Length < MinSecretLength))
            return $"Anonymity:PreviousSecrets: each previous secret must be at least {MinSecretLength} characters.";
        return all.Distinct(StringComparer.Ordinal).Count() == all.Count ? null
            : "Anonymity:PreviousSecrets: a secret is listed twice, or the current secret is among the previous ones.";
    }
}
