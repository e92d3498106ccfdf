using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using SurveyBackend.Storage;

namespace SurveyBackend.Anonymity;

internal static class AnonymityWiring
{
    public static IServiceCollection AddAnonymity(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<AnonymityOptions>()
            .Bind(configuration.GetSection(AnonymityOptions.SectionName))
            .ValidateDataAnnotations()
            .RefuseUnresolvedSecret("Anonymity__Secret", o => o.Secret)
            .ValidateOnStart();
        services.AddSingleton<SubmissionKeys>();
        services.AddSingleton<RecipientSeal>();
        services.AddSingleton<OtherTextScrubber>();
        services.TryAddSingleton<IPipelineFaults, NoPipelineFaults>();
        services.AddSingleton<PendingRecipientStore>();
        services.AddSingleton<SubmissionBacklog>();
        services.AddSingleton<PoisonQueues>();
        services.AddSingleton<SubmissionAnonymiser>();
        services.AddSingleton<RecipientFlusher>();
        services.AddSingleton<PoisonEndpoints>();
        return services;
    }
}
