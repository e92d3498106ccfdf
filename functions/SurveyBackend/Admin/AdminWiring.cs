using Microsoft.Extensions.DependencyInjection;

namespace SurveyBackend.Admin;

internal static class AdminWiring
{
    public static IServiceCollection AddAdmin(this IServiceCollection services)
    {
        services.AddSingleton<SurveyOverview>();
        services.AddSingleton<IntakeActivity>();
        services.AddSingleton<AdminEndpoints>();
        return services;
    }
}
