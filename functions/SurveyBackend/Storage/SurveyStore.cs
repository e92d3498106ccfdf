using System.Text;
using Azure;
using Azure.Data.Tables;

namespace SurveyBackend.Storage;

/// <summary>A survey definition as stored: its JSON, and when it was last saved.</summary>
public sealed record StoredSurvey(string Json, DateTimeOffset? SavedAt);

/// <summary>
/// Survey definitions in the <c>surveys</c> table: one row per survey, the definition as JSON. What the JSON means
/// is the Surveys area's business; this store only keeps it.
/// </summary>
public sealed class SurveyStore(TableServiceClient tableService)
{
    private const string DefinitionRow = "definition";
    // A string property holds at most 32K UTF-16 characters; a long definition is split across properties.
    private const int PartLength = 30_000;

    private readonly TableClient _surveys = tableService.GetTableClient(TableNames.Surveys);

    public async Task<StoredSurvey?> FindAsync(string surveyId, CancellationToken cancellationToken)
    {
        var row = await _surveys.GetEntityIfExistsAsync<TableEntity>(surveyId, DefinitionRow, cancellationToken: cancellationToken);
        if (!row.HasValue || row.Value is null) return null;

        var json = new StringBuilder();
        for (var i = 0; row.Value.GetString($"Part{i}") is { } part; i++) json.Append(part);
        return new StoredSurvey(json.ToString(), row.Value.GetDateTimeOffset("UpdatedAt"));
    }

    /// <summary>Creates or replaces a definition; true when it was created.</summary>
    public async Task<bool> SaveAsync(string surveyId, string json, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var entity = new TableEntity(surveyId, DefinitionRow) { ["UpdatedAt"] = now };
        for (var i = 0; i * PartLength < json.Length; i++)
        {
            entity[$"Part{i}"] = json.Substring(i * PartLength, Math.Min(PartLength, json.Length - i * PartLength));
        }
        try
        {
            await _surveys.AddEntityAsync(entity, cancellationToken);
            return true;
        }
        catch (RequestFailedException ex) when (ex.Status == 409)
        {
            await _surveys.UpsertEntityAsync(entity, TableUpdateMode.Replace, cancellationToken);
            return false;
        }
    }

    /// <summary>Every survey's id: one query of a table with a row per survey (pages of 1,000).</summary>
    public async Task<List<string>> ListIdsAsync(CancellationToken cancellationToken)
    {
        var ids = new List<string>();
        var filter = TableClient.CreateQueryFilter($"RowKey eq {DefinitionRow}");
        await foreach (var row in _surveys.QueryAsync<TableEntity>(filter, maxPerPage: 1000, select: ["PartitionKey"], cancellationToken: cancellationToken))
        {
            ids.Add(row.PartitionKey);
        }
        return ids;
    }
}
