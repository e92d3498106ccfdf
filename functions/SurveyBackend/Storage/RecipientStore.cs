using Azure;
using Azure.Data.Tables;

namespace SurveyBackend.Storage;

/// <summary>One address that asked for a survey's report: the address and nothing else of the response.</summary>
/// <param name="Language">The language the respondent used (en, cy), the one thing kept beside the address; null when none was given.</param>
public sealed record Recipient(string SurveyId, string RecipientKey, string Email, string? Language = null);

/// <summary>
/// The <c>recipients</c> table. PartitionKey = survey id; RowKey = a keyed hash of the normalised address
/// (<c>PrivacyKeys.ForRecipient</c>), so one address is one recipient per survey and
/// row order says nothing about when anyone responded. The anonymiser adds; the mailer reads and deletes.
/// </summary>
public sealed class RecipientStore(TableServiceClient tableService)
{
    private const int TransactionSize = 100;

    private readonly TableClient _table = tableService.GetTableClient(TableNames.Recipients);

    /// <summary>Adds the address, or leaves the existing row as it is (an address twice is one recipient).</summary>
    public async Task AddAsync(string surveyId, string recipientKey, string email, string? language, CancellationToken cancellationToken)
    {
        try
        {
            await _table.AddEntityAsync(new TableEntity(surveyId, recipientKey) { ["Email"] = email, ["Language"] = language }, cancellationToken);
        }
        catch (RequestFailedException ex) when (ex.Status == 409)
        {
            // Already a recipient: nothing to do.
        }
    }

    /// <summary>
    /// Adds every recipient of a batch in entity-group transactions of 100, in the order given, so that a batch lands
    /// as one write with one Timestamp. An address already a recipient is left as it is: the transaction that fails on
    /// it goes again without it. Each address once (one row may appear once in a transaction).
    /// </summary>
    public async Task AddAllAsync(string surveyId, IEnumerable<Recipient> recipients, CancellationToken cancellationToken)
    {
        var distinct = recipients.DistinctBy(r => r.RecipientKey, StringComparer.Ordinal);
        foreach (var chunk in distinct.Chunk(TransactionSize))
        {
            var actions = chunk.Select(r => new TableTransactionAction(TableTransactionActionType.Add,
                new TableEntity(surveyId, r.RecipientKey) { ["Email"] = r.Email, ["Language"] = r.Language })).ToList();
            while (actions.Count > 0)
            {
                try
                {
                    await _table.SubmitTransactionAsync(actions, cancellationToken);
                    break;
                }
                catch (TableTransactionFailedException ex) when (ex.Status == 409 && ex.FailedTransactionActionIndex is { } index && index < actions.Count)
                {
                    actions.RemoveAt(index);
                }
            }
        }
    }

    public async IAsyncEnumerable<Recipient> ListAsync(string surveyId, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var filter = TableClient.CreateQueryFilter($"PartitionKey eq {surveyId}");
        await foreach (var row in _table.QueryAsync<TableEntity>(filter, select: ["PartitionKey", "RowKey", "Email", "Language"], cancellationToken: cancellationToken))
        {
            if (row.GetString("Email") is { Length: > 0 } email) yield return new Recipient(row.PartitionKey, row.RowKey, email, row.GetString("Language"));
        }
    }

    /// <summary>Whether the survey has a recipient under this key (one point read).</summary>
    public async Task<bool> ExistsAsync(string surveyId, string recipientKey, CancellationToken cancellationToken) =>
        (await _table.GetEntityIfExistsAsync<TableEntity>(surveyId, recipientKey, select: ["RowKey"], cancellationToken: cancellationToken)).HasValue;

    public async Task DeleteAsync(string surveyId, string recipientKey, CancellationToken cancellationToken)
    {
        try
        {
            await _table.DeleteEntityAsync(surveyId, recipientKey, ETag.All, cancellationToken);
        }
        catch (RequestFailedException ex) when (ex.Status == 404)
        {
            // Gone already.
        }
    }

    /// <summary>Deletes every address of the survey, 100 to a transaction; how many there were.</summary>
    public async Task<int> DeleteAllAsync(string surveyId, CancellationToken cancellationToken)
    {
        var filter = TableClient.CreateQueryFilter($"PartitionKey eq {surveyId}");
        var keys = new List<string>();
        await foreach (var row in _table.QueryAsync<TableEntity>(filter, select: ["RowKey"], cancellationToken: cancellationToken)) keys.Add(row.RowKey);
        foreach (var chunk in keys.Chunk(TransactionSize))
        {
            await _table.SubmitTransactionAsync(chunk.Select(k => new TableTransactionAction(TableTransactionActionType.Delete, new TableEntity(surveyId, k), ETag.All)), cancellationToken);
        }
        return keys.Count;
    }
}
