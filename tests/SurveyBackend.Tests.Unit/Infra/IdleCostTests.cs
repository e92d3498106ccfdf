using System.Globalization;
using System.Reflection;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Microsoft.Azure.Functions.Worker;
using NCrontab;
using SurveyBackend.Anonymity;
using SurveyBackend.Functions;
using Xunit.Abstractions;

namespace SurveyBackend.Tests.Unit.Infra;

/// <summary>
/// What the app costs when nobody responds: only its timers run. Counts their firings over a month from the schedules
/// the Bicep deploys (and those in local.settings.sample.json), bills each at Flex Consumption's minimum of one second
/// at the deployed instance memory, and fails above the monthly free grant.
/// </summary>
public sealed partial class IdleCostTests(BicepTemplate template, ITestOutputHelper output) : IClassFixture<BicepTemplate>
{
    // Flex Consumption, on-demand: free grant a month per subscription, and the minimum billed per execution.
    private const double FreeGrantGbSeconds = 100_000;
    private const double FreeGrantExecutions = 250_000;
    private const double MinimumBilledSeconds = 1.0;
    // List prices (on-demand, pay-as-you-go, USD) beyond the grant; docs/deploy.md says where they come from.
    private const double UsdPerGbSecond = 0.000026;
    private const double UsdPerMillionExecutions = 0.40;
    // Azure's pricing month.
    private static readonly TimeSpan Month = TimeSpan.FromHours(730);

    // Every timer's setting, from the one place the triggers take them, so a new timer is costed too.
    private static readonly string[] TimerSettings = [.. typeof(Schedules).GetFields(BindingFlags.Public | BindingFlags.Static)
        .Where(f => f.IsLiteral && ((string)f.GetRawConstantValue()!).StartsWith('%'))
        .Select(f => ((string)f.GetRawConstantValue()!).Trim('%'))];

    [Fact]
    public void EveryTimer_ReadsItsScheduleFromASetting_InTheSampleTheDocsAndTheBicep()
    {
        var schedules = typeof(Schedules).Assembly.GetTypes()
            .SelectMany(t => t.GetMethods(BindingFlags.Public | BindingFlags.Instance | BindingFlags.DeclaredOnly))
            .SelectMany(m => m.GetParameters())
            .Select(p => p.GetCustomAttribute<TimerTriggerAttribute>()?.Schedule)
            .OfType<string>()
            .ToList();
        Assert.NotEmpty(schedules);
        var docs = File.ReadAllText(Path.Combine(template.RepoRoot, "docs", "settings.md"));
        var sample = SampleValues();
        Assert.All(schedules, schedule =>
        {
            var setting = SettingReference().Match(schedule);
            Assert.True(setting.Success, $"A timer's schedule '{schedule}' is written in the code, not read from a %Setting%");
            var name = setting.Groups[1].Value;
            Assert.Contains(name, TimerSettings);
            Assert.True(sample.ContainsKey(name), $"{name} is not in local.settings.sample.json");
            Assert.Contains($"`{name}`", docs, StringComparison.Ordinal);
            Assert.True(template.AppSettings.ContainsKey(name), $"{name} is not an app setting in infra/app/api.bicep");
            CrontabSchedule.Parse(sample[name], new CrontabSchedule.ParseOptions { IncludingSeconds = true });
        });
    }

    [Fact]
    public void IdleTimers_AsDeployed_StayInsideTheFreeGrant()
    {
        var memoryMb = DeployedInstanceMemoryMb();
        var schedules = TimerSettings.ToDictionary(name => name, DeployedSetting);

        var cost = IdleCost(schedules, memoryMb, "deployed (infra/)");

        Assert.True(cost.Executions <= FreeGrantExecutions, $"{cost.Executions:N0} idle executions a month exceed the free grant of {FreeGrantExecutions:N0}");
        Assert.True(cost.GbSeconds <= FreeGrantGbSeconds, $"{cost.GbSeconds:N0} idle GB-s a month exceed the free grant of {FreeGrantGbSeconds:N0}");
    }

    [Fact]
    public void IdleTimers_WithTheSampleSettings_StayInsideTheFreeGrant()
    {
        // The sample is what a deployment copied from local settings would run: it must be as cheap.
        var sample = SampleValues();
        var schedules = TimerSettings.ToDictionary(name => name, name => sample[name]);

        var cost = IdleCost(schedules, DeployedInstanceMemoryMb(), "local.settings.sample.json");

        Assert.True(cost.GbSeconds <= FreeGrantGbSeconds, $"{cost.GbSeconds:N0} idle GB-s a month exceed the free grant of {FreeGrantGbSeconds:N0}");
        Assert.True(cost.Executions <= FreeGrantExecutions, $"{cost.Executions:N0} idle executions a month exceed the free grant of {FreeGrantExecutions:N0}");
    }

    [Fact]
    public void IdleCost_OfTheOldSchedules_IsAboveTheGrant()
    {
        // The arithmetic itself can fail: the schedules this replaced (30 s, 1 min, 5 min at 2,048 MB) were over.
        var old = new Dictionary<string, string>
        {
            ["RecipientFlushSchedule"] = "*/30 * * * * *",
            ["IntakeSweepSchedule"] = "0 */1 * * * *",
            ["ReportEmailSchedule"] = "0 */5 * * * *",
        };

        var cost = IdleCost(old, 2048, "before (30 s / 1 min / 5 min, 2,048 MB)");

        Assert.Equal(140_160, cost.Executions);
        Assert.True(cost.GbSeconds > FreeGrantGbSeconds);
    }

