using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using SurveyBackend.Storage;
using SurveyBackend.Web;

namespace SurveyBackend.Anonymity;

/// <summary>
/// How many messages wait in each poison queue, and replay: moving them back to their work queue. Replaying a
/// submission that was in fact processed (or counted before it failed) is a no-op for it: see SubmissionAnonymiser.
/// </summary>
public sealed class PoisonEndpoints(PoisonQueues poison)
{
    public async Task<IActionResult> ListAsync(CancellationToken cancellationToken) =>
        JsonDefaults.Result(new { queues = await poison.CountAsync(cancellationToken) });

    public async Task<IActionResult> ReplayAsync(string queue, CancellationToken cancellationToken)
    {
        if (!PoisonQueues.WorkQueues.Contains(queue, StringComparer.Ordinal))
            return Problems.NotFound("There is no such queue. GET /api/admin/poison lists them.");
        var replayed = await poison.ReplayAsync(queue, cancellationToken);
        return JsonDefaults.Result(new { queue, replayed });
    }
}
