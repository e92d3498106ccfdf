using System.Collections.Concurrent;
using Azure.Data.Tables;

namespace SurveyBackend.Storage;

/// <summary>
/// Group commit for single-entity writes that many workers of this instance make in one partition at once (deleting
/// processed pending rows, adding sealed addresses to the pending pool): the workers take turns per partition, and
/// whoever's turn it is writes everything waiting in one entity group transaction, one billed call. Each caller is
/// answered only once its write is stored. Alone, a write goes as the single call it is. If a transaction fails
/// (it is all or nothing), each of its writes goes again alone, where it can fail or be forgiven on its own
/// (a delete of a row already gone).
/// </summary>
internal sealed class GroupCommit(TableClient table)
{
    private const int MaxPerTransaction = 100;
    private readonly ConcurrentDictionary<string, Turns> _turns = new(StringComparer.Ordinal);

    /// <summary>Stores <paramref name="action"/>, with others waiting in its partition when there are any; <paramref name="alone"/> is how it goes by itself.</summary>
    public async Task WriteAsync(TableTransactionAction action, Func<CancellationToken, Task> alone, CancellationToken cancellationToken)
    {
        var write = new Write(action, alone);
        var turns = _turns.GetOrAdd(action.Entity.PartitionKey, _ => new Turns());
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
        while (group.Count < MaxPerTransaction && waiting.TryPeek(out var next) && !rows.Contains(next.Action.Entity.RowKey) && waiting.TryDequeue(out next))
        {
            group.Add(next);
            rows.Add(next.Action.Entity.RowKey);
        }
        return group;
    }

    private async Task CommitAsync(List<Write> group, CancellationToken cancellationToken)
    {
        if (group.Count > 1)
        {
            try
            {
                await table.SubmitTransactionAsync(group.Select(w => w.Action), cancellationToken);
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

    private sealed record Write(TableTransactionAction Action, Func<CancellationToken, Task> Alone)
    {
        public TaskCompletionSource Stored { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }

    private sealed class Turns
    {
        public SemaphoreSlim Gate { get; } = new(1, 1);
        public ConcurrentQueue<Write> Waiting { get; } = new();
    }
}
