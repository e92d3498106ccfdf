using System.Text.Json;
using Azure;
using Azure.Data.Tables;
using SurveyBackend.Web;

namespace SurveyBackend.Storage;

/// <summary>
/// An anonymous response: answers only. <see cref="ResponseKey"/> is a keyed hash of the submission id under the
/// app's secret, so it cannot be tied to the client's id, the raw row's key or a recipient; <see cref="Day"/> is
/// the day it was received (yyyy-MM-dd), never the time.
/// </summary>
public sealed record AnonymousResponse(
    string SurveyId,
    string ResponseKey,
    string Day,
    IReadOnlyDictionary<string, IReadOnlyList<string>> Answers,
    IReadOnlyDictionary<string, string> Other);

/// <summary>The <c>responses</c> table. PartitionKey = survey id; RowKey = the response key.</summary>
public sealed class ResponseStore(TableServiceClient tableService)
{
    private readonly TableClient _table = tableService.GetTableClient(TableNames.Responses);

    /// <summary>Adds the response; false when it is already there (a redelivery wrote it before).</summary>
    public async Task<bool> TryAddAsync(AnonymousResponse response, CancellationToken cancellationToken)
    {
        var entity = new TableEntity(response.SurveyId, response.ResponseKey)
        {
            ["Day"] = response.Day,
            ["AnswersJson"] = JsonSerializer.Serialize(response.Answers, JsonDefaults.Options),
            ["OtherJson"] = response.Other.Count == 0 ? null : JsonSerializer.Serialize(response.Other, JsonDefaults.Options),
        };
        try
        {
            await _table.AddEntityAsync(entity, cancellationToken);
            return true;
        }
        catch (RequestFailedException ex) when (ex.Status == 409)
        {
            return false;
        }
    }

    public async IAsyncEnumerable<AnonymousResponse> ListAsync(string surveyId, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var filter = TableClient.CreateQueryFilter($"PartitionKey eq {surveyId}");
        await foreach (var row in _table.QueryAsync<TableEntity>(filter, select: ["PartitionKey", "RowKey", "Day", "AnswersJson", "OtherJson"], cancellationToken: cancellationToken))
        {
            var answers = JsonSerializer.Deserialize<Dictionary<string, string[]>>(row.GetString("AnswersJson") ?? "{}", JsonDefaults.Options) ?? [];
            var other = row.GetString("OtherJson") is { Length: > 0 } json
                ? JsonSerializer.Deserialize<Dictionary<string, string>>(json, JsonDefaults.Options) ?? []
                : [];
            yield return new AnonymousResponse(
                row.PartitionKey, row.RowKey, row.GetString("Day") ?? "",
                answers.ToDictionary(a => a.Key, a => (IReadOnlyList<string>)a.Value, StringComparer.Ordinal),
                other);
        }
    }
}
