namespace SurveyBackend.Testing;

public static class RepoPaths
{
    /// <summary>The clone's root: the folder with host.json and functions/.</summary>
    public static string Root { get; } = FindRoot();

    /// <summary>
    /// The sample survey as most tests put it: on its own, so without its <c>previousWave</c> link (and the
    /// <c>comparableWith</c> marks that need it), which would make every put fail until the 2016 wave is stored.
    /// <see cref="SampleSurveyAsShipped"/> is the file itself.
    /// </summary>
    public static string SampleSurvey { get; } = WriteStandaloneSample();

    public static string SampleSurveyAsShipped => Path.Combine(Root, "functions", "SurveyBackend", "Surveys", "Samples", "social-media-in-local-government.json");

    /// <summary>The sample's previous wave (2016): one question worded differently, one not asked.</summary>
    public static string PreviousWaveSample => Path.Combine(Root, "functions", "SurveyBackend", "Surveys", "Samples", "social-media-in-local-government-2016.json");

    public const string SampleSurveyId = "social-media-in-local-government";

    /// <summary>The text of <see cref="SampleSurvey"/> under another survey id: the sample's questions and segments in a survey of a test's own.</summary>
    public static async Task<string> SampleSurveyJsonAsync(string surveyId) =>
        (await File.ReadAllTextAsync(SampleSurvey)).Replace($"\"id\": \"{SampleSurveyId}\"", $"\"id\": \"{surveyId}\"", StringComparison.Ordinal);
    public const string PreviousWaveSampleId = "social-media-in-local-government-2016";

    private static string WriteStandaloneSample()
    {
        var json = System.Text.Json.Nodes.JsonNode.Parse(File.ReadAllText(SampleSurveyAsShipped))!.AsObject();
        json.Remove("previousWave");
        foreach (var question in json["questions"]!.AsArray()) question!.AsObject().Remove("comparableWith");
        var path = Path.Combine(Path.GetTempPath(), $"surveybackend-sample-{Environment.ProcessId}.json");
        // Written as the file is (indented, characters as they are): some tests edit the text, e.g. replace "id": "…".
        File.WriteAllText(path, json.ToJsonString(new System.Text.Json.JsonSerializerOptions
        {
            WriteIndented = true,
            Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        }));
        return path;
    }

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "host.json")) && Directory.Exists(Path.Combine(dir.FullName, "functions")))
                return dir.FullName;
        }
        throw new InvalidOperationException("Run the tests from a clone of the repository.");
    }
}
