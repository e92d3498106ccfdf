using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace SurveyBackend.Intake;

internal static class IntakeWiring
{
    public static IServiceCollection AddIntake(this IServiceCollection services, IConfiguration configuration)
    {
        return services;
    }
}
