namespace SurveyBackend.Testing;

public static class RepoPaths
{
    /// <summary>The clone's root: the folder with host.json and functions/.</summary>
    public static string Root { get; } = FindRoot();

    public static string SampleSurvey => Path.Combine(Root, "functions", "SurveyBackend", "Surveys", "Samples", "social-media-in-local-government.json");

    public const string SampleSurveyId = "social-media-in-local-government";

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
