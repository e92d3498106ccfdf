using System.Runtime.ExceptionServices;
using Microsoft.Azure.WebJobs.Host;
using Microsoft.Azure.WebJobs.Host.Timers;

namespace SurveyBackend.LocalHost;

/// <summary>
/// Runs the queue and timer triggers in an inner WebJobs host, started afresh when a listener fails: the SDK would crash
/// the process, the Functions host restarts its job host, so a storage outage pauses the triggers, never the HTTP side.
/// Adapters reach the app's services, shared with the outer host, through <see cref="AppServices"/>.
/// </summary>
internal sealed class TriggerHost(
    IServiceProvider appServices, IConfiguration configuration, ILoggerFactory loggerFactory, string appRoot) : BackgroundService
{
    private static readonly TimeSpan RestartDelay = TimeSpan.FromSeconds(3);
    private static readonly TimeSpan StopTimeout = TimeSpan.FromSeconds(10);

    private readonly ILogger _logger = loggerFactory.CreateLogger<TriggerHost>();

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            var failed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            var host = Build(failed);
            try
            {
                await host.StartAsync(stoppingToken);
                await Task.WhenAny(failed.Task, Task.Delay(Timeout.Infinite, stoppingToken));
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
            }
            catch (Exception ex)
            {
                _logger.LogError(ex, "Queue and timer triggers could not start");
            }

            await StopQuietlyAsync(host);
            if (stoppingToken.IsCancellationRequested) break;

            _logger.LogWarning("Restarting the queue and timer triggers in {Delay}", RestartDelay);
            try { await Task.Delay(RestartDelay, stoppingToken); }
            catch (OperationCanceledException) { break; }
        }
    }

    // A job host whose listener failed can throw again while stopping or disposing; none of that may reach
    // the outer host, which would stop the whole process.
    private async Task StopQuietlyAsync(IHost host)
    {
        using var stopping = new CancellationTokenSource(StopTimeout);
        try
        {
            await host.StopAsync(stopping.Token);
        }
        catch (Exception ex)
        {
            _logger.LogWarning(ex, "Stopping the triggers failed");
        }
        try
        {
            host.Dispose();
        }
        catch (Exception ex)
        {
            _logger.LogWarning(ex, "Disposing the triggers failed");
        }
    }

    private IHost Build(TaskCompletionSource failed) =>
        new HostBuilder()
            .UseContentRoot(appRoot)
            .ConfigureAppConfiguration(config => config.AddConfiguration(configuration))
            .ConfigureServices(services =>
            {
                services.AddSingleton(loggerFactory);
                services.AddSingleton(new AppServices(appServices));
                services.AddSingleton<IWebJobsExceptionHandlerFactory>(new RestartOnFailure(failed, _logger));
            })
            .ConfigureWebJobs(webJobs =>
            {
                webJobs.AddAzureStorageCoreServices();
                webJobs.AddAzureStorageQueues(options => HostJson.ApplyQueueSettings(appRoot, configuration, options));
                webJobs.AddTimers();
            })
            .Build();

    /// <summary>Turns the SDK's "crash the process" into "log it and restart the triggers".</summary>
    private sealed class RestartOnFailure(TaskCompletionSource failed, ILogger logger) : IWebJobsExceptionHandlerFactory, IWebJobsExceptionHandler
    {
        public IWebJobsExceptionHandler Create(IHost jobHost) => this;

        public Task OnTimeoutExceptionAsync(ExceptionDispatchInfo exceptionInfo, TimeSpan timeoutGracePeriod) =>
            OnUnhandledExceptionAsync(exceptionInfo);

        public Task OnUnhandledExceptionAsync(ExceptionDispatchInfo exceptionInfo)
        {
            logger.LogError(exceptionInfo.SourceException, "A trigger listener failed; the triggers will restart");
            failed.TrySetResult();
            return Task.CompletedTask;
        }
    }
}

/// <summary>The app's own service provider, handed to the trigger adapters in the inner WebJobs host.</summary>
internal sealed record AppServices(IServiceProvider Provider);
