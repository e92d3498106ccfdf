using System.Globalization;
using Microsoft.Extensions.Options;
using SurveyBackend.Privacy;

namespace SurveyBackend.Auditing.Linkage;

/// <summary>
/// The operator who holds the app's secret and reads storage once, with no earlier snapshot. It can open every seal
/// and recompute every keyed hash of something it knows (an address, a submission id it finds); it cannot recompute
/// a response key without the submission id, which is gone once a submission is processed.
/// </summary>
public sealed class SingleReadAttacker
{
    private readonly Snapshot _read;
    private readonly RecipientSeal _seal;
    private readonly PrivacyKeys _keys;
    private readonly List<StoredRow> _responses;
    private readonly List<StoredRow> _recipients;
    private readonly List<string> _everyone;
    // Responses of submissions still pending at the read: their addresses cannot be recipients yet.
    private readonly List<StoredRow> _finished;

    public SingleReadAttacker(Snapshot read, string secret)
    {
        _read = read;
        var options = Options.Create(new PrivacyOptions { Secret = secret });
        _seal = new RecipientSeal(options);
        _keys = new PrivacyKeys(options);
        _responses = [.. read.Rows.Where(Roles.IsResponse)];
        _everyone = [.. _responses.Select(r => r.RowKey)];
        _recipients = [.. read.Rows.Where(Roles.IsRecipient)];
        var unfinished = read.Rows.Where(r => Roles.HoldsAnswers(r) && !Roles.IsResponse(r))
            .SelectMany(ResponsesByKey).ToHashSet(StringComparer.Ordinal);
        _finished = [.. _responses.Where(r => !unfinished.Contains(r.RowKey)).OrderBy(r => r.Timestamp).ThenBy(r => r.RowKey, StringComparer.Ordinal)];
    }

    public IEnumerable<string> Addresses => _recipients.Select(Address).Concat(Opened().Select(o => o.Address)).Distinct(StringComparer.Ordinal);

    /// <summary>Recipients in the order of their Timestamps, against finished responses in the order of theirs.</summary>
    public IEnumerable<LinkGuess> TimestampOrder() =>
        Ranks.Match(Ranks.TieGroups(_recipients, r => r.Timestamp), Address, [.. _finished.Select(r => r.RowKey)], _everyone);

    /// <summary>
    /// Keys as arrival times: recipients in the order of their keys against the finished responses in the order they
    /// came, and the addresses still waiting in the order of theirs against the responses after those.
    /// </summary>
    public IEnumerable<LinkGuess> KeyOrder()
    {
        var byKey = Ranks.TieGroups(_recipients, r => r.RowKey);
        var recipients = Ranks.Match(byKey, Address, [.. _finished.Take(_recipients.Count).Select(r => r.RowKey)], _everyone);
        var waiting = Opened().Where(o => Roles.IsWaitingAddress(o.Row)).OrderBy(o => o.Row.RowKey, StringComparer.Ordinal).ToList();
        var later = _finished.Skip(_recipients.Count).Select(r => r.RowKey).ToList();
        return recipients.Concat(waiting.Select((o, i) => new LinkGuess(o.Address, i < later.Count ? [later[i]] : _everyone)));
    }

    /// <summary>Each recipient against the sealed addresses of the same length still in storage (with the secret, the seal says more than its length).</summary>
    public IEnumerable<LinkGuess> Lengths()
    {
        var sealedRows = _read.Rows.Where(r => Roles.Sealed(r) is not null).ToList();
        return _recipients.Select(recipient =>
        {
            var wanted = Roles.PlainLength(Address(recipient), recipient.Text("Language"));
            var same = sealedRows.Where(r => Roles.SealedLength(Roles.Sealed(r)!) == wanted).SelectMany(LinkedResponses).Distinct(StringComparer.Ordinal).ToList();
            return new LinkGuess(Address(recipient), same.Count > 0 ? same : _everyone);
        });
    }

