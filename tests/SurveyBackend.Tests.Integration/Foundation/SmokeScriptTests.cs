using System.Diagnostics;
using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using SurveyBackend.Form;
using SurveyBackend.Testing;
using Xunit.Abstractions;

namespace SurveyBackend.Tests.Integration.Foundation;

/// <summary>
/// scripts/smoke.sh, the check azd runs after every deploy, run as it is run there (bash, a URL and a key) against the
/// local host; and shown to fail when the backend is not there, the key is wrong, or a check's premise is broken.
/// </summary>
[Collection(StackCollection.Name)]
public sealed class SmokeScriptTests(StackFixture stack, ITestOutputHelper output)
{
    // Health, survey, 304, two preflights, bad submission, challenge, four admin routes without a key, two with it
    // (results and the deep health check), form CSP, embed.js coded.
    private const int Checks = 15;

    private string BaseUrl => stack.Host.BaseAddress.ToString().TrimEnd('/');

    private string AllowedOrigin => stack.Host.Services.GetRequiredService<IOptions<SurveyOptions>>().Value.Origins[0];

    [Fact]
    public async Task Smoke_AgainstTheLocalHost_PassesEveryCheck()
    {
        var run = await SmokeAsync(BaseUrl, LocalHostServer.FunctionKey);

        Assert.True(run.ExitCode == 0, run.Output);
        Assert.Contains($"{Checks} passed, 0 failed", run.Output, StringComparison.Ordinal);
        Assert.DoesNotContain("FAIL", run.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Smoke_AgainstAHostWithProofOfWorkOn_AsDeployed_PassesEveryCheck()
    {
        await using var deployed = await LocalHostServer.StartAsync(stack.Azurite, new Dictionary<string, string?> { ["Intake:ProofOfWork"] = "on" });
        var run = await SmokeAsync(deployed.BaseAddress.ToString().TrimEnd('/'), LocalHostServer.FunctionKey);

        Assert.True(run.ExitCode == 0, run.Output);
        Assert.Contains("PASS submission without a proof of work: 403 proof-required", run.Output, StringComparison.Ordinal);
        Assert.Contains($"{Checks} passed, 0 failed", run.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Smoke_AgainstAUrlWhereNothingListens_Fails()
    {
        var run = await SmokeAsync($"http://127.0.0.1:{FreePorts.Next()}", LocalHostServer.FunctionKey);

        Assert.NotEqual(0, run.ExitCode);
        Assert.Contains("FAIL health", run.Output, StringComparison.Ordinal);
        Assert.Contains($"0 passed, {Checks} failed", run.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Smoke_WithAWrongFunctionKey_Fails()
    {
        var run = await SmokeAsync(BaseUrl, "not-the-function-key");

        Assert.NotEqual(0, run.ExitCode);
        Assert.Contains("FAIL admin with the key", run.Output, StringComparison.Ordinal);
        Assert.Contains("FAIL admin health", run.Output, StringComparison.Ordinal);
        Assert.Contains($"{Checks - 2} passed, 2 failed", run.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Smoke_WhenTheForeignOriginIsInFactAllowed_Fails()
    {
        // As if CORS let every origin in: the check that a foreign origin gets no CORS headers must notice.
        var run = await SmokeAsync(BaseUrl, LocalHostServer.FunctionKey, ("SMOKE_FOREIGN_ORIGIN", AllowedOrigin));

        Assert.NotEqual(0, run.ExitCode);
        Assert.Contains("FAIL CORS foreign origin", run.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Demo_IsOffUnlessTurnedOn_AndAnswers404ProblemJson()
    {
        // This stack does not turn DemoPage:Enabled on (the browser tests do, and see the page).
        using var response = await stack.Host.Client.GetAsync("api/demo");

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Contains("urn:survey-backend:problem:not-found", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    private async Task<(int ExitCode, string Output)> SmokeAsync(string baseUrl, string key, params (string Name, string Value)[] environment)
    {
        var start = new ProcessStartInfo("bash")
        {
            WorkingDirectory = RepoPaths.Root,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in new[] { "scripts/smoke.sh", baseUrl, key }) start.ArgumentList.Add(argument);
        start.Environment["SMOKE_ORIGIN"] = AllowedOrigin;
        start.Environment.Remove("ALLOWED_ORIGINS");
        foreach (var (name, value) in environment) start.Environment[name] = value;

        using var process = Process.Start(start) ?? throw new InvalidOperationException("bash did not start");
        var standardOutput = process.StandardOutput.ReadToEndAsync();
        var standardError = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        await process.WaitForExitAsync(timeout.Token);
        var text = await standardOutput + await standardError;
        output.WriteLine(text);
        return (process.ExitCode, text);
    }
}
