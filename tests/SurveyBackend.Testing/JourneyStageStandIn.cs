using System.Text.Json;
using SurveyBackend.Aggregation;
using SurveyBackend.Releases;
using SurveyBackend.Storage;
using SurveyBackend.Surveys;
using Xunit;

namespace SurveyBackend.Testing;

/// <summary>
/// STAND-IN until counting carries the stage (#28 §3): a release whose results count each sample respondent's journey
/// stage as the derived, ordered single-choice question <c>journey.stage</c> (options: the stage ids in order), in
/// everyone's questions and in each segment's, built by the real <see cref="ResultsBuilder"/> (so with its suppression)
/// and stored through the real <see cref="ReleaseStore"/>. Once counting makes this figure itself, the tests that use
/// this make their release through the admin route instead.
/// </summary>
public static class JourneyStageStandIn
{
    public const string QuestionId = "journey.stage";

    /// <summary>The definition with the derived stage question appended, as the results builder should see it.</summary>
    public static SurveyDefinition WithStageQuestion(SurveyDefinition definition) => definition with
    {
        Questions = [.. definition.Questions, new Question
        {
            // Required: every respondent has a stage. Otherwise "skipped" (always 0) is a small figure, and hiding it hides the rest.
            Id = QuestionId, Text = definition.Journey!.Title, Type = QuestionType.Single, Ordered = true, Required = true,
            Options = [.. definition.Journey.Stages.Select(s => new QuestionOption { Id = s.Id, Text = s.Name })],
        }],
    };

    /// <summary>Stores release <paramref name="number"/> of the sample respondents (the counts <see cref="SampleCounts.SeedAsync"/> seeds, with the same seed), stage included.</summary>
    public static async Task<Release> AddReleaseAsync(ReleaseStore store, SurveyDefinition definition, int respondents, int seed, int number = 1)
    {
        var counts = SampleCounts.For(definition, respondents, seed, withStage: true)
            .ToDictionary(c => c.Key, c => (IReadOnlyDictionary<string, long>)c.Value, StringComparer.Ordinal);
        var createdAt = DateTimeOffset.UtcNow;
        var results = ResultsBuilder.Build(WithStageQuestion(definition), counts, createdAt);
        var release = new Release(definition.Id, number, results.Respondents, createdAt, HiddenFigures.Count(results), results);
        Assert.True(await store.TryAddAsync(new StoredRelease(definition.Id, number, release.Respondents, createdAt, release.HiddenFigures,
            release.ToPublicJson(), JsonSerializer.Serialize(counts)), CancellationToken.None));
        return release;
    }
}
