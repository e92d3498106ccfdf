using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using SurveyBackend.Form;
using SurveyBackend.Journey;
using SurveyBackend.Surveys;
using SurveyBackend.Testing;

namespace SurveyBackend.Tests.Browser;

/// <summary>
/// The journey's scoring as the browser runs it (journey.js, which form.js carries) against the C# scorer that the
/// counting will use: the shared vectors, and the sample survey's public definition as served, over many respondents.
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed class JourneyScriptTests(BrowserFixture fixture)
{
    private const string ScoreInPage = """
        ([vectors, sample, respondents]) => {
          vectors = JSON.parse(vectors); sample = JSON.parse(sample); respondents = JSON.parse(respondents);
          const summary = r => ({ score: r.score, stage: r.stage.id, indexes: Object.fromEntries(r.indexes.map(i => [i.index.id, i.score])) });
          return JSON.stringify({
            cases: vectors.cases.map(c => summary(Journey.score(vectors.surveys[c.survey], c.answers))),
            sample: respondents.map(a => summary(Journey.score(sample, a))),
          });
        }
        """;

    [Fact]
    public async Task JourneyJs_InChromium_ScoresEveryVector_AndTheServedSampleAsTheServerDoes()
    {
        var vectors = await File.ReadAllTextAsync(Path.Combine(RepoPaths.Root, "tests", "journey-vectors.json"));
        // The public definition as the form fetches it (Welsh: the scoring must not depend on the language).
        var served = await fixture.Host.Client.GetStringAsync($"api/surveys/{BrowserFixture.SurveyId}?lang=cy");
        var stored = (await fixture.Host.Services.GetRequiredService<SurveyCatalog>().FindAsync(BrowserFixture.SurveyId, CancellationToken.None))!.Definition;
        var respondents = Respondents(stored, count: 300);

        var page = await fixture.NewPageAsync();
        await page.SetContentAsync("<!doctype html><html lang=\"en\"><title>Journey</title></html>");
        await page.AddScriptTagAsync(new() { Content = FormAssets.JourneyJs });
        var results = JsonNode.Parse(await page.EvaluateAsync<string>(ScoreInPage,
            new[] { vectors, served, JsonSerializer.Serialize(respondents) }))!;
        await page.Context.CloseAsync();

        var cases = JsonNode.Parse(vectors)!["cases"]!.AsArray();
        var inBrowser = results["cases"]!.AsArray();
        Assert.Equal(cases.Count, inBrowser.Count);
        for (var i = 0; i < cases.Count; i++)
        {
            var expected = new JsonObject { ["score"] = cases[i]!["score"]!.DeepClone(), ["stage"] = cases[i]!["stage"]!.DeepClone(), ["indexes"] = cases[i]!["indexes"]!.DeepClone() };
            Assert.True(JsonNode.DeepEquals(expected, inBrowser[i]), $"{cases[i]!["name"]}: expected {expected.ToJsonString()}, the browser gave {inBrowser[i]!.ToJsonString()}");
        }

        var sample = results["sample"]!.AsArray();
        for (var i = 0; i < respondents.Count; i++)
        {
            var result = JourneyScore.Of(stored, respondents[i].ToDictionary(a => a.Key, a => (IReadOnlyList<string>)a.Value))!;
            var expected = new JsonObject
            {
                ["score"] = result.Score, ["stage"] = result.Stage.Id,
                ["indexes"] = new JsonObject(result.Indexes.Select(x => KeyValuePair.Create(x.Index.Id, (JsonNode?)x.Score))),
            };
            Assert.True(JsonNode.DeepEquals(expected, sample[i]), $"respondent {i}: the server {expected.ToJsonString()}, the browser {sample[i]!.ToJsonString()}");
        }
        // Not a trivial agreement: the respondents land on every stage.
        Assert.Equal(stored.Journey!.Stages.Count, sample.Select(r => (string)r!["stage"]!).Distinct().Count());
    }

    /// <summary>Seeded answers to every question: some unanswered, "Other" among the choices, multiple choice of any size.</summary>
    private static List<Dictionary<string, string[]>> Respondents(SurveyDefinition survey, int count)
    {
        var random = new Random(28);
        var respondents = new List<Dictionary<string, string[]>>();
        for (var r = 0; r < count; r++)
        {
            // A per-respondent leaning, so scores spread from the first stage to the last.
            var leaning = random.NextDouble();
            var answers = new Dictionary<string, string[]>(StringComparer.Ordinal);
            foreach (var q in survey.Questions)
            {
                if (random.NextDouble() < 0.1) continue;
                var ids = q.ChoosableOptionIds;
                answers[q.Id] = q.Type == QuestionType.Single
                    ? [ids[Math.Min(ids.Count - 1, (int)((leaning + random.NextDouble() * 0.3) * ids.Count))]]
                    : [.. ids.Where(_ => random.NextDouble() < leaning)];
            }
            respondents.Add(answers);
        }
        return respondents;
    }
}
