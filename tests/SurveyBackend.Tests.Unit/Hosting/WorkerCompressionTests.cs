using System.IO.Compression;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.Abstractions;
using Microsoft.AspNetCore.Routing;
using Microsoft.Azure.Functions.Worker.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace SurveyBackend.Tests.Unit.Hosting;

/// <summary>
/// The isolated worker's own ASP.NET Core pipeline (built by ConfigureFunctionsWebApplication, closed to app code)
/// takes the app's compression through the startup filters its web host applies. The worker cannot run here (it
/// needs the Functions host's gRPC endpoint), so this builds it as Program.cs does and runs a response through the
/// filters its web host received.
/// </summary>
public sealed class WorkerCompressionTests
{
    [Fact]
    public async Task TheWorkersWebHost_RunsTheAppsCompression_AroundAFunctionsResult()
    {
        var builder = FunctionsApplication.CreateBuilder([]);
        builder.Configuration["AzureWebJobsStorage"] = "UseDevelopmentStorage=true";
        builder.ConfigureFunctionsWebApplication();
        builder.Services.AddSurveyBackend(builder.Configuration);
        var webHostService = builder.Services.Single(d => d.ImplementationType?.Name == "GenericWebHostService").ImplementationType!;
        using var host = builder.Build();

        // The filters the worker's web host wraps its pipeline in, as it receives them.
        var webHost = ActivatorUtilities.CreateInstance(host.Services, webHostService);
        var filters = (IEnumerable<IStartupFilter>)webHostService.GetProperty("StartupFilters")!.GetValue(webHost)!;
        Action<IApplicationBuilder> configure = app => app.Run(RunFunctionAsync);
        foreach (var filter in filters.Reverse()) configure = filter.Configure(configure);
        var application = new ApplicationBuilder(host.Services);
        configure(application);

        var context = new DefaultHttpContext { RequestServices = host.Services };
        context.Request.Method = "GET";
        context.Request.Host = new HostString("app.azurewebsites.net");
        context.Request.Headers.AcceptEncoding = "gzip, deflate, br";
        var sent = new MemoryStream();
        context.Response.Body = sent;
        await application.Build()(context);

        Assert.Equal("br", context.Response.Headers.ContentEncoding);
        Assert.Equal("Accept-Encoding", context.Response.Headers.Vary);
        using var decoder = new BrotliStream(new MemoryStream(sent.ToArray()), CompressionMode.Decompress);
        Assert.Equal(Json, await new StreamReader(decoder, Encoding.UTF8).ReadToEndAsync());
    }

    private static readonly string Json = "[" + string.Join(",", Enumerable.Range(0, 500).Select(i => $"{{\"option\":\"o{i}\",\"count\":{i}}}")) + "]";

    // What the worker's FunctionsHttpProxyingMiddleware does with a function's IActionResult.
    private static Task RunFunctionAsync(HttpContext context) =>
        new ContentResult { Content = Json, ContentType = "application/json; charset=utf-8" }
            .ExecuteResultAsync(new ActionContext(context, new RouteData(), new ActionDescriptor()));
}
