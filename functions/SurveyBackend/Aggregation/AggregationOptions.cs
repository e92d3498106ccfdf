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
    /// The most responses one shard transaction counts. Workers of one instance that count in the same shard at the
    /// same time take turns, and whoever's turn it is counts everything waiting in one transaction (a group commit):
    /// fewer, cheaper storage calls, and no conflicts between workers of the same instance. 1 turns that off: every
    /// worker commits alone and races the others on ETags (the naive baseline the benchmark compares with).
    /// </summary>
    [Range(1, AggregateStore.MaxResponsesPerTransaction)]
    public int MaxResponsesPerTransaction { get; set; } = 32;
}
