using System.Text;
using Azure.Core;
using Azure.Core.Pipeline;
using Azure.Data.Tables;
using SurveyBackend.Auditing.Linkage;
using SurveyBackend.Storage;

namespace SurveyBackend.Tests.Audit.Linkage;

/// <summary>
/// Watches the app's table client: after every write it reads the table written and records every table as it now
/// stands. Azurite stamps rows with the real time, which a compressed run makes meaningless, so each row is given
/// the simulated time of the write that last changed it (its ETag changed), one tick apart per write, as the
/// storage Timestamp would be. Writes are taken one at a time, so each snapshot shows exactly one write.
/// </summary>
public sealed class StorageRecorder(string connectionString, TimeProvider clock) : HttpPipelinePolicy
{
    private readonly TableServiceClient _reader = new(connectionString);
    private readonly SemaphoreSlim _oneWriteAtATime = new(1, 1);
    private readonly Dictionary<string, IReadOnlyList<StoredRow>> _tables = new(StringComparer.Ordinal);
    private readonly Dictionary<string, (string ETag, DateTimeOffset Stamp)> _stamps = new(StringComparer.Ordinal);
    private DateTimeOffset _lastStamp = DateTimeOffset.MinValue;

    public List<Snapshot> Snapshots { get; } = [];

    /// <summary>What the simulation was doing at each snapshot (its label), for the test's own checks; attackers never see it.</summary>
    public List<string> Phases { get; } = [];

    /// <summary>The simulation's current step, recorded with each snapshot it causes.</summary>
    public string Phase { get; set; } = "";

    public override void Process(HttpMessage message, ReadOnlyMemory<HttpPipelinePolicy> pipeline) =>
        ProcessAsync(message, pipeline).AsTask().GetAwaiter().GetResult();

    public override async ValueTask ProcessAsync(HttpMessage message, ReadOnlyMemory<HttpPipelinePolicy> pipeline)
    {
        if (message.Request.Method == RequestMethod.Get || message.Request.Method == RequestMethod.Head)
        {
            await ProcessNextAsync(message, pipeline);
            return;
        }
        await _oneWriteAtATime.WaitAsync();
        try
        {
            var tables = TablesWritten(message.Request);
            await ProcessNextAsync(message, pipeline);
            await RecordAsync(tables);
        }
        finally
        {
            _oneWriteAtATime.Release();
        }
    }

    private async Task RecordAsync(IReadOnlyCollection<string> tables)
    {
        var changed = false;
        foreach (var table in tables)
        {
            var rows = new List<StoredRow>();
            await foreach (var entity in _reader.GetTableClient(table).QueryAsync<TableEntity>())
            {
                var id = table + "/" + entity.PartitionKey + "/" + entity.RowKey;
                var etag = entity.ETag.ToString();
                if (!_stamps.TryGetValue(id, out var stamp) || stamp.ETag != etag)
                {
                    stamp = (etag, NextStamp());
                    _stamps[id] = stamp;
                    changed = true;
                }
                rows.Add(new StoredRow(table, entity.PartitionKey, entity.RowKey, stamp.Stamp, Properties(entity)));
            }
            var before = _tables.GetValueOrDefault(table) ?? [];
            changed |= before.Count != rows.Count;
            _tables[table] = rows;
        }
        if (!changed) return;
        Snapshots.Add(new Snapshot(Snapshots.Count, _lastStamp, new Dictionary<string, IReadOnlyList<StoredRow>>(_tables, StringComparer.Ordinal)));
        Phases.Add(Phase);
    }

    // Every write gets a later time than the one before, as storage's own clock would give it.
    private DateTimeOffset NextStamp() => _lastStamp = clock.GetUtcNow() > _lastStamp ? clock.GetUtcNow() : _lastStamp.AddTicks(1);

    private static Dictionary<string, object?> Properties(TableEntity entity) =>
        entity.Where(p => p.Key is not ("PartitionKey" or "RowKey" or "Timestamp" or "odata.etag") && !p.Key.EndsWith("@odata.type", StringComparison.Ordinal))
            .ToDictionary(p => p.Key, p => (object?)p.Value, StringComparer.Ordinal);

    /// <summary>The tables a write touches: named in its path, or for an entity group transaction in its body.</summary>
    private static IReadOnlyCollection<string> TablesWritten(Request request)
    {
        var text = request.Uri.Path + " ";
        if (text.EndsWith("/$batch ", StringComparison.Ordinal))
        {
            using var body = new MemoryStream();
            request.Content?.WriteTo(body, CancellationToken.None);
            text = Encoding.UTF8.GetString(body.ToArray());
        }
        // A table's name in a request line is followed by its key, its query or the end of the path.
        return [.. TableNames.All.Where(t => "( ?".Any(next => text.Contains("/" + t + next, StringComparison.Ordinal)))];
    }
}
