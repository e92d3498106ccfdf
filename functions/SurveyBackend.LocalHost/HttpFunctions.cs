using System.Reflection;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.Abstractions;
using Microsoft.AspNetCore.Routing;
using Microsoft.Azure.Functions.Worker;

namespace SurveyBackend.LocalHost;

/// <summary>One HTTP-triggered function of the app, read from its own [Function] and [HttpTrigger] attributes.</summary>
internal sealed record HttpFunction(string Name, MethodInfo Method, AuthorizationLevel AuthLevel, IReadOnlyList<string> Methods, string Route);

/// <summary>
/// Serves the app's HTTP functions at their routes under <c>/api</c>, calling the app's own methods with
/// the app's own DI. The routes come from the same attributes the Functions SDK writes into
/// functions.metadata, so there is nothing to keep in step by hand.
/// </summary>
internal static class HttpFunctions
{
    public const string RoutePrefix = "api";

    public static IReadOnlyList<HttpFunction> Discover(Assembly appAssembly) =>
    [
        .. from type in appAssembly.GetTypes()
           from method in type.GetMethods(BindingFlags.Public | BindingFlags.Instance | BindingFlags.Static)
           let function = method.GetCustomAttribute<FunctionAttribute>()
           where function is not null
           let trigger = method.GetParameters().Select(p => p.GetCustomAttribute<HttpTriggerAttribute>()).FirstOrDefault(a => a is not null)
           where trigger is not null
           orderby function.Name
           select new HttpFunction(
               function.Name, method, trigger.AuthLevel,
               [.. (trigger.Methods ?? ["get", "post"]).Select(m => m.ToUpperInvariant())],
               trigger.Route ?? function.Name)
    ];

    public static void Map(IEndpointRouteBuilder endpoints, IEnumerable<HttpFunction> functions)
    {
        foreach (var function in functions)
        {
            var invoke = BuildInvoker(function);
            endpoints.MapMethods($"{RoutePrefix}/{function.Route}", function.Methods, invoke)
                .WithName(function.Name)
                .WithMetadata(function);
        }
    }

    private static RequestDelegate BuildInvoker(HttpFunction function)
    {
        var method = function.Method;
        var parameters = method.GetParameters();
        foreach (var p in parameters)
        {
            if (p.ParameterType != typeof(HttpRequest) && p.ParameterType != typeof(CancellationToken) && p.ParameterType != typeof(string))
                throw new InvalidOperationException($"{function.Name}: the local host binds HttpRequest, route strings and CancellationToken, not {p.ParameterType.Name} ({p.Name}).");
        }
        if (method.ReturnType != typeof(Task<IActionResult>) && method.ReturnType != typeof(IActionResult))
            throw new InvalidOperationException($"{function.Name}: HTTP functions return IActionResult or Task<IActionResult>.");

        return async context =>
        {
            var target = method.IsStatic ? null : ActivatorUtilities.CreateInstance(context.RequestServices, method.DeclaringType!);
            var arguments = parameters.Select(p =>
                p.ParameterType == typeof(HttpRequest) ? context.Request
                : p.ParameterType == typeof(CancellationToken) ? context.RequestAborted
                : (object?)(context.Request.RouteValues.TryGetValue(p.Name!, out var value) ? value?.ToString() : context.Request.Query[p.Name!].FirstOrDefault()))
                .ToArray();

            var returned = method.Invoke(target, arguments);
            var result = returned is Task<IActionResult> task ? await task : (IActionResult)returned!;
            await result.ExecuteResultAsync(new ActionContext(context, context.GetRouteData(), new ActionDescriptor()));
        };
    }
}
