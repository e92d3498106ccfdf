using Microsoft.AspNetCore.Mvc;
using SurveyBackend.Reports;
using SurveyBackend.Storage;
using SurveyBackend.Web;

namespace SurveyBackend.Mailing;

/// <summary>
/// <c>POST /api/admin/reports/{reportId}/final</c>: marks a published report as its survey's final one, so that the
/// survey's addresses are deleted <see cref="MailingOptions.RetentionDays"/> after it has been mailed (or at once, if it
/// has been mailed long enough ago). Doing it again changes nothing; it cannot be undone.
/// </summary>
public sealed class FinalReportEndpoints(ReportStore reports, RetentionPolicy retention)
{
    public async Task<IActionResult> MarkFinalAsync(string reportId, CancellationToken cancellationToken)
    {
        if (!Report.IsValidId(reportId) || await reports.FindMailingAsync(reportId, cancellationToken) is not { } mailing)
            return Problems.NotFound("There is no report with this id.");
        if (!mailing.Final) await reports.MarkFinalAsync(reportId, cancellationToken);
        return JsonDefaults.Result(new { reportId, final = true, addressesDeletedBy = await retention.DeadlineAsync(mailing.SurveyId, cancellationToken) });
    }
}
