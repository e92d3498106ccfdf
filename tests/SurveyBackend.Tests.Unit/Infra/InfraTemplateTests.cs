using System.Diagnostics;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using SurveyBackend.Intake;
using SurveyBackend.Storage;

namespace SurveyBackend.Tests.Unit.Infra;

/// <summary>
/// Checks infra/ offline with the Bicep CLI from NuGet: the template builds and lints clean, and the
/// app settings it deploys cover every setting the app reads, keylessly.
/// </summary>
public sealed partial class InfraTemplateTests(BicepTemplate template) : IClassFixture<BicepTemplate>
{
    // Keys of local.settings.sample.json that are deliberately not app settings in Azure.
    private static readonly HashSet<string> LocalOnlySettings = new(StringComparer.Ordinal)
    {
        // The local host's stand-in for function keys; in Azure the platform's function keys do that job.
        "LocalHost__FunctionKey",
        // Folder of the Outbox email provider; Azure sends with SendGrid.
        "Email__OutboxPath",
        // A connection string locally; in Azure the identity-based AzureWebJobsStorage__* set replaces it.
        "AzureWebJobsStorage",
        // Flex Consumption takes the runtime from functionAppConfig.runtime and rejects this setting.
        "FUNCTIONS_WORKER_RUNTIME",
    };

    private static readonly string[] IdentityBasedStorageSettings =
    [
        "AzureWebJobsStorage__blobServiceUri",
        "AzureWebJobsStorage__queueServiceUri",
        "AzureWebJobsStorage__tableServiceUri",
        "AzureWebJobsStorage__credential",
        "AzureWebJobsStorage__clientId",
    ];

    // Settings the Flex Consumption plan refuses: the platform owns them.
    private static readonly string[] RejectedByFlexConsumption =
    [
        "FUNCTIONS_WORKER_RUNTIME",
        "FUNCTIONS_EXTENSION_VERSION",
        "WEBSITE_RUN_FROM_PACKAGE",
        "WEBSITE_CONTENTSHARE",
        "WEBSITE_CONTENTAZUREFILECONNECTIONSTRING",
        "SCM_DO_BUILD_DURING_DEPLOYMENT",
    ];

    private static readonly string[] CredentialMarkers =
        ["AccountKey=", "listKeys(", "DefaultEndpointsProtocol", "SharedAccessSignature=", "SharedAccessKey="];

    [Fact]
    public async Task MainBicep_Builds_WithoutLinterWarnings()
    {
        var build = template.Build;
        Assert.True(build.ExitCode == 0, $"bicep build failed:\n{build.Output}");
        AssertNoDiagnostics("build", build);

        var lint = await template.RunBicepAsync("lint", template.MainBicep);
        Assert.True(lint.ExitCode == 0, $"bicep lint failed:\n{lint.Output}");
        // Lint exits 0 on warnings, so the output is the verdict.
        AssertNoDiagnostics("lint", lint);
    }

    [Fact]
    public void AppSettings_CoverEverySampleSetting()
    {
        var settings = template.AppSettings;
        var missing = template.SampleSettingKeys
            .Where(key => !LocalOnlySettings.Contains(key) && !settings.ContainsKey(key))
            .ToList();
        Assert.True(missing.Count == 0, $"Missing from the app settings in infra/app/api.bicep: {string.Join(", ", missing)}");

        // AzureWebJobsStorage is satisfied by its identity-based settings...
        Assert.All(IdentityBasedStorageSettings, key => Assert.True(settings.ContainsKey(key), $"{key} is missing"));
        Assert.Equal("managedidentity", settings["AzureWebJobsStorage__credential"]?.GetValue<string>());

        // ...and FUNCTIONS_WORKER_RUNTIME by the Flex Consumption runtime.
        var runtime = template.FunctionApp["properties"]?["functionAppConfig"]?["runtime"];
        Assert.Equal("dotnet-isolated", runtime?["name"]?.GetValue<string>());
        Assert.Equal("10.0", runtime?["version"]?.GetValue<string>());
    }

