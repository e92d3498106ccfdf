using SurveyBackend.Storage;

namespace SurveyBackend.Tests.Unit.Storage;

/// <summary>
/// The one group commit (the counter's shards and the submissions' completions both use it): who goes in a group,
/// and that every caller is answered, whatever the commit does.
/// </summary>
public sealed class BatcherTests
{
    private static readonly TimeSpan HangGuard = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task CallersWaitingWhileATurnIsHeld_AreCommittedTogether_OldestFirst_AsFarAsTheyFit()
    {
        var groups = new List<int[]>();
        var firstHeld = new TaskCompletionSource();
        var batcher = new Batcher<string, int, int>((group, _) => group.Count < 3, async (_, group, _) =>
        {
            lock (groups) groups.Add([.. group.Select(b => b.Item)]);
            if (group[0].Item == 1) await firstHeld.Task;
            foreach (var b in group) b.Succeed(b.Item * 10);
        });

        var first = batcher.CommitAsync("k", 1, CancellationToken.None);
        var others = new[] { 2, 3, 4, 5 }.Select(i => batcher.CommitAsync("k", i, CancellationToken.None)).ToList();
        firstHeld.SetResult();
        var answers = await Task.WhenAll(others.Prepend(first)).WaitAsync(HangGuard);

        Assert.Equal([10, 20, 30, 40, 50], answers);
        Assert.Equal([[1], [2, 3, 4], [5]], groups);
    }

    [Fact]
    public async Task ACommitThatThrows_FailsEveryItemOfItsGroup_WithWhatItThrew()
    {
        var firstHeld = new TaskCompletionSource();
        var batcher = new Batcher<string, int, int>((_, _) => true, async (_, group, _) =>
        {
            if (group[0].Item == 1)
            {
                await firstHeld.Task;
                group[0].Succeed(1);
                return;
            }
            throw new IOException("the transaction failed");
        });

        var first = batcher.CommitAsync("k", 1, CancellationToken.None);
        var failing = new[] { 2, 3 }.Select(i => batcher.CommitAsync("k", i, CancellationToken.None)).ToList();
        firstHeld.SetResult();

        Assert.Equal(1, await first.WaitAsync(HangGuard));
        foreach (var call in failing) await Assert.ThrowsAsync<IOException>(() => call.WaitAsync(HangGuard));
    }

    [Fact]
    public async Task ACommitThatLeavesAnItemUnanswered_FailsIt_RatherThanLeavingItsCallerWaiting()
    {
        var batcher = new Batcher<string, int, int>((_, _) => true, async (_, _, _) => await Task.Yield());

        await Assert.ThrowsAsync<InvalidOperationException>(() => batcher.CommitAsync("k", 1, CancellationToken.None).WaitAsync(HangGuard));
    }

    [Fact]
    public async Task AnItemCommittedAlone_TakesNoTurn_AndIsNotHeldBehindAGroup()
    {
        var firstHeld = new TaskCompletionSource();
        var batcher = new Batcher<string, int, int>((_, _) => true, async (_, group, _) =>
        {
            if (group[0].Item == 1) await firstHeld.Task;
            foreach (var b in group) b.Succeed(b.Item);
        });

        var first = batcher.CommitAsync("k", 1, CancellationToken.None);
        var alone = await batcher.CommitAloneAsync("k", 2, CancellationToken.None).WaitAsync(HangGuard);

        Assert.Equal(2, alone);
        Assert.False(first.IsCompleted);
        firstHeld.SetResult();
        Assert.Equal(1, await first.WaitAsync(HangGuard));
    }
}
