using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace SurveyBackend;

/// <summary>
/// An unresolved Key Vault reference reaches the app as its own text, long enough to pass a length check and readable
/// by anyone who reads the settings: a secret holding it stops the app at start, saying why, instead of becoming the
/// key of every hash, seal and token (docs/deploy.md).
/// </summary>
public static class UnresolvedSecrets
{
    private const string ReferencePrefix = "@Microsoft.KeyVault(";

    /// <summary>True for a value that is (or carries) an unresolved Key Vault reference.</summary>
    public static bool LooksUnresolved(string? value) =>
        value is not null && value.Contains(ReferencePrefix, StringComparison.OrdinalIgnoreCase);

    /// <summary>Adds a start-up check of the secret <paramref name="setting"/> (its app-setting name, <c>Section__Key</c>).</summary>
    public static OptionsBuilder<TOptions> RefuseUnresolvedSecret<TOptions>(
        this OptionsBuilder<TOptions> builder, string setting, Func<TOptions, string?> secret)
        where TOptions : class
    {
        builder.Services.AddSingleton<IValidateOptions<TOptions>>(provider => new Check<TOptions>(
            builder.Name, setting, secret,
            provider.GetService<ILoggerFactory>()?.CreateLogger(typeof(UnresolvedSecrets)) ?? NullLogger.Instance));
        return builder;
    }

    private sealed class Check<TOptions>(string? optionsName, string setting, Func<TOptions, string?> secret, ILogger logger)
        : IValidateOptions<TOptions> where TOptions : class
    {
        public ValidateOptionsResult Validate(string? name, TOptions options)
        {
            if (optionsName is not null && name != optionsName) return ValidateOptionsResult.Skip;
            if (!LooksUnresolved(secret(options))) return ValidateOptionsResult.Success;

            // The reference names the vault and the secret, not the secret: still, nothing of the value is logged.
            logger.LogCritical(
                "{Setting} holds an unresolved Key Vault reference, not a secret: the app will not start. Give the app's identity " +
                "the Key Vault Secrets User role on the vault, check the reference's SecretUri, then restart the app",
                setting);
            return ValidateOptionsResult.Fail($"{setting} holds an unresolved Key Vault reference (@Microsoft.KeyVault(...)), not a secret.");
        }
    }
}
