using Microsoft.Extensions.Logging;
using SurveyBackend.Storage;

namespace SurveyBackend.ProofOfWork;

/// <summary>The hourly purge of used challenges that have expired: a replay of them is refused as expired anyway.</summary>
public sealed class UsedChallengePurger(UsedChallengeStore store, TimeProvider clock, ILogger<UsedChallengePurger> logger)
{
    public async Task PurgeAsync(CancellationToken cancellationToken)
    {
        var deleted = await store.PurgeExpiredAsync(clock.GetUtcNow(), cancellationToken);
        logger.LogInformation("Purged {Count} used challenges that had expired", deleted);
    }
}