    /// <summary>
    /// Recipients grouped into the batches their Timestamps show (written within a minute of one another), each
    /// batch against the finished responses at its ranks that came before it.
    /// </summary>
    public IEnumerable<LinkGuess> IntersectingBatches()
    {
        var batches = new List<List<StoredRow>>();
        foreach (var recipient in _recipients.OrderBy(r => r.Timestamp))
        {
            if (batches.Count == 0 || recipient.Timestamp - batches[^1][^1].Timestamp > TimeSpan.FromMinutes(1)) batches.Add([]);
            batches[^1].Add(recipient);
        }
        var rank = 0;
        foreach (var batch in batches)
        {
            var landed = batch.Max(r => r.Timestamp);
            var window = _finished.Skip(rank).Take(batch.Count).Where(r => r.Timestamp <= landed).Select(r => r.RowKey).ToList();
            rank += batch.Count;
            foreach (var recipient in batch) yield return new LinkGuess(Address(recipient), window.Count > 0 ? window : _everyone);
        }
    }

    /// <summary>Opens every seal in storage (and reads any address kept in clear), and ties each to the response its row points at.</summary>
    public IEnumerable<LinkGuess> Unseal() =>
        Opened().Select(o => new LinkGuess(o.Address, LinkedResponses(o.Row) is { Count: > 0 } linked ? linked : _everyone));

    private IEnumerable<(StoredRow Row, string Address)> Opened()
    {
        foreach (var row in _read.Rows)
        {
            if (Roles.ClearAddress(row) is { } clear) yield return (row, clear);
            if (Roles.Sealed(row) is { } sealedText && _seal.Open(row.PartitionKey, sealedText) is { } opened)
                yield return (row, WithoutLanguage(opened.TrimEnd('\0')));
        }
    }

    /// <summary>
    /// The responses a row holding an address points at: through the submission id beside it (the response key is
    /// a keyed hash of it), through identical answers beside it, through an arrival time in its key, or else the
    /// response written last before it.
    /// </summary>
    private List<string> LinkedResponses(StoredRow row)
    {
        if (ResponsesByKey(row).ToList() is { Count: > 0 } byId) return byId;
        if (row.Text("AnswersJson") is { } answers && _responses.Where(r => r.Text("AnswersJson") == answers).Select(r => r.RowKey).ToList() is { Count: > 0 } same) return same;
        var arrived = ArrivalInKey(row.RowKey) ?? row.Timestamp;
        return _responses.Where(r => r.Timestamp <= arrived).OrderByDescending(r => r.Timestamp).Take(1).Select(r => r.RowKey).ToList();
    }

    private IEnumerable<string> ResponsesByKey(StoredRow row)
    {
        if (row.Text("SubmissionId") is not { } submissionId) yield break;
        var key = _keys.ForResponse(row.PartitionKey, submissionId);
        foreach (var response in _responses.Where(r => r.RowKey.EndsWith(key, StringComparison.Ordinal))) yield return response.RowKey;
    }

    /// <summary>A run of 18 or 19 digits in a key read as UTC ticks near the read: an arrival time written into the key.</summary>
    private DateTimeOffset? ArrivalInKey(string rowKey)
    {
        foreach (var part in rowKey.Split('|'))
        {
            if (part.Length is >= 18 and <= 19 && long.TryParse(part, NumberStyles.None, CultureInfo.InvariantCulture, out var ticks)
                && ticks <= DateTimeOffset.MaxValue.UtcTicks && Math.Abs((new DateTimeOffset(ticks, TimeSpan.Zero) - _read.At).TotalDays) < 365)
                return new DateTimeOffset(ticks, TimeSpan.Zero);
        }
        return null;
    }

    private static string WithoutLanguage(string opened) =>
        opened.IndexOf(':', StringComparison.Ordinal) is var colon and > 0 && colon <= 3 ? opened[(colon + 1)..] : opened;

    private static string Address(StoredRow recipient) => recipient.Text("Email")!;
}
