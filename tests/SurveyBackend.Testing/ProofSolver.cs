using System.Diagnostics;
using System.Text;
using System.Text.Json.Nodes;
using SurveyBackend.ProofOfWork;

namespace SurveyBackend.Testing;

/// <summary>
/// A proof-of-work solver written as a script would write it (what the load test and the benchmark pay with): counters
/// from 0 up until the PBKDF2 key starts with the challenge's prefix, then the payload the altcha widget sends.
/// </summary>
public static class ProofSolver
{
    public static async Task<string> FetchAndSolveAsync(HttpClient client, CancellationToken cancellationToken = default)
    {
        using var response = await client.GetAsync("api/challenge", cancellationToken);
        response.EnsureSuccessStatusCode();
        return Solve(await response.Content.ReadAsStringAsync(cancellationToken));
    }

    public static string Solve(string challengeJson)
    {
        var challenge = JsonNode.Parse(challengeJson)!;
        var parameters = challenge["parameters"]!;
        var nonce = Convert.FromHexString((string)parameters["nonce"]!);
        var salt = Convert.FromHexString((string)parameters["salt"]!);
        var prefix = Convert.FromHexString((string)parameters["keyPrefix"]!);
        var cost = (int)parameters["cost"]!;
        var started = Stopwatch.GetTimestamp();
        for (uint counter = 0; ; counter++)
        {
            var key = ChallengeIssuer.DeriveKey(nonce, salt, counter, cost, (int)parameters["keyLength"]!);
            if (!key.AsSpan().StartsWith(prefix)) continue;
            var solution = new JsonObject
            {
                ["counter"] = counter,
                ["derivedKey"] = Convert.ToHexStringLower(key),
                ["time"] = Math.Round(Stopwatch.GetElapsedTime(started).TotalMilliseconds, 1),
            };
            var payload = new JsonObject { ["challenge"] = challenge.DeepClone(), ["solution"] = solution };
            return Convert.ToBase64String(Encoding.UTF8.GetBytes(payload.ToJsonString()));
        }
    }
}
