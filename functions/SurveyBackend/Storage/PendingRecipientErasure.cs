using Azure.Data.Tables;

namespace SurveyBackend.Storage;

/// <summary>
/// Deleting addresses from the pool, for retention (a whole survey's) and for an unsubscribe (one address's, now): in a
/// file of its own beside the pool's layout, so a change of layout changes only the prefixes it walks.
/// </summary>
public sealed partial class PendingRecipientStore
{
    /// <summary>Every range of a survey's pool that holds an address: waiting (and waiting under the older layout), and set aside as unreadable.</summary>
    private static readonly string[] AddressRanges = [WaitingPrefix, LegacyWaitingPrefix, UnreadablePrefix];

    /// <summary>The ranges whose seals can be opened to find one address.</summary>
    private static readonly string[] WaitingRanges = [WaitingPrefix, LegacyWaitingPrefix];

    /// <summary>Deletes every address of the survey's pool, waiting or set aside (past retention, none may stay); how many there were.</summary>
    public async Task<int> DeleteAllAsync(string surveyId, CancellationToken cancellationToken)
    {
        var keys = new List<string>();
        foreach (var prefix in AddressRanges)
        {
            await foreach (var row in _table.QueryAsync<TableEntity>(InRange(surveyId, prefix), maxPerPage: PageSize, select: ["RowKey"], cancellationToken: cancellationToken)) keys.Add(row.RowKey);
        }
        await DeleteAsync(surveyId, keys, cancellationToken);
        return keys.Count;
    }

    /// <summary>
    /// Erases an address from the survey's pool at once: every waiting row whose seal <paramref name="matches"/> says is
    /// theirs (the caller opens it) is deleted now, not left for a flush. How many were.
    /// </summary>
    public async Task<int> EraseAsync(string surveyId, Func<string, bool> matches, CancellationToken cancellationToken)
    {
        var keys = new List<string>();
        foreach (var prefix in WaitingRanges)
        {
            await foreach (var row in _table.QueryAsync<TableEntity>(InRange(surveyId, prefix), maxPerPage: PageSize, cancellationToken: cancellationToken))
            {
                if (matches(row.GetString("Sealed") ?? "")) keys.Add(row.RowKey);
            }
        }
        await DeleteAsync(surveyId, keys, cancellationToken);
        return keys.Count;
    }
}
