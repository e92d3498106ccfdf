using System.Reflection;
using Microsoft.Azure.Functions.Worker;
using Microsoft.OpenApi;
using Microsoft.OpenApi.Reader;
using SurveyBackend.Functions;
using SurveyBackend.Web;

namespace SurveyBackend.Tests.Unit.Contract;

/// <summary>
/// docs/openapi.json (as embedded in the app and served at /api/openapi.json) parses as OpenAPI 3.1, and names every
/// HTTP function's route and methods with every status the function declares in [Answers], plus 500 for all and 401
/// for admin functions. A new function without [Answers] fails here.
/// </summary>
public sealed class OpenApiContractTests
{
    private static readonly Lazy<Task<ReadResult>> Read = new(async () =>
    {
        await using var stream = typeof(Problems).Assembly.GetManifestResourceStream("SurveyBackend.openapi.json")
            ?? throw new InvalidOperationException("docs/openapi.json is not embedded in the app.");
        using var copy = new MemoryStream();
        await stream.CopyToAsync(copy);
        copy.Position = 0;
        return await OpenApiDocument.LoadAsync(copy, "json");
    });

    private static IEnumerable<(string Name, MethodInfo Method, HttpTriggerAttribute Trigger)> HttpFunctions() =>
        from type in typeof(Problems).Assembly.GetTypes()
        from method in type.GetMethods(BindingFlags.Public | BindingFlags.Instance | BindingFlags.Static)
        let function = method.GetCustomAttribute<FunctionAttribute>()
        where function is not null
        let trigger = method.GetParameters().Select(p => p.GetCustomAttribute<HttpTriggerAttribute>()).FirstOrDefault(a => a is not null)
        where trigger is not null
        select (function.Name, method, trigger);

    [Fact]
    public async Task Document_ParsesAsOpenApi31_WithoutErrors()
    {
        var read = await Read.Value;
        Assert.Empty(read.Diagnostic!.Errors.Select(e => $"{e.Pointer}: {e.Message}"));
        Assert.Equal(OpenApiSpecVersion.OpenApi3_1, read.Diagnostic.SpecificationVersion);
        Assert.NotNull(read.Document);
        Assert.Equal("/api", Assert.Single(read.Document.Servers!).Url);
    }

    [Fact]
    public async Task EveryHttpFunction_ItsRouteMethodsAndStatuses_AreInTheDocument()
    {
        var document = (await Read.Value).Document!;
        var functions = HttpFunctions().ToList();
        var missing = new List<string>();
        foreach (var (name, method, trigger) in functions)
        {
            var answers = method.GetCustomAttribute<AnswersAttribute>();
            if (answers is null)
            {
                missing.Add($"{name}: no [Answers(...)] with the statuses it answers");
                continue;
            }
            var path = "/" + (trigger.Route ?? name);
            if (!document.Paths.TryGetValue(path, out var item))
            {
                missing.Add($"{name}: path {path}");
                continue;
            }
            var statuses = answers.Statuses.Append(500);
            if (trigger.AuthLevel != AuthorizationLevel.Anonymous) statuses = statuses.Append(401);
            foreach (var verb in trigger.Methods ?? ["get", "post"])
            {
                var operation = item.Operations?.GetValueOrDefault(new HttpMethod(verb.ToUpperInvariant()));
                if (operation is null)
                {
                    missing.Add($"{name}: {verb.ToUpperInvariant()} {path}");
                    continue;
                }
                missing.AddRange(statuses.Distinct()
                    .Where(status => operation.Responses?.ContainsKey(status.ToString(System.Globalization.CultureInfo.InvariantCulture)) != true)
                    .Select(status => $"{name}: {verb.ToUpperInvariant()} {path} status {status}"));
            }
        }

        Assert.True(functions.Count > 0, "no HTTP functions found");
        Assert.True(missing.Count == 0, "Missing from docs/openapi.json:\n" + string.Join('\n', missing));
    }

    [Fact]
    public async Task AdminOperations_NeedTheFunctionKey_AndPublicOnesDoNot()
    {
        var document = (await Read.Value).Document!;
        foreach (var (name, _, trigger) in HttpFunctions())
        {
            var item = document.Paths["/" + (trigger.Route ?? name)];
            foreach (var verb in trigger.Methods ?? ["get", "post"])
            {
                var operation = item.Operations![new HttpMethod(verb.ToUpperInvariant())];
                var secured = operation.Security is { Count: > 0 } || (operation.Security is null && document.Security is { Count: > 0 });
                Assert.True(secured == (trigger.AuthLevel != AuthorizationLevel.Anonymous), $"{name} {verb}: security does not match its auth level");
            }
        }
    }
}
