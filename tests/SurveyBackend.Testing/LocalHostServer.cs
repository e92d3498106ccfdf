using System.Net.Http.Headers;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using SurveyBackend.LocalHost;

namespace SurveyBackend.Testing;

/// <summary>
/// The real local host (Kestrel + WebJobs SDK) in this process, on a free port, against a given Azurite.
/// Tests talk to it over real HTTP; <paramref name="configureServices"/> is the seam for failure injection.
/// </summary>
public sealed class LocalHostServer : IAsyncDisposable
{
    public const string FunctionKey = "test-function-key";

    private readonly WebApplication _app;

    private LocalHostServer(WebApplication app, Uri baseAddress)
    {
        _app = app;
        BaseAddress = baseAddress;
        Client = new HttpClient { BaseAddress = baseAddress, Timeout = TimeSpan.FromSeconds(30) };
        Admin = new HttpClient { BaseAddress = baseAddress, Timeout = TimeSpan.FromSeconds(30) };
        Admin.DefaultRequestHeaders.Add("x-functions-key", FunctionKey);
    }

    public Uri BaseAddress { get; }
    /// <summary>A public client: no key.</summary>
    public HttpClient Client { get; }
    /// <summary>A client that sends the function key, for admin routes.</summary>
    public HttpClient Admin { get; }
    public IServiceProvider Services => _app.Services;

    public static async Task<LocalHostServer> StartAsync(
        AzuriteServer azurite,
        IDictionary<string, string?>? settings = null,
        Action<IServiceCollection>? configureServices = null)
    {
        var all = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase)
        {
            ["AzureWebJobsStorage"] = azurite.ConnectionString,
            ["urls"] = "http://127.0.0.1:0",
            ["LocalHost:FunctionKey"] = FunctionKey,
            ["Email:Provider"] = "Outbox",
            ["Email:OutboxPath"] = Directory.CreateTempSubdirectory("outbox-").FullName,
            // Far in the future: tests that need the mailer run it themselves.
            ["ReportEmailSchedule"] = "0 0 0 1 1 *",
            // Tests post JSON as scripts; those that test the proof of work turn it on (Intake:ProofOfWork = on).
            ["Intake:ProofOfWork"] = "off",
        };
        foreach (var (key, value) in settings ?? new Dictionary<string, string?>()) all[key.Replace("__", ":", StringComparison.Ordinal)] = value;

        // Never the developer's local.settings.json: start.sh writes a fresh secret there, and a test or benchmark that
        // seeds storage under the sample's secret would find nothing the host could read.
        var app = LocalHostApp.Build([], all, configureServices, sampleSettingsOnly: true);
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        return new LocalHostServer(app, new Uri(address.TrimEnd('/') + "/"));
    }

    public async Task<HttpResponseMessage> PutSurveyAsync(string surveyId, string json)
    {
        using var content = new StringContent(json, MediaTypeHeaderValue.Parse("application/json"));
        return await Admin.PutAsync($"api/admin/surveys/{surveyId}", content);
    }

    public async Task PutSampleSurveyAsync()
    {
        using var response = await PutSurveyAsync(RepoPaths.SampleSurveyId, await File.ReadAllTextAsync(RepoPaths.SampleSurvey));
        response.EnsureSuccessStatusCode();
    }

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        Admin.Dispose();
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
