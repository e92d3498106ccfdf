using Microsoft.AspNetCore.Cors.Infrastructure;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.Abstractions;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Configuration.Memory;
using Microsoft.Extensions.Options;
using SurveyBackend.Form;
using SurveyBackend.Storage;
using SurveyBackend.Web;

namespace SurveyBackend.LocalHost;

/// <summary>
/// Builds the local host: the app's wiring, its HTTP functions on Kestrel, its queue and timer functions on the
/// WebJobs SDK (in <see cref="TriggerHost"/>, which restarts them after a storage outage).
/// </summary>
public static class LocalHostApp
{
    public const string DefaultUrl = "http://127.0.0.1:7071";

    /// <param name="args">Command-line arguments (ASP.NET Core's: --urls and the like).</param>
    /// <param name="settings">Settings that win over files and environment (tests use this for ports and seams).</param>
    /// <param name="configureServices">Runs after the app's wiring, so a test can replace a service (failure injection).</param>
    /// <param name="sampleSettingsOnly">Ignore a developer's local.settings.json (tests and benchmarks: its secret and delays are theirs).</param>
    public static WebApplication Build(
        string[] args,
        IDictionary<string, string?>? settings = null,
        Action<IServiceCollection>? configureServices = null,
        bool sampleSettingsOnly = false)
    {
        var appRoot = LocalSettings.FindAppRoot();
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { Args = args, ContentRootPath = appRoot });

        // local.settings.json first, so environment variables and command line (added by CreateBuilder) override it.
        builder.Configuration.Sources.Insert(0, new MemoryConfigurationSource { InitialData = LocalSettings.Load(appRoot, sampleSettingsOnly) });
        if (settings is not null) builder.Configuration.AddInMemoryCollection(settings);
        if (string.IsNullOrEmpty(builder.Configuration["urls"])) builder.WebHost.UseUrls(DefaultUrl);

        // The storage SDK logs every request at Information; WebJobs' start-up warns that Host.Storage 3.0.14 has
        // "partial types" (a known, harmless mismatch with WebJobs 3.0.48: the piece it cannot load is not used).
        builder.Logging.AddFilter("Azure.Core", LogLevel.Warning);
        builder.Logging.AddFilter("Host.Startup", LogLevel.Error);
        builder.Logging.AddFilter("Microsoft.Azure.WebJobs.Hosting.OptionsLoggingService", LogLevel.Warning);
        builder.Logging.AddFilter("Microsoft.AspNetCore", LogLevel.Warning);

        var functionKey = builder.Configuration[FunctionKeys.SettingName] is { Length: > 0 } configured ? configured : FunctionKeys.NewKey();

        builder.Services.AddSurveyBackend(builder.Configuration);
        builder.Services.AddMvcCore();
        builder.Services.AddSingleton(new FunctionKeys(functionKey));
        // The origins come from the app's own validated SurveyOptions, the same list the form's CSP uses.
        builder.Services.AddCors();
        builder.Services.AddOptions<CorsOptions>().Configure<IOptions<SurveyOptions>>((cors, survey) => cors.AddDefaultPolicy(policy => policy
            .WithOrigins([.. survey.Value.Origins.Select(o => o.TrimEnd('/'))])
            .WithMethods("GET", "POST")
            .WithHeaders("Content-Type", "If-None-Match")
            .WithExposedHeaders("ETag", "Retry-After")));
        // Tables and queues are made once at start, before the listeners or Kestrel begin.
        builder.Services.AddHostedService<StorageStartup>();
        builder.Services.AddHostedService(services => new TriggerHost(
            services, services.GetRequiredService<IConfiguration>(), services.GetRequiredService<ILoggerFactory>(), appRoot));
        configureServices?.Invoke(builder.Services);

        var app = builder.Build();
        // The same problem+json 500 the worker's UnhandledErrors middleware writes in Azure.
        app.UseExceptionHandler(handler => handler.Run(Problems.WriteUnexpectedAsync));
        app.UseStatusCodePages(WriteStatusProblemAsync);
        app.UseCors();
        app.UseRouting();
        app.Use(app.Services.GetRequiredService<FunctionKeys>().InvokeAsync);
        HttpFunctions.Map(app, HttpFunctions.Discover(typeof(Wiring).Assembly));

        // The key itself is a secret and stays out of the log (start.sh prints it for the person who started it).
        app.Logger.LogInformation("Admin routes take the function key in setting {Setting}", FunctionKeys.SettingName);
        // How much of a start went on compiling (the coldstart benchmark reads these; docs/benchmarks.md).
        app.Lifetime.ApplicationStarted.Register(() => LogCompilation(app.Logger, "Started"));
        app.Lifetime.ApplicationStopping.Register(() => LogCompilation(app.Logger, "Stopping"));
        return app;
    }

    private static void LogCompilation(ILogger logger, string moment) =>
        logger.LogInformation("{Moment}: {Methods} methods JIT-compiled in {Milliseconds} ms", moment,
            System.Runtime.JitInfo.GetCompiledMethodCount(), (long)System.Runtime.JitInfo.GetCompilationTime().TotalMilliseconds);

    // Unknown routes and wrong methods answer problem+json too, never an empty body.
    private static Task WriteStatusProblemAsync(StatusCodeContext context)
    {
        var status = context.HttpContext.Response.StatusCode;
        var problem = status switch
        {
            404 => Problems.NotFound("There is nothing at this address."),
            405 => Problems.Problem(405, "method-not-allowed", "Method not allowed.", "This address does not take that method."),
            _ => Problems.Problem(status, "error", "The request failed.", "The request could not be completed."),
        };
        return problem.ExecuteResultAsync(new ActionContext(context.HttpContext, context.HttpContext.GetRouteData(), new ActionDescriptor()));
    }

    private sealed class StorageStartup(StorageInitializer storage, ILogger<StorageStartup> logger) : IHostedService
    {
        public async Task StartAsync(CancellationToken cancellationToken)
        {
            var started = System.Diagnostics.Stopwatch.GetTimestamp();
            await storage.EnsureCreatedAsync(cancellationToken);
            logger.LogInformation("Tables and queues ready in {Milliseconds} ms", (long)System.Diagnostics.Stopwatch.GetElapsedTime(started).TotalMilliseconds);
        }

        public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    }
}
