using System.Text.Json;
using System.Text.Json.Nodes;

namespace SurveyBackend.Tests.System.Harness;

/// <summary>
/// A small survey for the system tests: few options, so that with a hundred or so submissions dealt out round
/// robin every figure is well above the small-cell threshold and can be compared exactly.
/// </summary>
public static class TestSurvey
{
    public const string Id = "system-test-survey";

    public static readonly string[] Sectors = ["county", "district", "unitary"];
    public static readonly string[] Channels = ["twitter", "facebook", "instagram", "linkedin"];
    public static readonly string[] Sizes = ["small", "large"];

    public static string Json(string id = Id) => new JsonObject
    {
        ["id"] = id,
        ["title"] = "System test survey",
        ["description"] = "Used by the system tests.",
        ["status"] = "open",
        ["opensAt"] = "2020-01-01T00:00:00Z",
        ["closesAt"] = "2099-12-31T23:59:59Z",
        ["segments"] = new JsonArray("sector"),
        ["minGroupSize"] = 5,
        ["privacy"] = new JsonObject { ["controller"] = "Test Research Ltd", ["contact"] = "mailto:privacy@example.org" },
        ["questions"] = new JsonArray(
            Question("sector", "single", true, false, Sectors),
            Question("channels", "multiple", true, true, Channels),
            Question("size", "single", false, false, Sizes)),
    }.ToJsonString();

    private static JsonObject Question(string id, string type, bool required, bool allowOther, string[] options)
    {
        var question = new JsonObject
        {
            ["id"] = id,
            ["text"] = "Question " + id,
            ["type"] = type,
            ["required"] = required,
            ["options"] = new JsonArray([.. options.Select(o => (JsonNode)new JsonObject { ["id"] = o, ["text"] = "Option " + o })]),
        };
        if (allowOther) question["allowOther"] = true;
        return question;
    }
}

/// <summary>One valid submission the test makes, and what it should add to the results.</summary>
public sealed record Submission(Guid SubmissionId, string Sector, IReadOnlyList<string> Channels, string? Size, string? OtherText, Respondent? Respondent)
{
    /// <summary>The i-th of a deterministic set: every option is used often, so no figure is suppressed.</summary>
    public static Submission Make(int i, string runTag, bool withRespondent = true)
    {
        var channels = new List<string> { TestSurvey.Channels[i % TestSurvey.Channels.Length] };
        if (i % 3 == 0) channels.Add(TestSurvey.Channels[(i + 1) % TestSurvey.Channels.Length]);
        if (i % 4 == 0) channels.Add("other");
        var respondent = withRespondent && i % 2 == 0
            ? new Respondent($"sys-{runTag}-{i}@example.gov.uk", $"Person{runTag}N{i}", $"Org{runTag}N{i} Council", WantsReport: i % 4 == 0)
            : null;
        return new Submission(
            Guid.NewGuid(),
            TestSurvey.Sectors[i % TestSurvey.Sectors.Length],
            channels,
            i % 5 == 0 ? null : TestSurvey.Sizes[i % TestSurvey.Sizes.Length],
            channels.Contains("other") ? $"Local forum {i}" : null,
            respondent);
    }

    public string ToJson()
    {
        var answers = new JsonObject
        {
            ["sector"] = Sector,
            ["channels"] = new JsonArray([.. Channels.Select(c => (JsonNode)JsonValue.Create(c))]),
        };
        if (Size is not null) answers["size"] = Size;
        var body = new JsonObject { ["submissionId"] = SubmissionId.ToString(), ["answers"] = answers };
        if (OtherText is not null) body["other"] = new JsonObject { ["channels"] = OtherText };
        if (Respondent is { } r)
        {
            body["respondent"] = new JsonObject
            {
                ["email"] = r.Email, ["name"] = r.Name, ["organisation"] = r.Organisation,
                ["wantsReport"] = r.WantsReport, ["consent"] = r.WantsReport,
            };
        }
        body["website"] = "";
        return body.ToJsonString();
    }
}

public sealed record Respondent(string Email, string Name, string Organisation, bool WantsReport);

/// <summary>What the results must say for a set of accepted submissions.</summary>
public sealed class ExpectedResults
{
    private readonly Dictionary<(string Question, string Option), int> _counts = [];

    public int Respondents { get; private set; }

    public void Add(Submission s)
    {
        Respondents++;
        Bump("sector", s.Sector);
        foreach (var channel in s.Channels) Bump("channels", channel);
        if (s.Size is not null) Bump("size", s.Size);
    }

    private void Bump(string question, string option) =>
        _counts[(question, option)] = _counts.GetValueOrDefault((question, option)) + 1;

    /// <summary>Differences between these and the results JSON (the Results schema of docs/openapi.json); empty when they agree.</summary>
    public IReadOnlyList<string> Compare(JsonDocument results)
    {
        var differences = new List<string>();
        var root = results.RootElement;
        var respondents = root.GetProperty("respondents");
        if (respondents.ValueKind != JsonValueKind.Number || respondents.GetInt32() != Respondents)
            differences.Add($"respondents: expected {Respondents}, got {respondents}");

        foreach (var ((question, option), expected) in _counts)
        {
            var actual = root.GetProperty("questions").EnumerateArray()
                .Where(q => q.GetProperty("id").GetString() == question)
                .SelectMany(q => q.GetProperty("options").EnumerateArray())
                .Where(o => o.GetProperty("id").GetString() == option)
                .Select(o => o.GetProperty("count"))
                .FirstOrDefault();
            if (actual.ValueKind != JsonValueKind.Number || actual.GetInt32() != expected)
                differences.Add($"{question}.{option}: expected {expected}, got {(actual.ValueKind == JsonValueKind.Undefined ? "nothing" : actual.ToString())}");
        }
        return differences;
    }

    /// <summary>Reported respondents minus expected: negative is lost, positive is double-counted.</summary>
    public static int RespondentsIn(JsonDocument results) =>
        results.RootElement.GetProperty("respondents") is { ValueKind: JsonValueKind.Number } n ? n.GetInt32() : -1;
}
