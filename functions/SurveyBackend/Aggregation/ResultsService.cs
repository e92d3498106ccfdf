namespace SurveyBackend.Aggregation;

/// <summary>Reads a survey's results from the aggregates (cost independent of the number of respondents).</summary>
public sealed class ResultsService
{
    /// <summary>The results with suppression applied; null for an unknown survey.</summary>
    public Task<SurveyResults?> GetAsync(string surveyId, CancellationToken cancellationToken) =>
        throw new NotImplementedException("Built by the anonymise-and-aggregate issue.");
}
