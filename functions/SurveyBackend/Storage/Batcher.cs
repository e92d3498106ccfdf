using System.Collections.Concurrent;

namespace SurveyBackend.Storage;

/// <summary>
/// Group commit: callers under one key (a partition) take turns, and whoever's turn it is commits what waits, oldest
/// first while <c>fits</c> allows (the oldest always goes), in one call. Fewer calls, and no races within an instance.
/// </summary>
/// <param name="commit">Commits a group and answers each item; what it throws, or leaves unanswered, fails the rest.</param>
internal sealed class Batcher<TKey, TItem, TResult>(
    Func<IReadOnlyList<TItem>, TItem, bool> fits,
    Func<TKey, IReadOnlyList<Batched<TItem, TResult>>, CancellationToken, Task> commit)
    where TKey : notnull
{
    private readonly ConcurrentDictionary<TKey, Turns> _turns = new();

    /// <summary>Commits <paramref name="item"/> with whatever else waits under <paramref name="key"/>, and answers it.</summary>
    public async Task<TResult> CommitAsync(TKey key, TItem item, CancellationToken cancellationToken)
    {
        var batched = new Batched<TItem, TResult>(item);
        var turns = _turns.GetOrAdd(key, _ => new Turns());
        turns.Waiting.Enqueue(batched);
        while (!batched.IsAnswered)
        {
            await turns.Gate.WaitAsync(cancellationToken);
            try
            {
                // Its item may have gone in the group of whoever held the gate before.
                if (!batched.IsAnswered) await CommitGroupAsync(key, TakeGroup(turns.Waiting), cancellationToken);
            }
            finally
            {
                turns.Gate.Release();
            }
        }
        return await batched.Answer;
    }

    /// <summary>Commits <paramref name="item"/> by itself, now, taking no turn: it races other writers on its own.</summary>
    public async Task<TResult> CommitAloneAsync(TKey key, TItem item, CancellationToken cancellationToken)
    {
        var batched = new Batched<TItem, TResult>(item);
        await CommitGroupAsync(key, [batched], cancellationToken);
        return await batched.Answer;
    }

    private List<Batched<TItem, TResult>> TakeGroup(ConcurrentQueue<Batched<TItem, TResult>> waiting)
    {
        var group = new List<Batched<TItem, TResult>>();
        var items = new List<TItem>();
        // Only the gate's holder takes from the queue, so what it peeks is what it takes.
        while (waiting.TryPeek(out var next) && (group.Count == 0 || fits(items, next.Item)) && waiting.TryDequeue(out next))
        {
            group.Add(next);
            items.Add(next.Item);
        }
        return group;
    }

    private async Task CommitGroupAsync(TKey key, List<Batched<TItem, TResult>> group, CancellationToken cancellationToken)
    {
        try
        {
            await commit(key, group, cancellationToken);
            foreach (var batched in group) batched.Fail(new InvalidOperationException("The commit left an item unanswered."));
        }
        catch (Exception ex)
        {
            // Failed, or its outcome is unknown (a timeout after sending): each caller learns it, and may try again.
            foreach (var batched in group) batched.Fail(ex);
        }
    }

    /// <summary>The items waiting under one key, and the gate whose holder commits them.</summary>
    private sealed class Turns
    {
        public SemaphoreSlim Gate { get; } = new(1, 1);
        public ConcurrentQueue<Batched<TItem, TResult>> Waiting { get; } = new();
    }
}

/// <summary>One caller's item in a <see cref="Batcher{TKey, TItem, TResult}"/>, and its answer (the first one given counts).</summary>
internal sealed class Batched<TItem, TResult>(TItem item)
{
    private readonly TaskCompletionSource<TResult> _answer = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public TItem Item => item;

    internal bool IsAnswered => _answer.Task.IsCompleted;

    internal Task<TResult> Answer => _answer.Task;

    public void Succeed(TResult result) => _answer.TrySetResult(result);

    public void Fail(Exception error) => _answer.TrySetException(error);
}
