using System.Security.Cryptography;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using SurveyBackend.Privacy;
using SurveyBackend.Storage;
using SurveyBackend.Surveys;

namespace SurveyBackend.Anonymity;

/// <summary>
/// Makes waiting addresses readable only ever many at once, in random order, so an address is known only to belong to one
/// response of its batch. A batch is all written before any pool row goes, so a crash or an overlapping flush only repeats
/// a harmless write. When a batch is due (ten, or a mailing): docs/anonymity.md, "the batch rule".
/// </summary>
public sealed class RecipientFlusher(
    SurveyCatalog catalog,
    PendingRecipientStore pool,
    SubmissionStore submissions,
    RecipientStore store,
    RecipientSeal seal,
    PrivacyKeys keys,
    IOptions<AnonymityOptions> options,
    TimeProvider clock,
    ILogger<RecipientFlusher> logger)
{
    private const int MaxPerFlush = 5_000;

    /// <summary>
    /// The longest period between two flushes (<c>RecipientFlushSchedule</c>: every 15 minutes in Azure, so that the
    /// idle app stays inside the free grant): a full batch is written at most this long after its last address came.
    /// The infra tests fail if the deployed schedule is slower.
    /// </summary>
    public static readonly TimeSpan LongestFlushPeriod = TimeSpan.FromMinutes(15);

    /// <summary>The timer's flush over every survey; returns how many recipients it wrote.</summary>
    public async Task<int> FlushAsync(CancellationToken cancellationToken)
    {
        var written = 0;
        foreach (var surveyId in await catalog.ListIdsAsync(cancellationToken))
        {
            var state = await ReadPoolAsync(surveyId, cancellationToken);
            if (state.Waiting < options.Value.RecipientBatchSize) continue;
            written += await WriteBatchAsync(surveyId, options.Value.RecipientBatchSize, cancellationToken);
        }
        return written;
    }

    /// <summary>
    /// Before the report <paramref name="reportId"/> of <paramref name="surveyId"/> is mailed: on its first run, writes
    /// every address waiting, however few; after that, only once no more can arrive (the last addresses of a closed
    /// survey). Returns how many it wrote.
    /// </summary>
    public async Task<int> FlushForMailingAsync(string surveyId, string reportId, CancellationToken cancellationToken)
    {
        var first = !await pool.WasFlushedForAsync(surveyId, reportId, cancellationToken);
        if (!first && await MoreMayArriveAsync(surveyId, clock.GetUtcNow(), cancellationToken)) return 0;
        var written = (await ReadPoolAsync(surveyId, cancellationToken)).Waiting == 0 ? 0 : await WriteBatchAsync(surveyId, minimum: 1, cancellationToken);
        // After the writes: a crash before this flushes again on the next run, never skips the mailing's addresses.
        if (first) await pool.MarkFlushedForAsync(surveyId, reportId, cancellationToken);
        return written;
    }

    /// <summary>Whether the survey may still gain an address for its pool: it takes submissions, or a pending submission holds one.</summary>
    public async Task<bool> MoreMayArriveAsync(string surveyId, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var survey = await catalog.FindAsync(surveyId, cancellationToken);
        return survey is not null && survey.Definition.IsTakingSubmissions(now)
            || await submissions.AnyHoldingAddressAsync(surveyId, cancellationToken);
    }

    /// <summary>The pool's state, once any row of an older layout is moved to the current one.</summary>
    private async Task<PoolState> ReadPoolAsync(string surveyId, CancellationToken cancellationToken)
    {
        var state = await pool.ReadStateAsync(surveyId, cancellationToken);
        if (state.LegacyKeys.Count == 0) return state;
        foreach (var key in state.LegacyKeys)
        {
            if (await pool.FindAsync(surveyId, key, cancellationToken) is not { } row) continue;
            // Re-sealed at the padded size under a key that says nothing of its arrival; kept as it is when it will not open.
            var resealed = seal.Open(surveyId, row.Sealed) is { } content ? seal.Seal(surveyId, content) : null;
            var target = (resealed is null || key.StartsWith(PendingRecipientStore.UnreadablePrefix, StringComparison.Ordinal)
                ? PendingRecipientStore.UnreadablePrefix : PendingRecipientStore.WaitingPrefix) + PendingRecipientStore.RandomKey();
            await pool.MoveAsync(row, target, resealed ?? row.Sealed, cancellationToken);
        }
        logger.LogInformation("Moved {Count} waiting addresses of survey {SurveyId} to the current layout", state.LegacyKeys.Count, surveyId);
        return await pool.ReadStateAsync(surveyId, cancellationToken);
    }

    private async Task<int> WriteBatchAsync(string surveyId, int minimum, CancellationToken cancellationToken)
    {
        var order = (await pool.TakeAsync(surveyId, MaxPerFlush, cancellationToken)).ToArray();
        RandomNumberGenerator.Shuffle<PendingRecipient>(order);
        var readable = new List<(PendingRecipient Row, Recipient Recipient)>();
        foreach (var row in order)
        {
            if (seal.OpenAddress(surveyId, row.Sealed) is { } address)
            {
                readable.Add((row, new Recipient(surveyId, keys.ForRecipient(surveyId, address.Email), address.Email, address.Language)));
                continue;
            }
            await pool.MarkUnreadableAsync(row, cancellationToken);
            logger.LogWarning("Set an unreadable pending recipient of survey {SurveyId} aside for an admin (GET /api/admin/poison)", surveyId);
        }
        // Never fewer readable addresses than the batch needs (an address twice is one recipient): they wait for more.
        if (readable.Count == 0 || readable.DistinctBy(r => r.Recipient.RecipientKey).Count() < minimum) return 0;

        var added = new List<Recipient>();
        foreach (var (_, recipient) in readable)
        {
            if (!await IsRecipientUnderAnotherKeyAsync(recipient, cancellationToken)) added.Add(recipient);
        }
        await store.AddAllAsync(surveyId, added, cancellationToken);
        // Only now that every address is written: a crash before this is repaired by the next flush.
        await pool.DeleteAsync(surveyId, readable.Select(r => r.Row.RowKey), cancellationToken);
        logger.LogInformation("Wrote {Count} report recipients of survey {SurveyId} at once, in random order", readable.Count, surveyId);
        return readable.Count;
    }

    /// <summary>
    /// Whether the address is already a recipient of the survey under another key: an earlier secret's (before a
    /// rotation) or its normal form's before Unicode normalisation. Then it is that recipient, not a second one that
    /// would be mailed twice. No read for an ASCII address without a rotation (it has one key).
    /// </summary>
    private async Task<bool> IsRecipientUnderAnotherKeyAsync(Recipient recipient, CancellationToken cancellationToken)
    {
        foreach (var key in keys.RecipientKeys(recipient.SurveyId, recipient.Email).Where(k => k != recipient.RecipientKey))
        {
            if (await store.ExistsAsync(recipient.SurveyId, key, cancellationToken)) return true;
        }
        return false;
    }
}
