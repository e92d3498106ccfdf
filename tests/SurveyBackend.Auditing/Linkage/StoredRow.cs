namespace SurveyBackend.Auditing.Linkage;

/// <summary>One row as an operator reads it from storage, with the storage Timestamp of its last write.</summary>
public sealed record StoredRow(string Table, string PartitionKey, string RowKey, DateTimeOffset Timestamp, IReadOnlyDictionary<string, object?> Properties)
{
    public string Id => Table + "/" + PartitionKey + "/" + RowKey;

    public string? Text(string name) => Properties.TryGetValue(name, out var value) && value is string { Length: > 0 } text ? text : null;
}

/// <summary>Every table as it stood after one write (or at one read).</summary>
public sealed record Snapshot(int Index, DateTimeOffset At, IReadOnlyDictionary<string, IReadOnlyList<StoredRow>> Tables)
{
    public IEnumerable<StoredRow> Rows => Tables.Values.SelectMany(rows => rows);

    public IReadOnlyList<StoredRow> Table(string name) => Tables.TryGetValue(name, out var rows) ? rows : [];
}

/// <summary>
/// What a row is, as an operator tells it from the data itself (Kerckhoffs: the attacker knows the design, not the
/// secret), so that the same attacks read every storage layout the app has had.
/// </summary>
public static class Roles
{
    public const string Responses = "aggregates";
    public const string Recipients = "recipients";

    // AES-GCM's nonce (12 bytes) and tag (16) around what the seal holds.
    private const int SealOverhead = 28;

    public static bool IsResponse(StoredRow row) => row.Table == Responses && row.Text("AnswersJson") is not null;

    public static bool IsRecipient(StoredRow row) => row.Table == Recipients && row.Text("Email") is not null;

    public static bool HoldsAnswers(StoredRow row) => row.Text("AnswersJson") is not null;

    /// <summary>A sealed address on the row (any property named for a seal), or null.</summary>
    public static string? Sealed(StoredRow row) =>
        row.Properties.Where(p => p.Key.Contains("Sealed", StringComparison.Ordinal)).Select(p => p.Value as string).FirstOrDefault(v => !string.IsNullOrEmpty(v));

    /// <summary>An address in clear anywhere but the recipients table (a raw submission of an older layout), or null.</summary>
    public static string? ClearAddress(StoredRow row) => row.Table == Recipients ? null : row.Text("Email");

    /// <summary>A sealed address that waits on its own (not beside answers).</summary>
    public static bool IsWaitingAddress(StoredRow row) => Sealed(row) is not null && !HoldsAnswers(row);

    /// <summary>How many bytes the seal holds, as its format gives away; null when it is not a seal.</summary>
    public static int? SealedLength(string sealedText)
    {
        try
        {
            return Convert.FromBase64String(sealedText).Length - SealOverhead;
        }
        catch (FormatException)
        {
            return null;
        }
    }

    /// <summary>How many bytes a seal of this address holds unpadded: the address, after its language and a colon when it has one.</summary>
    public static int PlainLength(string address, string? language) =>
        System.Text.Encoding.UTF8.GetByteCount(language is null ? address : language + ":" + address);
}
