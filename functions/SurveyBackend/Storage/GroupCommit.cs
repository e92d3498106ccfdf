using Azure.Data.Tables;

namespace SurveyBackend.Storage;

/// <summary>
/// Group commit of small writes that many workers of this instance make in one partition at once (a finished
/// submission's pending row deleted, its sealed address added beside it): one entity group transaction, one billed
/// call, for everything waiting. A write is one action or a few stored together; alone, it goes as the call it is.
/// </summary>
internal sealed class GroupCommit(TableClient table)
{
    private const int MaxPerTransaction = 100;
    private readonly Batcher<string, Write, bool> _batcher = new(Fits, (_, group, ct) => CommitAsync(table, group, ct));

    /// <summary>
    /// Stores <paramref name="actions"/> (all in one partition, stored together or not at all), with other writes
    /// waiting in that partition when there are any; <paramref name="alone"/> is how the write goes by itself.
    /// </summary>
    public async Task WriteAsync(IReadOnlyList<TableTransactionAction> actions, Func<CancellationToken, Task> alone, CancellationToken cancellationToken)
    {
        if (actions.Count is 0 or > MaxPerTransaction || actions.Any(a => a.Entity.PartitionKey != actions[0].Entity.PartitionKey))
            throw new ArgumentException("A grouped write is 1 to 100 actions in one partition.", nameof(actions));
        await _batcher.CommitAsync(actions[0].Entity.PartitionKey, new Write(actions, alone), cancellationToken);
    }

    /// <summary>A row may appear once in a transaction: a second write of the same row waits for the next group.</summary>
    private static bool Fits(IReadOnlyList<Write> group, Write next)
    {
        var rows = group.SelectMany(w => w.Actions).Select(a => a.Entity.RowKey).ToHashSet(StringComparer.Ordinal);
        return rows.Count + next.Actions.Count <= MaxPerTransaction && !next.Actions.Any(a => rows.Contains(a.Entity.RowKey));
    }

    /// <summary>
    /// The group in one transaction. That is all or nothing, so if it fails each write goes again alone, where it can
    /// fail or be forgiven on its own (a delete of a row already gone).
    /// </summary>
    private static async Task CommitAsync(TableClient table, IReadOnlyList<Batched<Write, bool>> group, CancellationToken cancellationToken)
    {
        if (group.Count > 1)
        {
            try
            {
                await table.SubmitTransactionAsync(group.SelectMany(w => w.Item.Actions), cancellationToken);
                foreach (var write in group) write.Succeed(true);
                return;
            }
            catch (Exception ex) when (ex is Azure.RequestFailedException or TableTransactionFailedException)
            {
                // Nothing of the group was stored: each goes alone below.
            }
        }
        await Task.WhenAll(group.Select(async write =>
        {
            try
            {
                await write.Item.Alone(cancellationToken);
                write.Succeed(true);
            }
            catch (Exception ex)
            {
                write.Fail(ex);
            }
        }));
    }

    private sealed record Write(IReadOnlyList<TableTransactionAction> Actions, Func<CancellationToken, Task> Alone);
}
