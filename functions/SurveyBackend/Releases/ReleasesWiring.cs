using Microsoft.Extensions.DependencyInjection;
using SurveyBackend.Storage;

namespace SurveyBackend.Releases;

internal static class ReleasesWiring
{
    public static IServiceCollection AddReleases(this IServiceCollection services)
    {
        services.AddSingleton<ReleaseStore>();
        services.AddSingleton<ReleaseService>();
        services.AddSingleton<ReleaseEndpoints>();
        return services;
    }
}
