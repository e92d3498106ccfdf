using System.Text;
using System.Text.Json.Nodes;
using SurveyBackend.Aggregation;
using SurveyBackend.Surveys;

namespace SurveyBackend.Tests.Unit.Trends;

public sealed class WaveComparisonTests
{
    private static Question Q(string id = "q", string text = "How?", QuestionType type = QuestionType.Single, string? comparableWith = null, bool allowOther = false, params (string Id, string Text)[] options) => new()
    {
        Id = id, Text = text, Type = type, ComparableWith = comparableWith, AllowOther = allowOther,
        Options = [.. (options.Length == 0 ? [("a", "A"), ("b", "B")] : options).Select(o => new QuestionOption { Id = o.Id, Text = o.Text })],
    };

    [Fact]
    public void Compare_SameIdTypeOptionsAndWording_IsSame()
    {
        var comparison = WaveComparison.Compare(Q(), Q());
        Assert.Equal(Comparability.Same, comparison.Comparability);
        Assert.True(comparison.IsComparable);
        Assert.Null(comparison.Reason);
    }

    [Fact]
    public void Compare_RewordedAndMarkedComparable_IsMarkedComparable()
    {
        var comparison = WaveComparison.Compare(Q(text: "How, today?", comparableWith: "previous"), Q(text: "How?"));
        Assert.Equal(Comparability.MarkedComparable, comparison.Comparability);
        Assert.True(comparison.IsComparable);
    }

    [Fact]
    public void Compare_RewordedNotMarked_IsNotComparable()
    {
        var comparison = WaveComparison.Compare(Q(text: "How, today?"), Q(text: "How?"));
        Assert.Equal(Comparability.NotComparable, comparison.Comparability);
        Assert.Equal(WaveComparison.Reworded, comparison.Reason);
    }

    [Fact]
    public void Compare_AnOptionReworded_CountsAsRewording()
    {
        var now = Q(options: [("a", "A"), ("b", "B, mostly")]);
        Assert.Equal(Comparability.NotComparable, WaveComparison.Compare(now, Q()).Comparability);
        Assert.Equal(Comparability.MarkedComparable, WaveComparison.Compare(now with { ComparableWith = "previous" }, Q()).Comparability);
    }

    [Fact]
    public void Compare_NotAskedBefore_IsNotComparable()
    {
        var comparison = WaveComparison.Compare(Q(), null);
        Assert.Equal(Comparability.NotComparable, comparison.Comparability);
        Assert.Equal(WaveComparison.NotAskedBefore, comparison.Reason);
    }

    [Fact]
    public void Compare_DifferentTypeOrOptions_IsNotComparable_EvenWhenMarked()
    {
        Assert.Equal(WaveComparison.DifferentType, WaveComparison.Compare(Q(type: QuestionType.Multiple, comparableWith: "previous"), Q()).Reason);
        Assert.Equal(WaveComparison.DifferentOptions, WaveComparison.Compare(Q(comparableWith: "previous", options: [("a", "A"), ("c", "B")]), Q()).Reason);
        Assert.Equal(WaveComparison.DifferentOptions, WaveComparison.Compare(Q(comparableWith: "previous", options: [("b", "B"), ("a", "A")]), Q()).Reason);
        // "Other" is an option like any: a question that gained it does not compare.
        Assert.Equal(WaveComparison.DifferentOptions, WaveComparison.Compare(Q(allowOther: true), Q()).Reason);
    }

    [Fact]
    public void TheSamples_ShowAllThreeCases()
    {
        var now = ReportingView.Of(Parse(File.ReadAllBytes(Path.Combine(AppContext.BaseDirectory, "Samples", "social-media-in-local-government.json")), "social-media-in-local-government")).Definition;
        var then = ReportingView.Of(Parse(File.ReadAllBytes(Path.Combine(AppContext.BaseDirectory, "Samples", "social-media-in-local-government-2016.json")), "social-media-in-local-government-2016")).Definition;

        Assert.Equal("social-media-in-local-government-2016", now.PreviousWave);
        var comparisons = WaveComparison.Compare(now, then).ToDictionary(c => c.QuestionId);
        Assert.Equal(Comparability.MarkedComparable, comparisons["maturity"].Comparability);
        Assert.Equal(WaveComparison.NotAskedBefore, comparisons["successMeasures"].Reason);
        Assert.All(comparisons.Values.Where(c => c.QuestionId is not ("maturity" or "successMeasures")), c => Assert.Equal(Comparability.Same, c.Comparability));
        Assert.Equal(SurveyStatus.Closed, then.Status);
    }

    private static SurveyDefinition Parse(byte[] json, string id)
    {
        var parsed = SurveyRules.Parse(json, id);
        Assert.True(parsed.IsValid, string.Join("; ", parsed.Errors.ToDictionary().Select(e => $"{e.Key}: {string.Join(",", e.Value)}")));
        return parsed.Value!;
    }
}

public sealed class PreviousWaveRulesTests
{
    private static SurveyDefinition Survey(string id, string? previous = null, SurveyStatus status = SurveyStatus.Closed, string? comparableWith = null, string questionId = "q") => new()
    {
        Id = id, Title = id, Status = status, PreviousWave = previous,
        Questions = [new Question { Id = questionId, Text = "How?", Type = QuestionType.Single, ComparableWith = comparableWith,
            Options = [new QuestionOption { Id = "a", Text = "A" }, new QuestionOption { Id = "b", Text = "B" }] }],
    };

