using System.Reflection;
using SurveyBackend.Web;

namespace SurveyBackend.Tests.Unit.Hosting;

/// <summary>
/// One HTTP edge: only the function adapters (Functions/), the shared HTTP kit (Web/) and classes named
/// <c>…Endpoints</c> may take or return ASP.NET Core's request and result types. Domain classes know nothing of HTTP.
/// </summary>
public sealed class HttpEdgeTests
{
    private static readonly string[] HttpNamespaces = ["Microsoft.AspNetCore.Http", "Microsoft.AspNetCore.Mvc"];

    [Fact]
    public void OnlyEndpointsFunctionsAndWeb_UseAspNetCoreRequestOrResultTypes()
    {
        var app = typeof(Problems).Assembly;
        var offenders = (
            from type in app.GetTypes()
            let outer = Outermost(type)
            where outer.Namespace is not ("SurveyBackend.Functions" or "SurveyBackend.Web")
                && !outer.Name.EndsWith("Endpoints", StringComparison.Ordinal)
            from member in Signatures(type)
            where member.Types.Any(IsHttp)
            select $"{type.FullName}.{member.Name}").Distinct().ToList();

        Assert.True(offenders.Count == 0, "HTTP types outside the edge:\n" + string.Join('\n', offenders));
    }

    [Fact]
    public void EveryClassThatServesARoute_IsNamedEndpoints()
    {
        var functions = typeof(Problems).Assembly.GetTypes().Where(t => t.Namespace == "SurveyBackend.Functions");
        var served = functions
            .SelectMany(t => t.GetConstructors().SelectMany(c => c.GetParameters()))
            .Select(p => p.ParameterType)
            .Where(t => t.GetMethods().Any(m => m.GetParameters().Any(p => IsHttp(p.ParameterType)) || IsHttp(m.ReturnType)))
            .Select(t => t.Name).Distinct().ToList();

        Assert.NotEmpty(served);
        Assert.All(served, name => Assert.EndsWith("Endpoints", name, StringComparison.Ordinal));
    }

    private static Type Outermost(Type type)
    {
        while (type.DeclaringType is not null) type = type.DeclaringType;
        return type;
    }

    private static IEnumerable<(string Name, Type[] Types)> Signatures(Type type)
    {
        const BindingFlags all = BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Instance | BindingFlags.Static | BindingFlags.DeclaredOnly;
        foreach (var method in type.GetMethods(all))
            yield return (method.Name, [method.ReturnType, .. method.GetParameters().Select(p => p.ParameterType)]);
        foreach (var constructor in type.GetConstructors(all))
            yield return (".ctor", [.. constructor.GetParameters().Select(p => p.ParameterType)]);
        foreach (var field in type.GetFields(all)) yield return (field.Name, [field.FieldType]);
        foreach (var property in type.GetProperties(all)) yield return (property.Name, [property.PropertyType]);
    }

    private static bool IsHttp(Type type) =>
        type.HasElementType ? IsHttp(type.GetElementType()!)
        : (type.Namespace is { } ns && HttpNamespaces.Any(h => ns == h || ns.StartsWith(h + ".", StringComparison.Ordinal)))
            || (type.IsGenericType && type.GetGenericArguments().Any(IsHttp));
}
