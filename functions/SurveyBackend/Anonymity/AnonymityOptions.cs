using System.ComponentModel.DataAnnotations;

namespace SurveyBackend.Anonymity;

public sealed class AnonymityOptions
{
    public const string SectionName = "Anonymity";
    // The section's Secret is read by Privacy.PrivacyOptions, which every area that hashes or seals uses.

    /// <summary>The fewest addresses the flush may make readable at once (see RecipientFlusher); never below this.</summary>
    public const int SmallestBatch = 10;

    /// <summary>
    /// How many addresses must be waiting before the flush writes them, all together and in random order, to the
    /// recipients table: an address becomes readable only among at least this many (or all at once for a mailing).
    /// </summary>
    [Range(SmallestBatch, 1000)]
    public int RecipientBatchSize { get; set; } = SmallestBatch;
}
