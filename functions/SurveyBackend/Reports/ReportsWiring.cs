using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using SurveyBackend.Storage;

namespace SurveyBackend.Reports;

internal static class ReportsWiring
{
    public static IServiceCollection AddReports(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<ReportOptions>()
            .Bind(configuration.GetSection(ReportOptions.SectionName))
            .Validate(o => o.IsValid(), "Report:PublicBaseUrl must be an absolute http(s) URL (where the public reaches this app).")
            .ValidateOnStart();
        services.AddSingleton<ReportStore>();
        services.AddSingleton<ReportPageRenderer>();
        services.AddSingleton<ReportEmailRenderer>();
        services.AddSingleton<SlidesRenderer>();
        services.AddSingleton<ReportPublisher>();
        services.AddSingleton<ReportEndpoints>();
        return services;
    }
}
