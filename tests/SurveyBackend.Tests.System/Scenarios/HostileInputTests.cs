using System.Collections.Concurrent;
using CsCheck;
using SurveyBackend.Tests.System.Harness;
using Xunit.Abstractions;

namespace SurveyBackend.Tests.System.Scenarios;

/// <summary>
/// Scenario 4: generated bad requests against every public route. Each must be answered 4xx with problem+json
/// (HTML pages may answer HTML), quickly, with nothing internal in the body; nothing may be stored; the host
/// must stay up and healthy.
/// </summary>
[Collection(SystemCollection.Name)]
public sealed class HostileInputTests(SystemStack stack, ITestOutputHelper output)
{
    /// <summary>480 in CI (about 30 a route, so each of the 16 public routes gets its share); SYSTEM_HOSTILE_INPUTS=5000 (say) for a longer on-demand soak.</summary>
    private static readonly int Inputs = int.TryParse(Environment.GetEnvironmentVariable("SYSTEM_HOSTILE_INPUTS"), out var n) && n > 0 ? n : 480;

    [Fact]
    public async Task HostileRequests_OnEveryPublicRoute_Answer4xxProblemJson_StoreNothing_AndLeaveTheHostHealthy()
    {
        var before = await StorageSnapshot.TakeAsync(stack.Azurite.ConnectionString);
        var perRoute = new ConcurrentDictionary<string, int>();
        var perCategory = new ConcurrentDictionary<string, int>();
        var statuses = new ConcurrentDictionary<int, int>();
        var failures = new ConcurrentBag<string>();
        var tried = 0;
        using var client = new HttpClient { BaseAddress = stack.Host.BaseAddress, Timeout = TimeSpan.FromSeconds(15) };

        var generator = HostileRequests.For(AppRoutes.Public, TestSurvey.Id, i => Submission.Make(i, "hostile").ToJson());
        Exception? property = null;
        try
        {
            await Check.SampleAsync(generator, async request =>
            {
                Interlocked.Increment(ref tried);
                perRoute.AddOrUpdate(request.Route.ToString(), 1, (_, n) => n + 1);
                perCategory.AddOrUpdate(request.Category.Split(' ')[0] == "wrong" ? request.Category.Split(" (")[0] : request.Category, 1, (_, n) => n + 1);
                var fault = await FaultAsync(client, request, statuses);
                if (fault is not null)
                {
                    failures.Add($"{fault}: {request}");
                    throw new InvalidOperationException(fault);
                }
            }, iter: Inputs, threads: 4);
        }
        catch (Exception ex)
        {
            property = ex;
        }

        output.WriteLine($"Routes: {string.Join("; ", perRoute.OrderBy(r => r.Key, StringComparer.Ordinal).Select(r => $"{r.Key} ×{r.Value}"))}");
        output.WriteLine($"Kinds: {string.Join("; ", perCategory.OrderBy(c => c.Key, StringComparer.Ordinal).Select(c => $"{c.Key} ×{c.Value}"))}");
        output.WriteLine($"Statuses: {string.Join(", ", statuses.OrderBy(s => s.Key).Select(s => $"{s.Key}×{s.Value}"))}");

        var after = await StorageSnapshot.TakeAsync(stack.Azurite.ConnectionString);
        var stored = after.DifferencesFrom(before);
        var healthy = await stack.Host.IsHealthyAsync();
        new Figures("Hostile input")
        {
            InputsTried = tried,
            Notes = $"routes={perRoute.Count} 5xx={statuses.Where(s => s.Key >= 500).Sum(s => s.Value)} faults={failures.Count} stored={stored.Count} healthy={healthy}",
        }.Print(output);

        Assert.True(property is null && failures.IsEmpty,
            $"Bad requests answered wrongly ({failures.Count}):\n{string.Join('\n', failures.Take(25))}\n{property?.Message}");
        Assert.True(tried >= 200, $"only {tried} inputs tried");
        foreach (var route in AppRoutes.Public)
            Assert.True(perRoute.GetValueOrDefault(route.ToString()) >= 5, $"{route} got only {perRoute.GetValueOrDefault(route.ToString())} inputs");
        Assert.True(stored.Count == 0, "Bad requests stored something:\n" + string.Join('\n', stored.Take(20)));
        Assert.True(healthy && stack.Host.IsRunning, "The host is not healthy after the bad requests:\n" + stack.Host.Tail(40));
    }

    /// <summary>What is wrong with the answer to a bad request; null when it is right.</summary>
    private static async Task<string?> FaultAsync(HttpClient client, HostileRequest request, ConcurrentDictionary<int, int> statuses)
    {
        WireResponse response;
        try
        {
            response = await Wire.SendAsync(client, request.Method, request.Path, request.ContentType, request.Body, request.Chunked);
        }
        catch (HttpRequestException ex)
        {
            return $"no answer ({ex.HttpRequestError})";
        }
        catch (TaskCanceledException)
        {
            return "no answer within 15 s";
        }
        statuses.AddOrUpdate(response.Status, 1, (_, n) => n + 1);
        // Kestrel itself refuses a NUL in the path as malformed HTTP (400, empty body) before any middleware runs;
        // Azure's front end does the same. Nothing of the app is involved, so there is no problem+json to ask for.
        if (response.Status == 400 && response.Body.Length == 0 && request.Path.Contains("%00", StringComparison.Ordinal)) return null;
        if (response.Status is < 400 or > 499) return $"answered {response.Status}";
        if (response.Elapsed > TimeSpan.FromSeconds(10)) return $"took {response.Elapsed.TotalSeconds:0.0} s";
        var html = request.Route.IsHtmlPage && response.MediaType == "text/html";
        if (response.MediaType != "application/problem+json" && !html) return $"answered {response.Status} as {response.MediaType ?? "no content type"}";
        if (!html && !response.Body.Contains($"\"status\":{response.Status}", StringComparison.Ordinal)) return $"problem without its status: {Short(response.Body)}";
        foreach (var leak in Leaks.Markers)
        {
            if (response.Body.Contains(leak, StringComparison.OrdinalIgnoreCase)) return $"body carries \"{leak}\": {Short(response.Body)}";
        }
        return null;
    }

    private static string Short(string text) => text.Length > 200 ? text[..200] + "…" : text;
}

/// <summary>Text that must never be in a response: internals of the host and storage.</summary>
public static class Leaks
{
    public static readonly string[] Markers =
    [
        "Exception", "   at ", "StackTrace", "devstoreaccount1", "AccountKey", "DefaultEndpointsProtocol", "SurveyBackend.",
        "Azure.RequestFailed", "System.", LocalHostProcess.Secret, LocalHostProcess.FunctionKey,
    ];
}
