using System.IO.Compression;
using System.Text;
using System.Text.Json;
using Azure;
using Azure.Data.Tables;

namespace SurveyBackend.Storage;

/// <summary>
/// A release as stored. <see cref="ResultsJson"/> is the published document (what the public may see);
/// <see cref="CountsJson"/> the raw counts it was built from, which only the operator can read and which later
/// releases need to protect this one. Both are null when a listing asked only for the small columns.
/// </summary>
public sealed record StoredRelease(
    string SurveyId,
    int Number,
    int Respondents,
    DateTimeOffset CreatedAt,
    int HiddenFigures,
    string? ResultsJson,
    string? CountsJson);

/// <summary>A release that a report shows, and when that report became (or becomes) public.</summary>
public sealed record PublicRelease(int Release, DateTimeOffset PublishAt);

/// <summary>
/// The <c>releases</c> table, a partition per survey: a row per release (<c>r|{number:D6}</c>, oldest first, never
/// updated), and a <c>public</c> row listing the releases reports show, so the latest public release is two point reads.
/// </summary>
public sealed class ReleaseStore(TableServiceClient tableService)
{
    private const string ReleasePrefix = "r|";
    // '}' follows '|': every release key sorts between the two.
    private const string ReleaseEnd = "r}";
    private const string PublicRow = "public";
    // Documents are gzipped (an entity holds at most 1 MiB) and split across binary properties of at most 64 KiB.
    private const int PartBytes = 60 * 1024;
    private const int MaxIndexRetries = 10;

    private static readonly string[] SmallColumns = ["PartitionKey", "RowKey", "Release", "Respondents", "CreatedAt", "HiddenFigures"];

    private readonly TableClient _table = tableService.GetTableClient(TableNames.Releases);

    public static string RowKey(int number) => $"{ReleasePrefix}{number:D6}";

    /// <summary>
    /// Adds the release under its number; false when that number is taken (another release was made first). The
    /// insert is the race's referee: Table Storage accepts exactly one insert per key.
    /// </summary>
    public async Task<bool> TryAddAsync(StoredRelease release, CancellationToken cancellationToken)
    {
        var entity = new TableEntity(release.SurveyId, RowKey(release.Number))
        {
            ["Release"] = release.Number,
            ["Respondents"] = release.Respondents,
            ["CreatedAt"] = release.CreatedAt,
            ["HiddenFigures"] = release.HiddenFigures,
        };
        WriteParts(entity, "Results", release.ResultsJson ?? "");
        WriteParts(entity, "Counts", release.CountsJson ?? "");
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

    /// <summary>A survey's releases, oldest first; with <paramref name="withDocuments"/> false, only the small columns.</summary>
    public async Task<IReadOnlyList<StoredRelease>> ListAsync(string surveyId, bool withDocuments, CancellationToken cancellationToken)
    {
        var filter = TableClient.CreateQueryFilter($"PartitionKey eq {surveyId} and RowKey ge {ReleasePrefix} and RowKey lt {ReleaseEnd}");
        var releases = new List<StoredRelease>();
        await foreach (var e in _table.QueryAsync<TableEntity>(filter, select: withDocuments ? null : SmallColumns, cancellationToken: cancellationToken))
        {
            releases.Add(FromEntity(e, withDocuments));
        }
        return [.. releases.OrderBy(r => r.Number)];
    }

    public async Task<StoredRelease?> FindAsync(string surveyId, int number, CancellationToken cancellationToken)
    {
        if (number < 1) return null;
        var row = await _table.GetEntityIfExistsAsync<TableEntity>(surveyId, RowKey(number), cancellationToken: cancellationToken);
        return row.HasValue && row.Value is { } e ? FromEntity(e, withDocuments: true) : null;
    }

    /// <summary>The releases reports show, with the earliest publishAt of each (one point read).</summary>
    public async Task<IReadOnlyList<PublicRelease>> ListPublicAsync(string surveyId, CancellationToken cancellationToken)
    {
        var row = await _table.GetEntityIfExistsAsync<TableEntity>(surveyId, PublicRow, cancellationToken: cancellationToken);
        return row.HasValue && row.Value is { } e ? ReadIndex(e) : [];
    }

    /// <summary>
    /// Records that a report shows <paramref name="release"/> from <paramref name="publishAt"/> (keeping the earliest
    /// time if another report shows it too). Conditional on the row's ETag, retried, so two publications never lose one.
    /// </summary>
    public async Task MarkPublicAsync(string surveyId, int release, DateTimeOffset publishAt, CancellationToken cancellationToken)
    {
        for (var attempt = 0; ; attempt++)
        {
            var row = await _table.GetEntityIfExistsAsync<TableEntity>(surveyId, PublicRow, cancellationToken: cancellationToken);
            var current = row.HasValue && row.Value is { } e ? ReadIndex(e) : [];
            var existing = current.FirstOrDefault(p => p.Release == release);
            if (existing is not null && existing.PublishAt <= publishAt) return;
            List<PublicRelease> next = [.. current.Where(p => p.Release != release), new PublicRelease(release, publishAt)];
            var entity = new TableEntity(surveyId, PublicRow) { ["Index"] = JsonSerializer.Serialize(next.OrderBy(p => p.Release).ToList()) };
            try
            {
                if (row.HasValue && row.Value is { } old) await _table.UpdateEntityAsync(entity, old.ETag, TableUpdateMode.Replace, cancellationToken);
                else await _table.AddEntityAsync(entity, cancellationToken);
                return;
            }
            catch (RequestFailedException ex) when (ex.Status is 409 or 412 && attempt < MaxIndexRetries)
            {
                // Another publication changed the index first: read it again.
            }
        }
    }

    private static List<PublicRelease> ReadIndex(TableEntity e) =>
        e.GetString("Index") is { Length: > 0 } json ? JsonSerializer.Deserialize<List<PublicRelease>>(json) ?? [] : [];

    private static StoredRelease FromEntity(TableEntity e, bool withDocuments) => new(
        e.PartitionKey,
        e.GetInt32("Release") ?? 0,
        e.GetInt32("Respondents") ?? 0,
        e.GetDateTimeOffset("CreatedAt") ?? DateTimeOffset.MinValue,
        e.GetInt32("HiddenFigures") ?? 0,
        withDocuments ? ReadParts(e, "Results") : null,
        withDocuments ? ReadParts(e, "Counts") : null);

    private static void WriteParts(TableEntity entity, string name, string text)
    {
        var zipped = Compress(text);
        for (var i = 0; i * PartBytes < zipped.Length; i++)
        {
            entity[$"{name}{i}"] = zipped.AsSpan(i * PartBytes, Math.Min(PartBytes, zipped.Length - i * PartBytes)).ToArray();
        }
    }

    private static string ReadParts(TableEntity entity, string name)
    {
        using var zipped = new MemoryStream();
        for (var i = 0; entity.GetBinary($"{name}{i}") is { } part; i++) zipped.Write(part);
        if (zipped.Length == 0) return "";
        zipped.Position = 0;
        using var gzip = new GZipStream(zipped, CompressionMode.Decompress);
        using var reader = new StreamReader(gzip, Encoding.UTF8);
        return reader.ReadToEnd();
    }

    private static byte[] Compress(string text)
    {
        using var output = new MemoryStream();
        using (var gzip = new GZipStream(output, CompressionLevel.Optimal)) gzip.Write(Encoding.UTF8.GetBytes(text));
        return output.ToArray();
    }
}
