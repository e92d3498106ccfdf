using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using SurveyBackend.Storage;

namespace SurveyBackend.Intake;

/// <summary>How often an instance writes its intake counts: once a minute (tests shorten it; it is not a setting).</summary>
public sealed class IntakeCountOptions
{
    public TimeSpan FlushInterval { get; set; } = TimeSpan.FromMinutes(1);
}

/// <summary>
/// Writes this instance's intake counts for the hours that changed, at most once a <see cref="IntakeCountOptions.FlushInterval"/>,
/// and once more as the instance stops. Each instance runs its own (a timer function would run on one instance only).
/// </summary>
public sealed class IntakeCountFlusher(
    IntakeCounter counter, IntakeCountStore store, IOptions<IntakeCountOptions> options, TimeProvider clock, ILogger<IntakeCountFlusher> logger)
    : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(options.Value.FlushInterval, clock);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken)) await FlushAsync(stoppingToken);
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Stopping: StopAsync writes what is left.
        }
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await base.StopAsync(cancellationToken);
        await FlushAsync(cancellationToken);
    }

    public async Task FlushAsync(CancellationToken cancellationToken)
    {
        foreach (var hour in counter.TakeChanged())
        {
            try
            {
                await store.WriteAsync(counter.Instance, hour, cancellationToken);
            }
            catch (Exception ex) when (IntakeService.IsStorageOutage(ex, cancellationToken) || ex is OperationCanceledException)
            {
                counter.Retry(hour.Hour);
                logger.LogWarning(ex, "Intake counts for {Hour:u} not written; trying again at the next flush", hour.Hour);
            }
        }
    }
}
