using System.IO.Compression;
using System.Text;
using Azure;
using Azure.Data.Tables;

namespace SurveyBackend.Storage;

/// <summary>A published report as stored: its texts and the results snapshot (JSON) taken at publication.</summary>
public sealed record StoredReport(
    string ReportId,
    string SurveyId,
    string Title,
    string Summary,
    DateTimeOffset PublishAt,
    string? ReportUrl,
    DateTimeOffset PublishedAt,
    string SnapshotJson,
    string? TranslationsJson = null,
    bool Final = false);

public enum MailingStatus
{
    /// <summary>Waiting for its publication time, or mailing: every run looks for recipients not yet mailed.</summary>
    Active,
    /// <summary>Every recipient had it (or failed, or unsubscribed) and no more can arrive.</summary>
    Complete,
}

/// <summary>A report's mailing progress: the small columns the mailer scans every run.</summary>
public sealed record ReportMailing(
    string ReportId,
    string SurveyId,
    DateTimeOffset PublishAt,
    MailingStatus Status,
    DateTimeOffset? CompletedAt,
    bool RecipientsPurged,
    bool Final = false);

/// <summary>
/// What retention has noted of a survey: when it was first seen taking submissions (where the period starts for a
/// survey with neither date), and when its addresses were deleted.
/// </summary>
public sealed record RetentionMark(DateTimeOffset? OpenSeenAt, DateTimeOffset? PurgedAt);

/// <summary>A report in a survey's list: its mailing columns, title and when it was published.</summary>
public sealed record ReportListing(ReportMailing Mailing, string Title, DateTimeOffset PublishedAt);

/// <summary>
/// The <c>reports</c> table. One row per report (PartitionKey = report id, RowKey = "report") holding the
/// texts, the snapshot split across properties, and the mailing progress; plus one lease row that keeps
/// two mailer runs from overlapping, and in partition <c>~retention</c> a <see cref="RetentionMark"/> per survey.
/// </summary>
public sealed class ReportStore(TableServiceClient tableService)
{
    private const string ReportRow = "report";
    private const string LeasePartition = "~mailer";
    private const string LeaseRow = "lease";
    // A report id is base64url, so no report's partition starts with '~'.
    private const string RetentionPartition = "~retention";
    // The snapshot is stored gzipped (JSON of many segments compresses about tenfold, and an entity holds at most
    // 1 MiB) and split across binary properties, which hold at most 64 KiB each.
    private const int PartBytes = 60 * 1024;

    private readonly TableClient _table = tableService.GetTableClient(TableNames.Reports);

    public async Task AddAsync(StoredReport report, CancellationToken cancellationToken)
    {
        var entity = new TableEntity(report.ReportId, ReportRow)
        {
            ["SurveyId"] = report.SurveyId,
            ["Title"] = report.Title,
            ["Summary"] = report.Summary,
            ["PublishAt"] = report.PublishAt,
            ["ReportUrl"] = report.ReportUrl,
            ["PublishedAt"] = report.PublishedAt,
            // The publisher's title and summary in the other languages (JSON, language → texts); absent when English only.
            ["Translations"] = report.TranslationsJson,
            ["MailingStatus"] = MailingStatus.Active.ToString(),
            ["RecipientsPurged"] = false,
            // The survey's last report: its addresses are deleted Mailing:RetentionDays after it has been mailed.
            ["Final"] = report.Final,
        };
        var zipped = Compress(report.SnapshotJson);
        for (var i = 0; i * PartBytes < zipped.Length; i++)
        {
            entity[$"Snapshot{i}"] = zipped.AsSpan(i * PartBytes, Math.Min(PartBytes, zipped.Length - i * PartBytes)).ToArray();
        }
        await _table.AddEntityAsync(entity, cancellationToken);
    }

    public async Task<StoredReport?> FindAsync(string reportId, CancellationToken cancellationToken)
    {
        var row = await _table.GetEntityIfExistsAsync<TableEntity>(reportId, ReportRow, cancellationToken: cancellationToken);
        if (!row.HasValue || row.Value is not { } e) return null;

        using var zipped = new MemoryStream();
        for (var i = 0; e.GetBinary($"Snapshot{i}") is { } part; i++) zipped.Write(part);
        var json = Decompress(zipped.ToArray());
        return new StoredReport(
            e.PartitionKey,
            e.GetString("SurveyId") ?? "",
            e.GetString("Title") ?? "",
            e.GetString("Summary") ?? "",
            e.GetDateTimeOffset("PublishAt") ?? DateTimeOffset.MaxValue,
            e.GetString("ReportUrl"),
            e.GetDateTimeOffset("PublishedAt") ?? DateTimeOffset.MinValue,
            json,
            e.GetString("Translations"),
            e.GetBoolean("Final") ?? false);
    }

