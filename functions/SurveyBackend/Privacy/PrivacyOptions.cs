using System.ComponentModel.DataAnnotations;

namespace SurveyBackend.Privacy;

/// <summary>The app's secret. It lives in the <c>Anonymity</c> section (<c>Anonymity__Secret</c>, the name docs/settings.md gives it).</summary>
public sealed class PrivacyOptions
{
    public const string SectionName = "Anonymity";

    /// <summary>
    /// The key for every keyed hash and seal that must not be reversible or linkable by someone who
    /// only has the storage account (submission keys, recipient keys, unsubscribe tokens). Key Vault in Azure.
    /// </summary>
    [Required, MinLength(32)]
    public string Secret { get; set; } = "";
}
