using Microsoft.Extensions.DependencyInjection;

namespace SurveyBackend.Health;

internal static class HealthWiring
{
    public static IServiceCollection AddHealth(this IServiceCollection services) =>
        services.AddSingleton<HealthCheck>().AddSingleton<HealthEndpoints>();
}