    [Fact]
    public void AppSettings_CarryNoConnectionStringOrKey()
    {
        var settings = template.AppSettings;
        var text = settings.ToJsonString();
        Assert.All(CredentialMarkers, marker => Assert.DoesNotContain(marker, text, StringComparison.OrdinalIgnoreCase));
        // Nothing anywhere in the template reads an account key.
        Assert.DoesNotContain("listKeys(", template.ArmJson, StringComparison.OrdinalIgnoreCase);

        // A plain AzureWebJobsStorage would be taken for a connection string, by the host and by the app.
        Assert.False(settings.ContainsKey("AzureWebJobsStorage"), "AzureWebJobsStorage must not be set in Azure");
        Assert.All(RejectedByFlexConsumption, key => Assert.False(settings.ContainsKey(key), $"{key} is rejected by Flex Consumption"));

        // Secrets come from Key Vault, resolved as the user-assigned identity.
        foreach (var key in new[] { "SendGrid__ApiKey", "Anonymity__Secret", "Anonymity__PreviousSecrets" })
        {
            Assert.Contains("@Microsoft.KeyVault(SecretUri=", settings[key]?.GetValue<string>(), StringComparison.Ordinal);
        }
        // The earlier secrets after a rotation (issue #26 §6): a Key Vault reference when there are any, else empty.
        Assert.Equal("[if(empty(parameters('anonymityPreviousSecretUri')), '', format('@Microsoft.KeyVault(SecretUri={0})', parameters('anonymityPreviousSecretUri')))]",
            settings["Anonymity__PreviousSecrets"]?.GetValue<string>());
        Assert.NotNull(template.FunctionApp["properties"]?["keyVaultReferenceIdentity"]);
    }

    [Fact]
    public void AppSettings_LeaveTheHostsCompressionOff_TheAppCodesItsOwn()
    {
        // The host's flag would code what the app leaves uncoded (small bodies) and keep strong ETags on what it codes,
        // so Azure would answer other bytes than the local host (docs/deploy.md, "Compression").
        Assert.DoesNotContain("EnableResponseCompression", template.ArmJson, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public void FunctionApp_SetsNothingFlexConsumptionRejects()
    {
        // ARM error 51021: Flex Consumption refuses ftpsState among other siteConfig properties.
        Assert.Null(template.FunctionApp["properties"]?["siteConfig"]?["ftpsState"]);

        // The lowest maximum instance count Flex Consumption accepts is 40, in main.bicep and in the api module alike.
        var api = template.Resources("Microsoft.Resources/deployments").Single(r => r.Resource["name"]?.GetValue<string>() == "api").Resource;
        Assert.Equal(40, template.Arm["parameters"]?["maximumInstanceCount"]?["minValue"]?.GetValue<int>());
        Assert.Equal(40, api["properties"]?["template"]?["parameters"]?["maximumInstanceCount"]?["minValue"]?.GetValue<int>());
    }

    [Fact]
    public void AzureYaml_RequiresAnAzdThatPassesArrays_AndSmokeTestsEveryDeploy()
    {
        var yaml = File.ReadAllText(Path.Combine(template.RepoRoot, "azure.yaml"));

        // ALLOWED_ORIGINS, a JSON array, reaches the array parameter from azd 1.23.4 (azure-dev PR #6694), and the
        // environment reaches `dotnet publish` from 1.23.7 (PR #6905): the deployed build's runtime comes that way.
        Assert.Matches(@"(?m)^requiredVersions:\s*\n\s+azd:\s*"">=\s*1\.23\.7""", yaml);
        Assert.Matches(@"(?m)^hooks:\s*\n(\s+#.*\n)*\s+postdeploy:\s*\n(\s+\w+:.*\n)*?\s+run:.*scripts/smoke\.sh ""\$SERVICE_API_URI""", yaml);
    }

    [Fact]
    public async Task TheDeployedBuild_IsReadyToRunForLinuxX64_AndLocalBuildsAreNot()
    {
        // azd publishes with its environment, where provisioning has put this output; so up provisions first.
        Assert.Equal("linux-x64", template.Arm["outputs"]?["RuntimeIdentifier"]?["value"]?.GetValue<string>());
        var yaml = File.ReadAllText(Path.Combine(template.RepoRoot, "azure.yaml"));
        Assert.Matches(@"(?m)^workflows:\s*\n\s+up:\s*\n\s+- azd: provision\s*\n\s+- azd: deploy --all", yaml);

        // MSBuild takes the environment's RuntimeIdentifier as -r sets it: then, and only then, the app is ReadyToRun.
        var project = Path.Combine(template.RepoRoot, "functions", "SurveyBackend", "SurveyBackend.csproj");
        Assert.Equal("true", await PropertyAsync(project, "PublishReadyToRun", ("RuntimeIdentifier", "linux-x64")));
        Assert.Equal("", await PropertyAsync(project, "PublishReadyToRun"));
        Assert.Equal("", await PropertyAsync(project, "RuntimeIdentifier"));
    }

    /// <summary>One property of a project as MSBuild evaluates it (no build), with the given environment.</summary>
    private static async Task<string> PropertyAsync(string project, string property, params (string Name, string Value)[] environment)
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in new[] { "msbuild", project, $"-getProperty:{property}", "-nologo" }) start.ArgumentList.Add(argument);
        start.Environment.Remove("RuntimeIdentifier");
        foreach (var (name, value) in environment) start.Environment[name] = value;
        using var process = Process.Start(start)!;
        var output = await process.StandardOutput.ReadToEndAsync();
        await process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        Assert.True(process.ExitCode == 0, output);
        return output.Trim();
    }

