using System.Text.Json;
using Xunit.Abstractions;

namespace SurveyBackend.Tests.System.Harness;

/// <summary>
/// What one scenario did and found, printed for the table in docs/reliability.md: to the test output and, one JSON
/// line per scenario, to <c>reliability-figures.jsonl</c> beside the test assembly.
/// </summary>
public sealed record Figures(string Scenario)
{
    public int Submissions { get; init; }
    public int Accepted { get; init; }
    public int Kills { get; init; }
    public int Redeliveries { get; init; }
    public int Outages { get; init; }
    public int InputsTried { get; init; }
    public int Lost { get; init; }
    public int DoubleCounted { get; init; }
    public string Notes { get; init; } = "";

    public static string FilePath => Path.Combine(AppContext.BaseDirectory, "reliability-figures.jsonl");

    public void Print(ITestOutputHelper output)
    {
        var line = $"FIGURES {Scenario}: submissions={Submissions} accepted={Accepted} kills={Kills} redeliveries={Redeliveries} " +
                   $"outages={Outages} inputs={InputsTried} lost={Lost} double-counted={DoubleCounted} {Notes}";
        output.WriteLine(line);
        Console.WriteLine(line);
        lock (typeof(Figures))
        {
            File.AppendAllText(FilePath, JsonSerializer.Serialize(this) + Environment.NewLine);
        }
    }
}
