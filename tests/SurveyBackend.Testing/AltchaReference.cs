using System.Diagnostics;
using System.Globalization;
using System.Text.Json.Nodes;

namespace SurveyBackend.Testing;

/// <summary>
/// altcha-lib 2.8.0 from npm, run live through <c>scripts/altcha.mjs</c> (Node), so our C# proof of work is checked against
/// the reference implementation itself rather than against fixtures frozen from it.
/// </summary>
public static class AltchaReference
{
    public static Task<string> CreateChallengeAsync(string signatureSecret, string keySecret, int cost, uint counter, DateTimeOffset expiresAt) =>
        RunAsync(null, "create", signatureSecret, keySecret, cost.ToString(CultureInfo.InvariantCulture),
            counter.ToString(CultureInfo.InvariantCulture), expiresAt.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture));

    /// <summary>The proof, base64 as the widget sends it.</summary>
    public static Task<string> SolveAsync(string challengeJson) => RunAsync(challengeJson, "solve");

    /// <summary>altcha-lib's <c>verifySolution</c> result: <c>verified</c>, <c>expired</c>, <c>invalidSignature</c>, <c>invalidSolution</c>.</summary>
    public static async Task<JsonNode> VerifyAsync(string proof, string signatureSecret, string? keySecret = null) =>
        JsonNode.Parse(await RunAsync(proof, keySecret is null ? ["verify", signatureSecret] : ["verify", signatureSecret, keySecret]))!;

    private static async Task<string> RunAsync(string? input, params string[] args)
    {
        var start = new ProcessStartInfo("node") { WorkingDirectory = RepoPaths.Root, RedirectStandardInput = true, RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add(Path.Combine("scripts", "altcha.mjs"));
        foreach (var arg in args) start.ArgumentList.Add(arg);
        using var node = Process.Start(start)!;
        await node.StandardInput.WriteAsync(input ?? "");
        node.StandardInput.Close();
        var output = node.StandardOutput.ReadToEndAsync();
        var error = node.StandardError.ReadToEndAsync();
        await node.WaitForExitAsync();
        if (node.ExitCode != 0) throw new InvalidOperationException($"altcha-lib ({string.Join(' ', args[..1])}) failed: {await error}");
        return await output;
    }
}
