using System.Text;
using System.Text.Json;
using Azure;
using Azure.Data.Tables;
using SurveyBackend.Surveys;
using SurveyBackend.Web;

namespace SurveyBackend.Storage;

/// <summary>Survey definitions in the <c>surveys</c> table: one row per survey, the definition as JSON.</summary>
public sealed class SurveyStore(TableServiceClient tableService)
{
    private const string DefinitionRow = "definition";
    // A string property holds at most 32K UTF-16 characters; a long definition is split across properties.
    private const int PartLength = 30_000;

    private readonly TableClient _surveys = tableService.GetTableClient(TableNames.Surveys);
    private readonly TableClient _submissions = tableService.GetTableClient(TableNames.Submissions);
    private readonly TableClient _responses = tableService.GetTableClient(TableNames.Responses);

    public async Task<SurveyDefinition?> FindAsync(string surveyId, CancellationToken cancellationToken)
    {
        var row = await _surveys.GetEntityIfExistsAsync<TableEntity>(surveyId, DefinitionRow, cancellationToken: cancellationToken);
        return row.HasValue && row.Value is not null ? Read(row.Value) : null;
    }

    /// <summary>Every survey's definition, drafts included (the table holds one small row per survey).</summary>
    public async Task<IReadOnlyList<SurveyDefinition>> ListAsync(CancellationToken cancellationToken)
    {
        var surveys = new List<SurveyDefinition>();
        var filter = TableClient.CreateQueryFilter($"RowKey eq {DefinitionRow}");
        await foreach (var row in _surveys.QueryAsync<TableEntity>(filter, cancellationToken: cancellationToken))
        {
            if (Read(row) is { } definition) surveys.Add(definition);
        }
        return surveys;
    }

    private static SurveyDefinition? Read(TableEntity row)
    {
        var json = new StringBuilder();
        for (var i = 0; row.GetString($"Part{i}") is { } part; i++) json.Append(part);
        return JsonSerializer.Deserialize<SurveyDefinition>(json.ToString(), JsonDefaults.Options);
    }

    /// <summary>Creates or replaces a definition; true when it was created.</summary>
    public async Task<bool> SaveAsync(SurveyDefinition definition, CancellationToken cancellationToken)
    {
        var json = JsonSerializer.Serialize(definition, JsonDefaults.Options);
        var entity = new TableEntity(definition.Id, DefinitionRow) { ["UpdatedAt"] = DateTimeOffset.UtcNow };
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

    /// <summary>Whether any submission, raw or anonymised, exists for the survey (both tables use the survey id as PartitionKey).</summary>
    public async Task<bool> HasResponsesAsync(string surveyId, CancellationToken cancellationToken) =>
        await AnyInPartitionAsync(_submissions, surveyId, cancellationToken)
        || await AnyInPartitionAsync(_responses, surveyId, cancellationToken);

    private static async Task<bool> AnyInPartitionAsync(TableClient table, string partitionKey, CancellationToken cancellationToken)
    {
        var filter = TableClient.CreateQueryFilter($"PartitionKey eq {partitionKey}");
        await foreach (var _ in table.QueryAsync<TableEntity>(filter, maxPerPage: 1, select: ["RowKey"], cancellationToken: cancellationToken))
        {
            return true;
        }
        return false;
    }
}