    private static byte[] Compress(string text)
    {
        using var output = new MemoryStream();
        using (var gzip = new GZipStream(output, CompressionLevel.Optimal)) gzip.Write(Encoding.UTF8.GetBytes(text));
        return output.ToArray();
    }

    private static string Decompress(byte[] bytes)
    {
        if (bytes.Length == 0) return "";
        using var gzip = new GZipStream(new MemoryStream(bytes), CompressionMode.Decompress);
        using var reader = new StreamReader(gzip, Encoding.UTF8);
        return reader.ReadToEnd();
    }

    public async Task<ReportMailing?> FindMailingAsync(string reportId, CancellationToken cancellationToken)
    {
        var row = await _table.GetEntityIfExistsAsync<TableEntity>(reportId, ReportRow, select: MailingColumns, cancellationToken: cancellationToken);
        return row.HasValue && row.Value is { } e ? ToMailing(e) : null;
    }

    /// <summary>
    /// A survey's reports, small columns only. A scan of the reports table filtered on SurveyId: it holds a row per
    /// report (a handful per survey) and the mailer's lease, so the scan stays small.
    /// </summary>
    public async Task<IReadOnlyList<ReportListing>> ListForSurveyAsync(string surveyId, CancellationToken cancellationToken)
    {
        var filter = TableClient.CreateQueryFilter($"RowKey eq {ReportRow} and SurveyId eq {surveyId}");
        var reports = new List<ReportListing>();
        await foreach (var e in _table.QueryAsync<TableEntity>(filter, select: [.. MailingColumns, "Title", "PublishedAt"], cancellationToken: cancellationToken))
        {
            reports.Add(new ReportListing(ToMailing(e), e.GetString("Title") ?? "", e.GetDateTimeOffset("PublishedAt") ?? DateTimeOffset.MinValue));
        }
        return [.. reports.OrderBy(r => r.PublishedAt)];
    }

    /// <summary>Every report whose recipients have not yet been purged (few: one or two per survey).</summary>
    public async Task<IReadOnlyList<ReportMailing>> ListUnpurgedAsync(CancellationToken cancellationToken)
    {
        var filter = TableClient.CreateQueryFilter($"RowKey eq {ReportRow} and RecipientsPurged eq {false}");
        var mailings = new List<ReportMailing>();
        await foreach (var e in _table.QueryAsync<TableEntity>(filter, select: MailingColumns, cancellationToken: cancellationToken))
        {
            mailings.Add(ToMailing(e));
        }
        return mailings;
    }

    /// <summary>Every report's mailing columns (a row per report, small columns only): retention groups them by survey.</summary>
    public async Task<IReadOnlyList<ReportMailing>> ListMailingsAsync(CancellationToken cancellationToken)
    {
        var filter = TableClient.CreateQueryFilter($"RowKey eq {ReportRow}");
        var mailings = new List<ReportMailing>();
        await foreach (var e in _table.QueryAsync<TableEntity>(filter, select: MailingColumns, cancellationToken: cancellationToken)) mailings.Add(ToMailing(e));
        return mailings;
    }

    public Task MarkCompleteAsync(string reportId, DateTimeOffset completedAt, CancellationToken cancellationToken) =>
        _table.UpdateEntityAsync(
            new TableEntity(reportId, ReportRow) { ["MailingStatus"] = MailingStatus.Complete.ToString(), ["CompletedAt"] = completedAt },
            ETag.All, TableUpdateMode.Merge, cancellationToken);

    public Task MarkPurgedAsync(string reportId, DateTimeOffset purgedAt, CancellationToken cancellationToken) =>
        _table.UpdateEntityAsync(
            new TableEntity(reportId, ReportRow) { ["RecipientsPurged"] = true, ["PurgedAt"] = purgedAt },
            ETag.All, TableUpdateMode.Merge, cancellationToken);

    public Task MarkFinalAsync(string reportId, CancellationToken cancellationToken) =>
        _table.UpdateEntityAsync(new TableEntity(reportId, ReportRow) { ["Final"] = true }, ETag.All, TableUpdateMode.Merge, cancellationToken);

