using Azure.Data.Tables;

namespace SurveyBackend.Storage;

/// <summary>
/// An anonymous response: answers only. <see cref="ResponseKey"/> is a keyed hash of the submission id under the
/// app's secret, so it cannot be tied to the client's id, the raw row's key or a recipient; <see cref="Day"/> is
/// the day it was received (yyyy-MM-dd), never the time. Its "Other" text is already scrubbed.
/// </summary>
public sealed record AnonymousResponse(string SurveyId, string ResponseKey, string Day, Answers Answers);

/// <summary>
/// Reads the anonymous responses. A response is stored as its own counting marker, in its counter shard's partition
/// of the <c>aggregates</c> table (see <see cref="AggregateStore"/>), so this reads those partitions' response rows.
/// </summary>
public sealed class ResponseStore(TableServiceClient tableService)
{
    private readonly TableClient _table = tableService.GetTableClient(TableNames.Aggregates);

    public async IAsyncEnumerable<AnonymousResponse> ListAsync(string surveyId, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await foreach (var row in _table.QueryAsync<TableEntity>(AggregateStore.ResponsesOf(surveyId), select: ["RowKey", "Day", "AnswersJson"], cancellationToken: cancellationToken))
        {
            yield return AggregateStore.ResponseFrom(surveyId, row);
        }
    }

    /// <summary>Whether the survey has any response counted.</summary>
    public async Task<bool> AnyAsync(string surveyId, CancellationToken cancellationToken)
    {
        await foreach (var _ in _table.QueryAsync<TableEntity>(AggregateStore.ResponsesOf(surveyId), maxPerPage: 1, select: ["RowKey"], cancellationToken: cancellationToken))
        {
            return true;
        }
        return false;
    }
}
