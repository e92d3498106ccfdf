using Microsoft.AspNetCore.Mvc;
using SurveyBackend.Web;

namespace SurveyBackend.Mailing;

/// <summary><c>GET /api/admin/reports/{reportId}/deliveries</c>: the mailing's progress, counts only, never an address.</summary>
public sealed class DeliveryStatusEndpoints(DeliveryStatus status)
{
    public async Task<IActionResult> GetAsync(string reportId, CancellationToken cancellationToken) =>
        await status.ReadAsync(reportId, cancellationToken) is { } view
            ? JsonDefaults.Result(view)
            : Problems.NotFound("There is no report with this id.");
}
