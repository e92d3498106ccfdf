using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace SurveyBackend.Reports;

internal static class ReportsWiring
{
    public static IServiceCollection AddReports(this IServiceCollection services, IConfiguration configuration)
    {
        return services;
    }
}
