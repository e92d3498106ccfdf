using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Options;
using SurveyBackend.Intake;
using SurveyBackend.Storage;
using SurveyBackend.Surveys;
using SurveyBackend.Web;

namespace SurveyBackend.Anonymity;

/// <summary>
/// What failed and waits for a person (poison queues, submissions the sweeper gave up on, seals that would not open), and
/// its replay; replaying what was in fact counted is a no-op (docs/anonymity.md, "Poison").
/// </summary>
public sealed class PoisonEndpoints(
    PoisonQueues poison, PendingRecipientStore pending, SubmissionStore submissions, SurveyCatalog catalog, IOptions<IntakeOptions> intake)
{
    /// <summary>The route's name for the unreadable pending recipients (<c>POST /api/admin/poison/recipients/replay</c>).</summary>
    public const string Recipients = "recipients";

    public async Task<IActionResult> ListAsync(CancellationToken cancellationToken)
    {
        var retention = intake.Value.PendingRetention;
        var stuck = new List<StuckSubmissions>();
        foreach (var surveyId in await catalog.ListIdsAsync(cancellationToken))
            stuck.Add(await submissions.FindStuckAsync(surveyId, retention, cancellationToken));
        return JsonDefaults.Result(new
        {
            queues = await poison.CountAsync(cancellationToken),
            submissions = new
            {
                table = TableNames.Submissions,
                stuck = stuck.Sum(s => s.Count),
                holdingAddresses = stuck.Sum(s => s.HoldingAddresses),
                addressesKeptFor = retention.ToString("c"),
                firstAddressRemovedAt = stuck.Select(s => s.FirstRemovalAt).Where(t => t is not null).Min(),
            },
            recipients = new { table = TableNames.Submissions, unreadable = await EverySurveyAsync(pending.UnreadableCountAsync, cancellationToken) },
        });
    }

    public async Task<IActionResult> ReplayAsync(string queue, CancellationToken cancellationToken)
    {
        if (queue == Recipients)
            return JsonDefaults.Result(new { queue, replayed = await EverySurveyAsync(pending.ReplayUnreadableAsync, cancellationToken) });
        if (!PoisonQueues.WorkQueues.Contains(queue, StringComparer.Ordinal))
            return Problems.NotFound("There is no such queue. GET /api/admin/poison lists them.");
        var replayed = await poison.ReplayAsync(queue, cancellationToken);
        return JsonDefaults.Result(new { queue, replayed });
    }

    /// <summary>The sum of <paramref name="perSurvey"/> over every survey (the unreadable addresses wait in each survey's own partition).</summary>
    private async Task<int> EverySurveyAsync(Func<string, CancellationToken, Task<int>> perSurvey, CancellationToken cancellationToken)
    {
        var total = 0;
        foreach (var surveyId in await catalog.ListIdsAsync(cancellationToken)) total += await perSurvey(surveyId, cancellationToken);
        return total;
    }
}
