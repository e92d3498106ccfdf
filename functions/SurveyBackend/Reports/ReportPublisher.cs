using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using SurveyBackend.Aggregation;
using SurveyBackend.Releases;
using SurveyBackend.Storage;
using SurveyBackend.Surveys;

namespace SurveyBackend.Reports;

public enum PublishOutcome
{
    Published,
    UnknownSurvey,
    /// <summary>The request named a release the survey does not have.</summary>
    UnknownRelease,
    /// <summary>No release was named and a new one cannot be made safe yet.</summary>
    ReleaseNotYetSafe,
    /// <summary>No release was named and a new one could not be made now (counting busy): try again.</summary>
    ReleaseBusy,
    /// <summary>The title and summary were given in a language the survey does not declare (<see cref="PublishResult.Language"/>).</summary>
    UndeclaredLanguage,
}

public sealed record PublishResult(PublishOutcome Outcome, Report? Report = null, string? Url = null, int RespondentsNeeded = 0, string? Language = null);

/// <summary>
/// Publishes a report of one release: the one asked for, or a new one made now. A report never shows live counts.
/// </summary>
public sealed class ReportPublisher(
    SurveyCatalog catalog,
    ReleaseService releases,
    ReportStore store,
    IOptions<ReportOptions> options,
    TimeProvider clock,
    ILogger<ReportPublisher> logger)
{
    public async Task<PublishResult> PublishAsync(string surveyId, PublishRequest request, CancellationToken cancellationToken)
    {
        var survey = await catalog.FindAsync(surveyId, cancellationToken);
        if (survey is null) return new PublishResult(PublishOutcome.UnknownSurvey);
        // Checked before a release is made, so a refused request changes nothing.
        if (request.Translations?.Keys.FirstOrDefault(l => !survey.Definition.Offers(l)) is { } undeclared)
            return new PublishResult(PublishOutcome.UndeclaredLanguage, Language: undeclared);

        Release release;
        if (request.Release is { } number)
        {
            var found = await releases.FindAsync(surveyId, number, cancellationToken);
            if (found is null) return new PublishResult(PublishOutcome.UnknownRelease);
            release = found;
        }
        else
        {
            var made = await releases.MakeAsync(surveyId, cancellationToken);
            switch (made.Outcome)
            {
                case ReleaseOutcome.UnknownSurvey: return new PublishResult(PublishOutcome.UnknownSurvey);
                case ReleaseOutcome.NotYetSafe: return new PublishResult(PublishOutcome.ReleaseNotYetSafe, RespondentsNeeded: made.RespondentsNeeded);
                case ReleaseOutcome.Busy: return new PublishResult(PublishOutcome.ReleaseBusy);
            }
            release = made.Release!;
        }

        var previous = await releases.FindPreviousWaveAsync(survey.Definition, cancellationToken);
        var report = new Report(
            Report.NewId(), surveyId, request.Title, request.Summary, request.PublishAt, request.ReportUrl,
            // The figures are by reporting group, so the wording kept beside them is the definition as reported.
            clock.GetUtcNow(), new ReportSnapshot(release.Results, ReportingView.Of(survey.Definition).Definition, release.Number, release.CreatedAt, previous),
            request.Translations) { Final = request.Final };
        await store.AddAsync(report.ToStored(), cancellationToken);
        // After the report row: the index never names a release that no stored report shows.
        await releases.MarkPublicAsync(surveyId, release.Number, report.PublishAt, cancellationToken);
        logger.LogInformation("Report {ReportId} published for survey {SurveyId}, release {Release}, public from {PublishAt}",
            report.Id, surveyId, release.Number, report.PublishAt);
        return new PublishResult(PublishOutcome.Published, report, PageUrl(report.Id));
    }

    /// <summary>The report if the public may see it now: it exists and its publication time has passed.</summary>
    public async Task<Report?> FindPublicAsync(string reportId, CancellationToken cancellationToken)
    {
        if (!Report.IsValidId(reportId)) return null;
        var stored = await store.FindAsync(reportId, cancellationToken);
        var report = stored is null ? null : Report.FromStored(stored);
        return report is not null && report.IsPublic(clock.GetUtcNow()) ? report : null;
    }

    public string PageUrl(string reportId) => options.Value.Link($"reports/{reportId}");
}
