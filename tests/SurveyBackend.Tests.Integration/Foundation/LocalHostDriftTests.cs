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

    /// <summary>
    /// Every function, one line each: name, trigger kind and what the trigger is bound to (route, methods and auth
    /// level; queue; schedule). A function of another trigger kind, or one the local host lacks, is a difference.
    /// </summary>
    [Fact]
    public void EveryFunction_InMetadata_IsServedByTheLocalHost_WithTheSameTrigger()
    {
        var http = HttpFunctions.Discover(typeof(SurveyBackend.Wiring).Assembly)
            .Select(f => Line(f.Name, "http", $"{f.Route} {Methods(f.Methods)} {f.AuthLevel.ToString().ToLowerInvariant()}"));
        var adapters = typeof(LocalHostApp).Assembly.GetTypes()
            .SelectMany(t => t.GetMethods(BindingFlags.Public | BindingFlags.Instance | BindingFlags.Static))
            .Select(m => (Method: m, Name: m.GetCustomAttribute<FunctionNameAttribute>()?.Name))
            .Where(a => a.Name is not null)
            .Select(a =>
            {
                var parameters = a.Method.GetParameters();
                var queue = parameters.Select(p => p.GetCustomAttribute<QueueTriggerAttribute>()).FirstOrDefault(x => x is not null);
                var timer = parameters.Select(p => p.GetCustomAttribute<TimerTriggerAttribute>()).FirstOrDefault(x => x is not null);
                return queue is not null ? Line(a.Name!, "queue", queue.QueueName)
                    : timer is not null ? Line(a.Name!, "timer", timer.ScheduleExpression)
                    : Line(a.Name!, "unknown", "");
            });
        var served = http.Concat(adapters).Order(StringComparer.Ordinal).ToList();

        var declared = Metadata.Select(function =>
        {
            var name = (string)function!["name"]!;
            var trigger = function["bindings"]!.AsArray().Select(b => b!.AsObject())
                .First(b => ((string?)b["type"])?.EndsWith("Trigger", StringComparison.Ordinal) == true);
            return (string)trigger["type"]! switch
            {
                "httpTrigger" => Line(name, "http",
                    $"{(string?)trigger["route"] ?? name} {Methods(trigger["methods"]!.AsArray().Select(m => (string)m!))} {((string)trigger["authLevel"]!).ToLowerInvariant()}"),
                "queueTrigger" => Line(name, "queue", (string)trigger["queueName"]!),
                "timerTrigger" => Line(name, "timer", (string)trigger["schedule"]!),
                var other => Line(name, other, "(the local host serves no such trigger)"),
            };
        }).Order(StringComparer.Ordinal).ToList();

        Assert.NotEmpty(declared);
        Assert.Equal(declared, served);
    }

    private static string Line(string name, string kind, string binding) => $"{name} {kind} {binding}";

    private static string Methods(IEnumerable<string> methods) =>
        string.Join(",", methods.Select(m => m.ToLowerInvariant()).Order(StringComparer.Ordinal));
}
