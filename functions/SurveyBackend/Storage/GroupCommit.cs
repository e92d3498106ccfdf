using System.Collections.Concurrent;
using Azure.Data.Tables;

namespace SurveyBackend.Storage;

/// <summary>
/// Group commit for small writes that many workers of this instance make in one partition at once (each finished
/// submission's pending row deleted, with its sealed address added beside it): the workers take turns per partition,
/// and whoever's turn it is writes everything waiting in one entity group transaction, one billed call. A write is one
/// action or a few that must be stored together; each caller is answered only once its write is stored. Alone, a
/// write goes as the call it is. If a transaction fails (it is all or nothing), each of its writes goes again alone,
/// where it can fail or be forgiven on its own (a delete of a row already gone).
/// </summary>
internal sealed class GroupCommit(TableClient table)
{
    private const int MaxPerTransaction = 100;
    private readonly ConcurrentDictionary<string, Turns> _turns = new(StringComparer.Ordinal);

    /// <summary>
    /// Stores <paramref name="actions"/> (all in one partition, stored together or not at all), with other writes
    /// waiting in that partition when there are any; <paramref name="alone"/> is how the write goes by itself.
    /// </summary>
    public async Task WriteAsync(IReadOnlyList<TableTransactionAction> actions, Func<CancellationToken, Task> alone, CancellationToken cancellationToken)
    {
        if (actions.Count is 0 or > MaxPerTransaction || actions.Any(a => a.Entity.PartitionKey != actions[0].Entity.PartitionKey))
            throw new ArgumentException("A grouped write is 1 to 100 actions in one partition.", nameof(actions));
        var write = new Write(actions, alone);
        var turns = _turns.GetOrAdd(actions[0].Entity.PartitionKey, _ => new Turns());
        turns.Waiting.Enqueue(write);
        while (!write.Stored.Task.IsCompleted)
        {
            await turns.Gate.WaitAsync(cancellationToken);
            try
            {
                if (!write.Stored.Task.IsCompleted) await CommitAsync(TakeGroup(turns.Waiting), cancellationToken);
            }
            finally
            {
                turns.Gate.Release();
            }
        }
        await write.Stored.Task;
    }

    private static List<Write> TakeGroup(ConcurrentQueue<Write> waiting)
    {
        var group = new List<Write>();
        var rows = new HashSet<string>(StringComparer.Ordinal);
        // A row may appear once in a transaction: a second write of the same row waits for the next group.
        while (waiting.TryPeek(out var next)
            && rows.Count + next.Actions.Count <= MaxPerTransaction
            && !next.Actions.Any(a => rows.Contains(a.Entity.RowKey))
            && waiting.TryDequeue(out next))
        {
            group.Add(next);
            rows.UnionWith(next.Actions.Select(a => a.Entity.RowKey));
        }
        return group;
    }

    private async Task CommitAsync(List<Write> group, CancellationToken cancellationToken)
    {
        if (group.Count > 1)
        {
            try
            {
                await table.SubmitTransactionAsync(group.SelectMany(w => w.Actions), cancellationToken);
                foreach (var write in group) write.Stored.TrySetResult();
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
                await write.Alone(cancellationToken);
                write.Stored.TrySetResult();
            }
            catch (Exception ex)
            {
                write.Stored.TrySetException(ex);
            }
        }));
    }

    private sealed record Write(IReadOnlyList<TableTransactionAction> Actions, Func<CancellationToken, Task> Alone)
    {
        public TaskCompletionSource Stored { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }

    private sealed class Turns
    {
        public SemaphoreSlim Gate { get; } = new(1, 1);
        public ConcurrentQueue<Write> Waiting { get; } = new();
    }
}