    /// <summary>Every survey's retention mark: one query of one partition (a small row per survey).</summary>
    public async Task<Dictionary<string, RetentionMark>> ListRetentionMarksAsync(CancellationToken cancellationToken)
    {
        var marks = new Dictionary<string, RetentionMark>(StringComparer.Ordinal);
        var filter = TableClient.CreateQueryFilter($"PartitionKey eq {RetentionPartition}");
        await foreach (var row in _table.QueryAsync<TableEntity>(filter, cancellationToken: cancellationToken))
        {
            marks[row.RowKey] = new RetentionMark(row.GetDateTimeOffset("OpenSeenAt"), row.GetDateTimeOffset("PurgedAt"));
        }
        return marks;
    }

    public async Task<RetentionMark?> FindRetentionMarkAsync(string surveyId, CancellationToken cancellationToken)
    {
        var row = await _table.GetEntityIfExistsAsync<TableEntity>(RetentionPartition, surveyId, cancellationToken: cancellationToken);
        return row.HasValue && row.Value is { } e ? new RetentionMark(e.GetDateTimeOffset("OpenSeenAt"), e.GetDateTimeOffset("PurgedAt")) : null;
    }

    public Task SetRetentionMarkAsync(string surveyId, RetentionMark mark, CancellationToken cancellationToken) =>
        _table.UpsertEntityAsync(new TableEntity(RetentionPartition, surveyId) { ["OpenSeenAt"] = mark.OpenSeenAt, ["PurgedAt"] = mark.PurgedAt },
            TableUpdateMode.Replace, cancellationToken);

    /// <summary>
    /// Takes the mailer's lease until <paramref name="until"/>, ETag-conditional so that of two racing runs one wins; false
    /// when another holds it. A 409 or 412 may be our own retried write, so the row is read again: ours if it names us.
    /// </summary>
    public async Task<bool> TryAcquireMailerLeaseAsync(string owner, DateTimeOffset now, DateTimeOffset until, CancellationToken cancellationToken)
    {
        var lease = new TableEntity(LeasePartition, LeaseRow) { ["Owner"] = owner, ["Until"] = until };
        try
        {
            var current = await _table.GetEntityIfExistsAsync<TableEntity>(LeasePartition, LeaseRow, cancellationToken: cancellationToken);
            if (!current.HasValue || current.Value is null)
            {
                await _table.AddEntityAsync(lease, cancellationToken);
                return true;
            }
            if (current.Value.GetDateTimeOffset("Until") is { } held && held > now) return false;
            await _table.UpdateEntityAsync(lease, current.Value.ETag, TableUpdateMode.Replace, cancellationToken);
            return true;
        }
        catch (RequestFailedException ex) when (ex.Status is 409 or 412)
        {
            var current = await _table.GetEntityIfExistsAsync<TableEntity>(LeasePartition, LeaseRow, cancellationToken: cancellationToken);
            return current.HasValue && current.Value is { } row && row.GetString("Owner") == owner && row.GetDateTimeOffset("Until") == until;
        }
    }

    public async Task ReleaseMailerLeaseAsync(string owner, CancellationToken cancellationToken)
    {
        var current = await _table.GetEntityIfExistsAsync<TableEntity>(LeasePartition, LeaseRow, cancellationToken: cancellationToken);
        if (!current.HasValue || current.Value is null || current.Value.GetString("Owner") != owner) return;
        try
        {
            await _table.DeleteEntityAsync(LeasePartition, LeaseRow, current.Value.ETag, cancellationToken);
        }
        catch (RequestFailedException ex) when (ex.Status is 404 or 412)
        {
            // Another run took the lease after ours expired: it is theirs now.
        }
    }

    private static readonly string[] MailingColumns =
        ["PartitionKey", "SurveyId", "PublishAt", "MailingStatus", "CompletedAt", "RecipientsPurged", "Final"];

    private static ReportMailing ToMailing(TableEntity e) => new(
        e.PartitionKey,
        e.GetString("SurveyId") ?? "",
        e.GetDateTimeOffset("PublishAt") ?? DateTimeOffset.MaxValue,
        Enum.TryParse<MailingStatus>(e.GetString("MailingStatus"), out var status) ? status : MailingStatus.Active,
        e.GetDateTimeOffset("CompletedAt"),
        e.GetBoolean("RecipientsPurged") ?? false,
        e.GetBoolean("Final") ?? false);
}
