using System.ComponentModel.DataAnnotations;

namespace SurveyBackend.Aggregation;

public sealed class AggregationOptions
{
    public const string SectionName = "Aggregation";

    /// <summary>
    /// Counter partitions per survey. A response always lands in the shard its key hashes to, so concurrent workers
    /// mostly touch different rows; results read every shard, so more shards cost reads. Fixed once counting starts
    /// (a change needs a rebuild).
    /// </summary>
    [Range(1, 256)]
    public int Shards { get; set; } = 16;
}
