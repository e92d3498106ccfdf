using System.Text.Json;
using SurveyBackend.Aggregation;
using SurveyBackend.Releases;
using SurveyBackend.Storage;
using SurveyBackend.Surveys;
using Xunit;

namespace SurveyBackend.Testing;

/// <summary>
/// A release whose stages are drawn, not scored (<see cref="SampleCounts.For"/> with <c>withStage</c>), so every stage
/// has councils for the thank-you tests' peers table; built by the real <see cref="ResultsBuilder"/> (which adds the
/// derived <c>journey.stage</c> question itself) and stored through the real <see cref="ReleaseStore"/>.
/// </summary>
public static class JourneyStageStandIn
{
    public const string QuestionId = "journey.stage";

    /// <summary>Stores release <paramref name="number"/> of the sample respondents (the counts <see cref="SampleCounts.SeedAsync"/> seeds, with the same seed), stage included.</summary>
    public static async Task<Release> AddReleaseAsync(ReleaseStore store, SurveyDefinition definition, int respondents, int seed, int number = 1)
    {
        var counts = SampleCounts.For(definition, respondents, seed, withStage: true)
            .ToDictionary(c => c.Key, c => (IReadOnlyDictionary<string, long>)c.Value, StringComparer.Ordinal);
        var createdAt = DateTimeOffset.UtcNow;
        var results = ResultsBuilder.Build(definition, counts, createdAt);
        var release = new Release(definition.Id, number, results.Respondents, createdAt, HiddenFigures.Count(results), results);
        Assert.True(await store.TryAddAsync(new StoredRelease(definition.Id, number, release.Respondents, createdAt, release.HiddenFigures,
            release.ToPublicJson(), JsonSerializer.Serialize(counts)), CancellationToken.None));
        return release;
    }
}
