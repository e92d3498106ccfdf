using System.Collections.Concurrent;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace SurveyBackend.Tests.Unit.Settings;

/// <summary>An unresolved Key Vault reference in a secret setting stops the app at start, and the log says why.</summary>
public sealed class UnresolvedSecretTests
{
    // What App Service passes on when it cannot resolve a reference: ~90 characters, past MinLength(32).
    private const string SecretReference = "@Microsoft.KeyVault(SecretUri=https://kv-abc123.vault.azure.net/secrets/Anonymity--Secret/)";
    private const string ApiKeyReference = "@Microsoft.KeyVault(VaultName=kv-abc123;SecretName=SendGrid--ApiKey)";

    private static readonly Dictionary<string, string?> Base = new()
    {
        ["AzureWebJobsStorage"] = "UseDevelopmentStorage=true",
        ["Anonymity:Secret"] = "a-test-secret-that-is-at-least-32-characters-long",
        ["Email:From"] = "reports@example.org",
        ["Report:PublicBaseUrl"] = "https://reports.example.org",
    };

    [Theory]
    [InlineData("Anonymity:Secret", SecretReference, "Anonymity__Secret")]
    [InlineData("Anonymity:Secret", "  @microsoft.keyvault(SecretUri=https://kv.vault.azure.net/secrets/x)", "Anonymity__Secret")]
    [InlineData("SendGrid:ApiKey", ApiKeyReference, "SendGrid__ApiKey")]
    public void Start_WithAnUnresolvedKeyVaultReference_FailsAndLogsTheSetting(string key, string value, string setting)
    {
        var logs = new LogSink();
        using var provider = Build(new(Base) { [key] = value, ["Email:Provider"] = "SendGrid", ["SendGrid:ApiKey"] = key == "SendGrid:ApiKey" ? value : "SG.real-looking-key" }, logs);

        // What the host runs at start for every ValidateOnStart options class.
        var failure = Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<IStartupValidator>().Validate());

        Assert.Contains(failure.Failures, f => f.Contains(setting, StringComparison.Ordinal) && f.Contains("unresolved Key Vault reference", StringComparison.Ordinal));
        var line = Assert.Single(logs.Entries, e => e.Level == LogLevel.Critical);
        Assert.Contains(setting, line.Message, StringComparison.Ordinal);
        Assert.Contains("will not start", line.Message, StringComparison.Ordinal);
        // The log line names the setting, never its value.
        Assert.DoesNotContain("vault.azure.net", line.Message, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public void Start_WithResolvedSecrets_Succeeds()
    {
        var logs = new LogSink();
        using var provider = Build(new(Base) { ["Email:Provider"] = "SendGrid", ["SendGrid:ApiKey"] = "SG.a-resolved-key" }, logs);

        provider.GetRequiredService<IStartupValidator>().Validate();

        Assert.DoesNotContain(logs.Entries, e => e.Level == LogLevel.Critical);
    }

    [Theory]
    [InlineData(SecretReference, true)]
    [InlineData(ApiKeyReference, true)]
    [InlineData("SG.abcdefghijklmnopqrstuvwxyz0123456789", false)]
    [InlineData("a-real-secret-mentioning-Microsoft.KeyVault-but-no-reference", false)]
    [InlineData("", false)]
    [InlineData(null, false)]
    public void LooksUnresolved_TellsReferencesFromSecrets(string? value, bool unresolved) =>
        Assert.Equal(unresolved, UnresolvedSecrets.LooksUnresolved(value));

    private static ServiceProvider Build(Dictionary<string, string?> settings, LogSink logs)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        return new ServiceCollection()
            .AddLogging(l => l.AddProvider(logs))
            .AddSurveyBackend(configuration)
            .BuildServiceProvider();
    }

    private sealed class LogSink : ILoggerProvider
    {
        public ConcurrentQueue<(LogLevel Level, string Message)> Entries { get; } = new();

        public ILogger CreateLogger(string categoryName) => new Logger(this);

        public void Dispose() { }

        private sealed class Logger(LogSink sink) : ILogger
        {
            public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;
            public bool IsEnabled(LogLevel logLevel) => true;
            public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
                sink.Entries.Enqueue((logLevel, formatter(state, exception)));
        }
    }
}
