using Azure.Data.Tables;
using SurveyBackend.Tests.System.Harness;
using Xunit.Abstractions;

namespace SurveyBackend.Tests.System.Scenarios;

/// <summary>
/// Scenario 5: every admin route refuses a request without the key or with a wrong one (401 problem+json), and the
/// recipients store and raw submissions cannot be read through any public route.
/// </summary>
[Collection(SystemCollection.Name)]
public sealed class AccessTests(SystemStack stack, ITestOutputHelper output)
{
    private static readonly string[] WrongKeys =
    [
        "", " ", "wrong-key", LocalHostProcess.FunctionKey + "x", LocalHostProcess.FunctionKey[..^1],
        // (Not " " + key: HTTP strips leading white space from header values, so that one is the right key.)
        LocalHostProcess.FunctionKey.ToUpperInvariant(), "' or 1 eq 1 or ''='", "null",
    ];

    [Fact]
    public async Task EveryAdminRoute_WithoutTheKeyOrWithAWrongOne_Answers401ProblemJson()
    {
        Assert.NotEmpty(AppRoutes.Admin);
        using var client = new HttpClient { BaseAddress = stack.Host.BaseAddress };
        var tried = 0;
        var faults = new List<string>();
        foreach (var route in AppRoutes.Admin)
        {
            foreach (var method in route.Methods)
            {
                var path = route.PathWith(p => p.Contains("survey", StringComparison.OrdinalIgnoreCase) ? TestSurvey.Id : "any-id");
                var body = method is "GET" or "DELETE" ? null : "{}"u8.ToArray();
                var attempts = new List<(string How, string Path, KeyValuePair<string, string>[] Headers)> { ("no key", path, []) };
                foreach (var key in WrongKeys)
                {
                    attempts.Add(($"header key '{key}'", path, [new("x-functions-key", key)]));
                    attempts.Add(($"code '{key}'", path + "?code=" + Uri.EscapeDataString(key), []));
                }
                attempts.Add(("key in another header", path, [new("Authorization", "Bearer " + LocalHostProcess.FunctionKey)]));
                attempts.Add(("key as a cookie", path, [new("Cookie", "x-functions-key=" + LocalHostProcess.FunctionKey)]));

                foreach (var (how, target, headers) in attempts)
                {
                    tried++;
                    var response = await Wire.SendAsync(client, method, target, body is null ? null : "application/json", body, headers: headers);
                    if (response.Status != 401 || response.MediaType != "application/problem+json")
                        faults.Add($"{method} /{target} with {how}: {response.Status} {response.MediaType}");
                }

                // The right key gets past the gate (whatever the route then says), so the 401s above are about the key.
                var allowed = await Wire.SendAsync(client, method, path, body is null ? null : "application/json", body,
                    headers: [new("x-functions-key", LocalHostProcess.FunctionKey)]);
                if (allowed.Status == 401) faults.Add($"{method} /{path} with the right key: 401");
            }
        }
        new Figures("Access: admin routes") { InputsTried = tried, Notes = $"routes={AppRoutes.Admin.Count} faults={faults.Count}" }.Print(output);
        Assert.True(faults.Count == 0, string.Join('\n', faults));
    }

    [Fact]
    public async Task RecipientsAndRawSubmissions_AreNotReachableThroughAnyPublicRoute()
    {
        // Canaries planted straight into storage, where only the anonymiser and the mailer read.
        var canaryEmail = $"canary-{Guid.NewGuid():N}@example.org";
        var canaryAnswer = $"canary-answer-{Guid.NewGuid():N}";
        var tables = new TableServiceClient(stack.Azurite.ConnectionString);
        var recipientKey = "canary-recipient";
        var submissionKey = "canary-submission";
        await tables.GetTableClient("recipients").UpsertEntityAsync(new TableEntity(TestSurvey.Id, recipientKey) { ["Email"] = canaryEmail });
        await tables.GetTableClient("submissions").UpsertEntityAsync(new TableEntity(TestSurvey.Id, submissionKey)
        {
            ["AnswersJson"] = $"{{\"sector\":\"{canaryAnswer}\"}}", ["Email"] = canaryEmail, ["ReceivedAt"] = DateTimeOffset.UtcNow, ["State"] = "Enqueued",
        });

        using var client = new HttpClient { BaseAddress = stack.Host.BaseAddress };
        string[] ids = [TestSurvey.Id, recipientKey, submissionKey, "recipients", "submissions", canaryEmail, "..%2Frecipients", "*"];
        var tried = 0;
        var leaks = new List<string>();
        try
        {
            foreach (var route in AppRoutes.Public)
            {
                foreach (var method in route.Methods)
                {
                    foreach (var id in route.Parameters.Count == 0 ? ["-"] : ids)
                    {
                        var path = route.PathWith(_ => id.Contains('%', StringComparison.Ordinal) ? id : Uri.EscapeDataString(id));
                        foreach (var query in new[] { "", "?format=csv", "?token=" + Uri.EscapeDataString(recipientKey), "?email=" + Uri.EscapeDataString(canaryEmail) })
                        {
                            tried++;
                            var body = method == "GET" ? null : "{}"u8.ToArray();
                            var response = await Wire.SendAsync(client, method, path + query, body is null ? null : "application/json", body);
                            if (response.Body.Contains(canaryEmail, StringComparison.OrdinalIgnoreCase) || response.Body.Contains(canaryAnswer, StringComparison.Ordinal)
                                || response.Body.Contains("canary-", StringComparison.Ordinal))
                                leaks.Add($"{method} /{path}{query} → {response.Status}: {response.Body[..Math.Min(200, response.Body.Length)]}");
                            if (response.Status >= 500) leaks.Add($"{method} /{path}{query} → {response.Status}");
                        }
                    }
                }
            }
        }
        finally
        {
            await tables.GetTableClient("recipients").DeleteEntityAsync(TestSurvey.Id, recipientKey);
            await tables.GetTableClient("submissions").DeleteEntityAsync(TestSurvey.Id, submissionKey);
        }
        new Figures("Access: stores not public") { InputsTried = tried, Notes = $"routes={AppRoutes.Public.Count} leaks={leaks.Count}" }.Print(output);
        Assert.True(leaks.Count == 0, string.Join('\n', leaks));
    }
}
