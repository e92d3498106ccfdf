using System.Reflection;
using SurveyBackend.Benchmarks;

// dotnet run -c Release --project tests/SurveyBackend.Benchmarks -- <name> [options]
// Each benchmark measures the system and, in the same run, a floor or baseline to compare it with.
var benchmarks = typeof(IBenchmark).Assembly.GetTypes()
    .Where(t => t is { IsClass: true, IsAbstract: false } && typeof(IBenchmark).IsAssignableFrom(t))
    .Select(t => (IBenchmark)Activator.CreateInstance(t)!)
    .OrderBy(b => b.Name)
    .ToList();

var chosen = args.Length > 0 ? benchmarks.Where(b => b.Name == args[0]).ToList() : [];
if (chosen.Count == 0)
{
    Console.WriteLine("Usage: dotnet run -c Release --project tests/SurveyBackend.Benchmarks -- <benchmark> [options]");
    foreach (var b in benchmarks) Console.WriteLine($"  {b.Name,-12} {b.Description}");
    return args.Length == 0 ? 0 : 2;
}
await chosen[0].RunAsync(args[1..]);
return 0;