    [Fact]
    public void AlwaysReady_IsOffUnlessTheOwnerSetsIt_AndProvisioningKeepsTheirChoice()
    {
        // Off by default (the idle cost stays 0); azd passes ALWAYS_READY_HTTP, so `azd provision` keeps an owner's 1.
        Assert.Equal("0", template.Arm["parameters"]?["alwaysReadyHttp"]?["defaultValue"]?.GetValue<string>());
        var parameters = File.ReadAllText(Path.Combine(template.RepoRoot, "infra", "main.parameters.json"));
        Assert.Contains("\"${ALWAYS_READY_HTTP=0}\"", parameters, StringComparison.Ordinal);
        var scale = template.FunctionApp["properties"]?["functionAppConfig"]?["scaleAndConcurrency"]?["alwaysReady"]?.GetValue<string>();
        Assert.Contains("'name', 'http'", scale, StringComparison.Ordinal);
    }

    [Fact]
    public void ClientAddressHeader_DefaultsToTheAppServiceFrontEndsHeader_AndOffersFrontDoors()
    {
        var parameter = template.Arm["parameters"]?["clientAddressHeader"];
        Assert.Equal(ClientAddresses.AppServiceHeader, parameter?["defaultValue"]?.GetValue<string>());
        var allowed = parameter?["allowedValues"]?.AsArray().Select(v => v!.GetValue<string>()).ToList() ?? [];
        Assert.Contains(ClientAddresses.FrontDoorHeader, allowed);
        Assert.Contains("", allowed);

        var parameters = File.ReadAllText(Path.Combine(template.RepoRoot, "infra", "main.parameters.json"));
        Assert.Contains($"${{CLIENT_ADDRESS_HEADER={ClientAddresses.AppServiceHeader}}}", parameters, StringComparison.Ordinal);
        Assert.Contains("clientAddressHeader", template.AppSettings["Intake__ClientAddressHeader"]?.GetValue<string>(), StringComparison.Ordinal);
    }

