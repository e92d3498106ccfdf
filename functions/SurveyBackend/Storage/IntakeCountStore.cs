using System.Globalization;
using Azure.Data.Tables;
using SurveyBackend.Intake;

namespace SurveyBackend.Storage;

/// <summary>
/// The <c>intakecounts</c> table: posts accepted and refused, by reason, per hour and instance, and nothing about who sent
/// them. Each instance writes its own rows whole, so nothing merges and no ETag races (layout: docs/console.md).
/// </summary>
public sealed class IntakeCountStore(TableServiceClient tableService)
{
    private readonly TableClient _table = tableService.GetTableClient(TableNames.IntakeCounts);

    public Task WriteAsync(string instance, HourCounts hour, CancellationToken cancellationToken)
    {
        var entity = new TableEntity(hour.Hour.ToString("yyyyMMdd", CultureInfo.InvariantCulture), hour.Hour.ToString("HH", CultureInfo.InvariantCulture) + "|" + instance);
        foreach (var what in Enum.GetValues<IntakeCount>()) entity[what.ToString()] = hour[what];
        return _table.UpsertEntityAsync(entity, TableUpdateMode.Replace, cancellationToken);
    }

    /// <summary>Every instance's rows for the hours from <paramref name="from"/> on: one range query over the days they fall in.</summary>
    public async Task<IReadOnlyList<(string Instance, HourCounts Hour)>> ReadAsync(DateTimeOffset from, CancellationToken cancellationToken)
    {
        var rows = new List<(string, HourCounts)>();
        var filter = TableClient.CreateQueryFilter($"PartitionKey ge {from.UtcDateTime.ToString("yyyyMMdd", CultureInfo.InvariantCulture)}");
        await foreach (var e in _table.QueryAsync<TableEntity>(filter, cancellationToken: cancellationToken))
        {
            var hour = DateTimeOffset.ParseExact(e.PartitionKey + e.RowKey[..2], "yyyyMMddHH", CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal);
            if (hour < from) continue;
            var counts = Enum.GetValues<IntakeCount>().Select(what => e.GetInt64(what.ToString()) ?? 0).ToArray();
            rows.Add((e.RowKey[3..], new HourCounts(hour, counts)));
        }
        return rows;
    }
}
