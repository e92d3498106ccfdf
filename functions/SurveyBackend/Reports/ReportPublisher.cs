using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using SurveyBackend.Aggregation;
using SurveyBackend.Storage;
using SurveyBackend.Surveys;
using SurveyBackend.Web;

namespace SurveyBackend.Reports;

public enum PublishOutcome { Published, UnknownSurvey }

public sealed record PublishResult(PublishOutcome Outcome, Report? Report = null, string? Url = null);

/// <summary>Publishes a report: takes the snapshot of the results now, so later responses do not change it.</summary>
public sealed class ReportPublisher(
    SurveyCatalog catalog,
    IResultsSnapshotSource results,
    ReportStore store,
    IOptions<ReportOptions> options,
    TimeProvider clock,
    ILogger<ReportPublisher> logger)
{
    public async Task<PublishResult> PublishAsync(string surveyId, PublishRequest request, CancellationToken cancellationToken)
    {
        var survey = await catalog.FindAsync(surveyId, cancellationToken);
        if (survey is null) return new PublishResult(PublishOutcome.UnknownSurvey);
        var snapshot = await results.GetAsync(surveyId, cancellationToken);
        if (snapshot is null) return new PublishResult(PublishOutcome.UnknownSurvey);

        var report = new Report(
            Report.NewId(), surveyId, request.Title, request.Summary, request.PublishAt, request.ReportUrl,
            // The figures are by reporting group, so the wording kept beside them is the definition as reported.
            clock.GetUtcNow(), new ReportSnapshot(snapshot, ReportingView.Of(survey.Definition).Definition));
        await store.AddAsync(report.ToStored(), cancellationToken);
        logger.LogInformation("Report {ReportId} published for survey {SurveyId}, public from {PublishAt}", report.Id, surveyId, report.PublishAt);
        return new PublishResult(PublishOutcome.Published, report, PageUrl(report.Id));
    }

    /// <summary>The report if the public may see it now: it exists and its publication time has passed.</summary>
    public async Task<Report?> FindPublicAsync(string reportId, CancellationToken cancellationToken)
    {
        if (!Report.IsValidId(reportId)) return null;
        var stored = await store.FindAsync(reportId, cancellationToken);
        return stored is not null && clock.GetUtcNow() >= stored.PublishAt ? Report.FromStored(stored) : null;
    }

    public string PageUrl(string reportId) => options.Value.Link($"reports/{reportId}");
}