    [Fact]
    public void StorageAccount_RefusesSharedKeysAndPublicBlobs()
    {
        var properties = template.Resources("Microsoft.Storage/storageAccounts").Single().Resource["properties"];
        Assert.False(properties?["allowSharedKeyAccess"]?.GetValue<bool>());
        Assert.False(properties?["allowBlobPublicAccess"]?.GetValue<bool>());
        Assert.True(properties?["supportsHttpsTrafficOnly"]?.GetValue<bool>());
        Assert.Equal("TLS1_2", properties?["minimumTlsVersion"]?.GetValue<string>());
    }

    [Fact]
    public void Storage_CreatesEveryTableAndQueueTheAppUses()
    {
        Assert.Equal(TableNames.All.Order(), template.CopyNames("Microsoft.Storage/storageAccounts/tableServices/tables").Order());
        Assert.Equal(QueueNames.All.Order(), template.CopyNames("Microsoft.Storage/storageAccounts/queueServices/queues").Order());
    }

    // Bicep prints diagnostics as "path(line,col) : Warning rule: message".
    private static void AssertNoDiagnostics(string command, BicepRun run)
    {
        var diagnostics = run.Output.Split('\n').Where(line => DiagnosticLine().IsMatch(line)).ToList();
        Assert.True(diagnostics.Count == 0, $"bicep {command} reported:\n{string.Join('\n', diagnostics)}");
    }

    [GeneratedRegex(@"\)\s*:\s*(Warning|Error)\s")]
    private static partial Regex DiagnosticLine();
}

/// <summary>Runs <c>bicep build</c> on infra/main.bicep once and serves the ARM JSON to the tests.</summary>
public sealed class BicepTemplate : IAsyncLifetime
{
    // Keep in step with the PackageDownload of Azure.Bicep.CommandLine.linux-x64 in the csproj.
    private const string BicepVersion = "0.49.2";

    private JsonObject? arm;

    public string RepoRoot { get; } = FindRepoRoot();

    public string MainBicep => Path.Combine(RepoRoot, "infra", "main.bicep");

    public BicepRun Build { get; private set; } = new(-1, "", "not run");

    public string ArmJson => Build.ExitCode == 0 ? Build.StandardOutput : throw new InvalidOperationException($"bicep build failed:\n{Build.Output}");

    public JsonObject Arm => arm ??= JsonNode.Parse(ArmJson)?.AsObject() ?? throw new InvalidOperationException("bicep build wrote no JSON");

    public JsonObject FunctionApp => Resources("Microsoft.Web/sites").Single().Resource;

    /// <summary>The app settings, literal keys to ARM expressions.</summary>
    public JsonObject AppSettings =>
        Resources("Microsoft.Web/sites/config")
            .Single(r => r.Resource["name"]?.GetValue<string>().Contains("'appsettings'", StringComparison.Ordinal) == true)
            .Resource["properties"]?.AsObject()
        ?? throw new InvalidOperationException("The appsettings resource has no properties");

