using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.Abstractions;
using Microsoft.AspNetCore.Routing;
using Microsoft.Azure.Functions.Worker;
using SurveyBackend.Web;

namespace SurveyBackend.LocalHost;

/// <summary>
/// What the Functions host does for <see cref="AuthorizationLevel.Function"/>: the key in
/// <c>x-functions-key</c> or <c>?code=</c> must match. Here there is one key, the setting
/// <c>LocalHost__FunctionKey</c>; in Azure the platform's function keys do this job.
/// </summary>
internal sealed class FunctionKeys(string key)
{
    public const string SettingName = "LocalHost:FunctionKey";

    public string Key => key;

    public static string NewKey() => Convert.ToBase64String(RandomNumberGenerator.GetBytes(30)).Replace('+', '-').Replace('/', '_');

    public async Task InvokeAsync(HttpContext context, RequestDelegate next)
    {
        var function = context.GetEndpoint()?.Metadata.GetMetadata<HttpFunction>();
        if (function is not null && function.AuthLevel != AuthorizationLevel.Anonymous && !HasKey(context.Request))
        {
            var problem = Problems.Unauthorized();
            await problem.ExecuteResultAsync(new ActionContext(context, context.GetRouteData(), new ActionDescriptor()));
            return;
        }
        await next(context);
    }

    private bool HasKey(HttpRequest request)
    {
        var presented = request.Headers["x-functions-key"].FirstOrDefault() ?? request.Query["code"].FirstOrDefault();
        return presented is not null
            && CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(presented), Encoding.UTF8.GetBytes(key));
    }
}