    private static async Task<IDictionary<string, string[]>> Errors(SurveyDefinition definition, params SurveyDefinition[] stored)
    {
        var store = stored.ToDictionary(s => s.Id);
        var errors = await PreviousWaveRules.CheckAsync(definition, (id, _) => Task.FromResult(store.GetValueOrDefault(id)), CancellationToken.None);
        return errors.ToDictionary();
    }

    [Fact]
    public async Task Check_AnExistingClosedWave_Passes()
    {
        Assert.Empty(await Errors(Survey("wave-2017", "wave-2016"), Survey("wave-2016")));
        Assert.Empty(await Errors(Survey("wave-2017"), Survey("wave-2016")));
    }

    [Fact]
    public async Task Check_AMissingWave_IsAnErrorAtPreviousWave()
    {
        var errors = await Errors(Survey("wave-2017", "wave-2015"), Survey("wave-2016"));
        Assert.Equal(["There is no survey with this id."], errors["previousWave"]);
    }

    [Fact]
    public async Task Check_ADraftWave_IsAnErrorAtPreviousWave()
    {
        var errors = await Errors(Survey("wave-2017", "wave-2016"), Survey("wave-2016", status: SurveyStatus.Draft));
        Assert.Contains("draft", errors["previousWave"].Single());
    }

    [Fact]
    public async Task Check_ACycle_IsAnErrorAtPreviousWave()
    {
        // 2016 already names 2017; 2017 naming 2016 would close the loop, directly or through a third wave.
        Assert.Contains("cycle", (await Errors(Survey("wave-2017", "wave-2016"), Survey("wave-2016", "wave-2017")))["previousWave"].Single());
        Assert.Contains("cycle", (await Errors(Survey("wave-2017", "wave-2016"), Survey("wave-2016", "wave-2015"), Survey("wave-2015", "wave-2017")))["previousWave"].Single());
        // A long chain that ends is no cycle.
        Assert.Empty(await Errors(Survey("wave-2017", "wave-2016"), Survey("wave-2016", "wave-2015"), Survey("wave-2015")));
    }

    [Fact]
    public async Task Check_ComparableWithOnAQuestionThatCannotCompare_IsAnErrorAtTheQuestion()
    {
        var errors = await Errors(Survey("wave-2017", "wave-2016", comparableWith: "previous", questionId: "new"), Survey("wave-2016"));
        Assert.Contains(WaveComparison.NotAskedBefore, errors["questions[0].comparableWith"].Single());
        Assert.Empty(await Errors(Survey("wave-2017", "wave-2016", comparableWith: "previous"), Survey("wave-2016")));
    }
}

public sealed class WaveDefinitionRulesTests
{
    private static JsonObject Valid() => JsonNode.Parse("""
        { "id": "pulse-2026", "title": "Pulse", "status": "open", "previousWave": "pulse-2025", "privacy": { "controller": "Test Research Ltd", "contact": "mailto:privacy@example.org" },
          "questions": [ { "id": "kind", "text": "Kind?", "type": "single", "comparableWith": "previous",
              "options": [ { "id": "a", "text": "A" }, { "id": "b", "text": "B" } ] } ] }
        """)!.AsObject();

    private static IDictionary<string, string[]> ErrorsOf(JsonObject doc)
    {
        var result = SurveyRules.Parse(Encoding.UTF8.GetBytes(doc.ToJsonString()), "pulse-2026");
        Assert.False(result.IsValid, "expected the definition to be rejected");
        return result.Errors.ToDictionary();
    }

    [Fact]
    public void Parse_PreviousWaveAndComparableWith_AreKept()
    {
        var result = SurveyRules.Parse(Encoding.UTF8.GetBytes(Valid().ToJsonString()), "pulse-2026");
        Assert.True(result.IsValid);
        Assert.Equal("pulse-2025", result.Value!.PreviousWave);
        Assert.Equal("previous", result.Value.Questions[0].ComparableWith);
    }

    [Fact]
    public void Parse_ItselfAsPreviousWave_IsAnErrorAtPreviousWave()
    {
        var doc = Valid();
        doc["previousWave"] = "pulse-2026";
        Assert.Equal(["A survey cannot be its own previous wave."], ErrorsOf(doc)["previousWave"]);
    }

    [Fact]
    public void Parse_ABadPreviousWaveId_IsAnErrorAtPreviousWave()
    {
        var doc = Valid();
        doc["previousWave"] = "Not An Id";
        Assert.Contains("previousWave", ErrorsOf(doc).Keys);
    }

    [Fact]
    public void Parse_ComparableWith_OnlyPrevious_AndOnlyWithAPreviousWave()
    {
        var doc = Valid();
        doc["questions"]![0]!["comparableWith"] = "2019";
        Assert.Contains("questions[0].comparableWith", ErrorsOf(doc).Keys);

        doc = Valid();
        doc.Remove("previousWave");
        Assert.Equal(["comparableWith needs the survey to name its previousWave."], ErrorsOf(doc)["questions[0].comparableWith"]);
    }
}
