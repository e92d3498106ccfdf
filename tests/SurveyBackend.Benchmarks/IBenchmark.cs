namespace SurveyBackend.Benchmarks;

/// <summary>One on-demand benchmark; found by reflection, chosen by <see cref="Name"/> on the command line.</summary>
public interface IBenchmark
{
    string Name { get; }
    string Description { get; }
    Task RunAsync(string[] args);
}
