using SurveyBackend.Aggregation;

namespace SurveyBackend.Reports;

/// <summary>Where a report's figures come from at publication: the seam that lets tests feed hand-built results.</summary>
public interface IResultsSnapshotSource
{
    /// <summary>The survey's results with suppression applied; null for an unknown survey.</summary>
    Task<SurveyResults?> GetAsync(string surveyId, CancellationToken cancellationToken);
}

internal sealed class AggregatedResultsSource(ResultsService results) : IResultsSnapshotSource
{
    public Task<SurveyResults?> GetAsync(string surveyId, CancellationToken cancellationToken) =>
        results.GetAsync(surveyId, cancellationToken);
}
