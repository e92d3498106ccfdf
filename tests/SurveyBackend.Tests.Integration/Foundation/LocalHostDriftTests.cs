using System.Reflection;
using System.Text.Json.Nodes;
using Microsoft.Azure.WebJobs;
using SurveyBackend.LocalHost;
using SurveyBackend.Testing;

namespace SurveyBackend.Tests.Integration.Foundation;

/// <summary>
/// The local host must serve exactly what Azure will: every function in the built functions.metadata
/// (what the Functions host reads), with the same routes, methods, auth levels, queues and schedules.
/// </summary>
public sealed class LocalHostDriftTests
{
    private static readonly JsonArray Metadata = LoadMetadata();

    private static JsonArray LoadMetadata()
    {
        var configuration = AppContext.BaseDirectory.Contains($"{Path.DirectorySeparatorChar}Release{Path.DirectorySeparatorChar}", StringComparison.Ordinal) ? "Release" : "Debug";
        var path = Path.Combine(RepoPaths.Root, "functions", "SurveyBackend", "bin", configuration, "net10.0", "functions.metadata");
        Assert.True(File.Exists(path), $"Build the app first: {path} is missing.");
        return JsonNode.Parse(File.ReadAllText(path))!.AsArray();
    }

    private static IEnumerable<(string Name, JsonObject Trigger)> MetadataTriggers(string type) =>
        from function in Metadata
        let trigger = function!["bindings"]!.AsArray().Select(b => b!.AsObject()).FirstOrDefault(b => (string?)b["type"] == type)
        where trigger is not null
        select ((string)function["name"]!, trigger);

    [Fact]
    public void HttpFunctions_MatchMetadata_RouteMethodsAndAuthLevel()
    {
        var served = HttpFunctions.Discover(typeof(SurveyBackend.Wiring).Assembly)
            .Select(f => $"{f.Name} {f.Route} {string.Join(",", f.Methods.Select(m => m.ToLowerInvariant()).Order())} {f.AuthLevel}")
            .Order().ToList();
        var declared = MetadataTriggers("httpTrigger")
            .Select(t => $"{t.Name} {(string?)t.Trigger["route"] ?? t.Name} {string.Join(",", t.Trigger["methods"]!.AsArray().Select(m => ((string)m!).ToLowerInvariant()).Order())} {(string)t.Trigger["authLevel"]!}")
            .Order().ToList();

        Assert.NotEmpty(declared);
        Assert.Equal(declared, served);
    }

    [Fact]
    public void QueueAndTimerAdapters_MatchMetadata_NamesQueuesAndSchedules()
    {
        var adapters = typeof(LocalHostApp).Assembly.GetTypes()
            .SelectMany(t => t.GetMethods(BindingFlags.Public | BindingFlags.Instance | BindingFlags.Static))
            .Select(m => (Method: m, Name: m.GetCustomAttribute<FunctionNameAttribute>()?.Name))
            .Where(a => a.Name is not null)
            .ToList();

        var served = adapters.Select(a =>
        {
            var parameters = a.Method.GetParameters();
            var queue = parameters.Select(p => p.GetCustomAttribute<QueueTriggerAttribute>()).FirstOrDefault(x => x is not null);
            var timer = parameters.Select(p => p.GetCustomAttribute<TimerTriggerAttribute>()).FirstOrDefault(x => x is not null);
            return queue is not null ? $"{a.Name} queue {queue.QueueName}"
                : timer is not null ? $"{a.Name} timer {timer.ScheduleExpression}"
                : $"{a.Name} unknown-trigger";
        }).Order().ToList();

        var declared = MetadataTriggers("queueTrigger").Select(t => $"{t.Name} queue {(string)t.Trigger["queueName"]!}")
            .Concat(MetadataTriggers("timerTrigger").Select(t => $"{t.Name} timer {(string)t.Trigger["schedule"]!}"))
            .Order().ToList();

        Assert.Equal(declared, served);
    }

    [Fact]
    public void EveryFunctionInMetadata_IsServedByTheLocalHost()
    {
        var kinds = Metadata.Select(f => f!["bindings"]!.AsArray().Select(b => (string?)b!["type"]).First(t => t!.EndsWith("Trigger", StringComparison.Ordinal)))
            .Distinct().ToList();
        Assert.All(kinds, kind => Assert.Contains(kind, new[] { "httpTrigger", "queueTrigger", "timerTrigger" }));
    }
}