    [Fact]
    public void RecipientFlush_AsDeployed_RunsAtLeastAsOftenAsTheMailerAssumes()
    {
        // A full batch of addresses is written within one flush period of its tenth (RecipientFlusher.LongestFlushPeriod).
        foreach (var schedule in new[] { DeployedSetting("RecipientFlushSchedule"), SampleValues()["RecipientFlushSchedule"] })
        {
            var firings = Firings(schedule).ToList();
            var longestGap = firings.Zip(firings.Skip(1), (a, b) => b - a).Max();
            Assert.True(longestGap <= RecipientFlusher.LongestFlushPeriod,
                $"RecipientFlushSchedule '{schedule}' leaves {longestGap} between flushes, over RecipientFlusher.LongestFlushPeriod ({RecipientFlusher.LongestFlushPeriod})");
        }
    }

    private (int Executions, double GbSeconds) IdleCost(IReadOnlyDictionary<string, string> schedules, int memoryMb, string label)
    {
        var executions = 0;
        output.WriteLine($"Idle month ({Month.TotalHours:0} h), {label}, {memoryMb} MB instances:");
        foreach (var (name, schedule) in schedules)
        {
            var count = Firings(schedule).Count();
            output.WriteLine($"  {name,-24} {schedule,-18} {count,9:N0} executions");
            executions += count;
        }
        var gbSeconds = executions * MinimumBilledSeconds * memoryMb / 1024.0;
        var usdWithoutGrant = gbSeconds * UsdPerGbSecond + executions / 1e6 * UsdPerMillionExecutions;
        var usd = Math.Max(0, gbSeconds - FreeGrantGbSeconds) * UsdPerGbSecond + Math.Max(0, executions - FreeGrantExecutions) / 1e6 * UsdPerMillionExecutions;
        output.WriteLine($"  total {executions:N0} executions, {gbSeconds:N0} GB-s ({gbSeconds / FreeGrantGbSeconds:P1} of the grant): " +
            $"USD {usd:0.00} a month with the free grant, {usdWithoutGrant:0.00} if the grant is used up elsewhere");
        return (executions, gbSeconds);
    }

    /// <summary>Every firing in one pricing month, by the host's own NCRONTAB parser (six fields: seconds first).</summary>
    private static IEnumerable<DateTime> Firings(string schedule)
    {
        var cron = CrontabSchedule.Parse(schedule, new CrontabSchedule.ParseOptions { IncludingSeconds = true });
        var start = new DateTime(2026, 1, 1, 0, 0, 0, DateTimeKind.Utc);
        // GetNextOccurrences excludes the start; one second earlier lets a firing at the start count.
        return cron.GetNextOccurrences(start.AddSeconds(-1), start + Month);
    }

    private int DeployedInstanceMemoryMb()
    {
        var scale = template.FunctionApp["properties"]?["functionAppConfig"]?["scaleAndConcurrency"]
            ?? throw new InvalidOperationException("functionAppConfig.scaleAndConcurrency is missing");
        return int.Parse(Resolve(scale["instanceMemoryMB"]), CultureInfo.InvariantCulture);
    }

    private string DeployedSetting(string name) =>
        Resolve(template.AppSettings[name] ?? throw new InvalidOperationException($"{name} is not an app setting"));

    /// <summary>
    /// A literal, or a parameter of the api module passed on from a parameter of main.bicep: its default, unless
    /// main.parameters.json sets it (then the value is azd's to choose and this test cannot know it).
    /// </summary>
    private string Resolve(JsonNode? value)
    {
        var text = value?.ToString() ?? throw new InvalidOperationException("no value");
        if (ParameterReference().Match(text) is not { Success: true } inModule) return text;

        var module = template.Resources("Microsoft.Resources/deployments").Single(r => r.Resource["name"]?.GetValue<string>() == "api").Resource;
        var passed = module["properties"]?["parameters"]?[inModule.Groups[1].Value]?["value"]?.ToString()
            ?? throw new InvalidOperationException($"The api module is not given {inModule.Groups[1].Value}");
        if (ParameterReference().Match(passed) is not { Success: true } inMain) return passed;

        var name = inMain.Groups[1].Value;
        var parametersFile = JsonNode.Parse(File.ReadAllText(Path.Combine(template.RepoRoot, "infra", "main.parameters.json")))!;
        Assert.True(parametersFile["parameters"]?[name] is null, $"main.parameters.json sets {name}: the idle cost would depend on the azd environment");
        return template.Arm["parameters"]?[name]?["defaultValue"]?.ToString()
            ?? throw new InvalidOperationException($"main.bicep's {name} has no default");
    }

    private Dictionary<string, string> SampleValues()
    {
        using var document = JsonDocument.Parse(File.ReadAllText(Path.Combine(template.RepoRoot, "local.settings.sample.json")));
        return document.RootElement.GetProperty("Values").EnumerateObject().ToDictionary(p => p.Name, p => p.Value.ToString());
    }

    [GeneratedRegex(@"^\[parameters\('([A-Za-z0-9_]+)'\)\]$")]
    private static partial Regex ParameterReference();

    [GeneratedRegex(@"^%([A-Za-z0-9_]+)%$")]
    private static partial Regex SettingReference();
}
