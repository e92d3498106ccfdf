using System.ComponentModel.DataAnnotations;
using SurveyBackend.Storage;

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

    /// <summary>
    /// The most responses one group commit counts in a shard transaction: fewer storage calls and no ETag conflicts
    /// within an instance. 1 turns grouping off (the benchmark's baseline; docs/anonymity.md, "Group commit").
    /// </summary>
    [Range(1, AggregateStore.MaxResponsesPerTransaction)]
    public int MaxResponsesPerTransaction { get; set; } = 32;
}