    public IEnumerable<string> SampleSettingKeys
    {
        get
        {
            var sample = File.ReadAllText(Path.Combine(RepoRoot, "local.settings.sample.json"));
            var options = new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true };
            using var document = JsonDocument.Parse(sample, options);
            return document.RootElement.GetProperty("Values").EnumerateObject().Select(p => p.Name).ToList();
        }
    }

    public async Task InitializeAsync() => Build = await RunBicepAsync("build", MainBicep, "--stdout");

    public Task DisposeAsync() => Task.CompletedTask;

    /// <summary>Every resource of a type, with the template (root or nested module) that declares it.</summary>
    public List<(JsonObject Template, JsonObject Resource)> Resources(string type)
    {
        var found = new List<(JsonObject, JsonObject)>();
        Collect(Arm, type, found);
        return found;
    }

    /// <summary>The names a copy loop creates: it names each resource from a variable of the declaring template.</summary>
    public IEnumerable<string> CopyNames(string type)
    {
        var (declaring, resource) = Resources(type).Single();
        var name = resource["name"]?.GetValue<string>() ?? "";
        var variable = Regex.Match(name, @"variables\('(?<name>[^']+)'\)\[copyIndex\(\)\]").Groups["name"].Value;
        var names = declaring["variables"]?[variable]?.AsArray()
            ?? throw new InvalidOperationException($"{type} is not a loop over a literal array variable: {name}");
        return names.Select(n => n!.GetValue<string>()).ToList();
    }

    private static void Collect(JsonObject template, string type, List<(JsonObject, JsonObject)> found)
    {
        // Resources are an array, or an object keyed by symbolic name (languageVersion 2.0).
        var resources = template["resources"] switch
        {
            JsonArray array => array.OfType<JsonObject>(),
            JsonObject map => map.Select(p => p.Value).OfType<JsonObject>(),
            _ => [],
        };
        foreach (var resource in resources)
        {
            if (string.Equals(resource["type"]?.GetValue<string>(), type, StringComparison.OrdinalIgnoreCase))
            {
                found.Add((template, resource));
            }
            if (resource["properties"]?["template"] is JsonObject nested)
            {
                Collect(nested, type, found);
            }
        }
    }

    public async Task<BicepRun> RunBicepAsync(params string[] arguments)
    {
        var start = new ProcessStartInfo(FindBicep())
        {
            WorkingDirectory = RepoRoot,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start) ?? throw new InvalidOperationException("bicep did not start");
        var standardOutput = process.StandardOutput.ReadToEndAsync();
        var standardError = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(3));
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"bicep {string.Join(' ', arguments)} took over three minutes");
        }
        return new BicepRun(process.ExitCode, await standardOutput, await standardError);
    }

    // The CLI comes from the NuGet package the test project downloads; elsewhere than linux-x64,
    // a bicep on PATH or from `az bicep install` stands in.
    private static string FindBicep()
    {
        var packages = Environment.GetEnvironmentVariable("NUGET_PACKAGES") is { Length: > 0 } root
            ? root
            : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".nuget", "packages");
        var fromNuGet = Path.Combine(packages, "azure.bicep.commandline.linux-x64", BicepVersion, "tools", "bicep");
        if (OperatingSystem.IsLinux() && File.Exists(fromNuGet))
        {
            // NuGet does not keep the executable bit.
            File.SetUnixFileMode(fromNuGet, File.GetUnixFileMode(fromNuGet) | UnixFileMode.UserExecute | UnixFileMode.GroupExecute | UnixFileMode.OtherExecute);
            return fromNuGet;
        }

        var exe = OperatingSystem.IsWindows() ? "bicep.exe" : "bicep";
        var candidates = (Environment.GetEnvironmentVariable("PATH") ?? "")
            .Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Append(Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".azure", "bin"))
            .Select(folder => Path.Combine(folder, exe));
        return candidates.FirstOrDefault(File.Exists)
            ?? throw new FileNotFoundException($"No Bicep CLI: restore the test project (it downloads Azure.Bicep.CommandLine.linux-x64 {BicepVersion}) or put bicep on PATH.", fromNuGet);
    }

    // The repo root holds host.json and infra/; host.json is also copied into bin/, hence both.
    private static string FindRepoRoot()
    {
        for (var folder = new DirectoryInfo(AppContext.BaseDirectory); folder is not null; folder = folder.Parent)
        {
            if (File.Exists(Path.Combine(folder.FullName, "host.json")) && File.Exists(Path.Combine(folder.FullName, "infra", "main.bicep")))
            {
                return folder.FullName;
            }
        }
        throw new DirectoryNotFoundException($"No folder above {AppContext.BaseDirectory} holds host.json and infra/main.bicep");
    }
}

public sealed record BicepRun(int ExitCode, string StandardOutput, string StandardError)
{
    public string Output => StandardOutput + StandardError;
}
