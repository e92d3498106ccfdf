using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using SurveyBackend.Admin;
using SurveyBackend.Aggregation;
using SurveyBackend.Anonymity;
using SurveyBackend.Form;
using SurveyBackend.Health;
using SurveyBackend.Intake;
using SurveyBackend.Mailing;
using SurveyBackend.Privacy;
using SurveyBackend.ProofOfWork;
using SurveyBackend.Releases;
using SurveyBackend.Reports;
using SurveyBackend.Storage;
using SurveyBackend.Surveys;
using SurveyBackend.Web;

namespace SurveyBackend;

/// <summary>
/// The one composition root. The isolated worker (Program.cs) and the local host both call this,
/// so the app is wired the same way wherever it runs.
/// </summary>
public static class Wiring
{
    public static IServiceCollection AddSurveyBackend(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddSingleton(TimeProvider.System);
        services.AddCompressedResponses();
        services.AddStorage(configuration);
        services.AddPrivacy(configuration);
        services.AddSurveys();
        services.AddHealth();
        services.AddProofOfWork(configuration);
        services.AddIntake(configuration);
        services.AddAnonymity(configuration);
        services.AddAggregation(configuration);
        services.AddReleases();
        services.AddReports(configuration);
        services.AddMailing(configuration);
        services.AddForm(configuration);
        services.AddSingleton<ContractEndpoints>();
        services.AddAdmin();
        return services;
    }
}
