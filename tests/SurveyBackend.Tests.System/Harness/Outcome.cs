using System.Text.Json;
using SurveyBackend.Storage;
using Xunit.Abstractions;

namespace SurveyBackend.Tests.System.Harness;

/// <summary>The end state of a run, read from the public results and from storage.</summary>
public sealed record CountCheck(int Expected, int Reported, IReadOnlyList<string> Differences)
{
    public int Lost => Math.Max(0, Expected - Reported);
    public int DoubleCounted => Math.Max(0, Reported - Expected);
    public bool Exact => Differences.Count == 0;
}

public static class Outcome
{
    /// <summary>How long a settled count is watched for a late change: past the queue's visibility timeout (10 s), so a message a dead host held has come back.</summary>
    private static readonly TimeSpan Settle = TimeSpan.FromSeconds(12);

    public static async Task<JsonDocument?> ResultsAsync(LocalHostProcess host, string surveyId)
    {
        try
        {
            using var response = await host.Admin.GetAsync($"api/admin/surveys/{surveyId}/results");
            if (!response.IsSuccessStatusCode) return null;
            return JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        }
        catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException or JsonException)
        {
            return null;
        }
    }

    /// <summary>
    /// Waits for the results to equal <paramref name="expected"/> with the submissions queue drained, then watches them
    /// for <see cref="Settle"/> more, so a redelivered message that lands late and counts twice is caught.
    /// </summary>
    public static async Task<CountCheck> WaitForExactCountsAsync(LocalHostProcess host, string connectionString, ExpectedResults expected, TimeSpan timeout, ITestOutputHelper output)
    {
        var deadline = DateTime.UtcNow + timeout;
        CountCheck last = new(expected.Respondents, -1, ["no results yet"]);
        while (DateTime.UtcNow < deadline)
        {
            last = await CheckAsync(host, expected);
            if (last.Exact && await QueueDrainedAsync(connectionString))
            {
                await Task.Delay(Settle);
                last = await CheckAsync(host, expected);
                if (last.Exact && await QueueDrainedAsync(connectionString)) return last;
            }
            await Task.Delay(500);
        }
        output.WriteLine($"Counts never settled: {string.Join("; ", last.Differences)}");
        output.WriteLine("Storage: " + (await StorageSnapshot.TakeAsync(connectionString)).Summary());
        var lines = host.Output.Split('\n');
        var warnings = lines.Select((line, i) => (line, i))
            .Where(l => l.line.StartsWith("warn", StringComparison.Ordinal) || l.line.StartsWith("fail", StringComparison.Ordinal) || l.line.StartsWith("crit", StringComparison.Ordinal))
            .SelectMany(l => lines.Skip(l.i).Take(2));
        output.WriteLine("Host warnings and errors (last 60 lines):\n" + string.Join('\n', warnings.TakeLast(60)));
        return last;
    }

    private static async Task<CountCheck> CheckAsync(LocalHostProcess host, ExpectedResults expected)
    {
        using var results = await ResultsAsync(host, TestSurvey.Id);
        if (results is null) return new CountCheck(expected.Respondents, -1, ["results not available"]);
        return new CountCheck(expected.Respondents, ExpectedResults.RespondentsIn(results), expected.Compare(results));
    }

    /// <summary>
    /// No message waiting to be processed. Messages a killed host had taken stay invisible until their lease runs out
    /// (the WebJobs listener takes them for 10 minutes and renews while it works), so they are not waited for here:
    /// their submissions are counted through the sweeper's re-sent copies, and a late copy is a redelivery, which the
    /// redelivery scenario proves harmless.
    /// </summary>
    private static async Task<bool> QueueDrainedAsync(string connectionString)
    {
        var storage = await StorageSnapshot.TakeAsync(connectionString);
        return storage.Queues.First(q => q.Name == "submissions").Peeked.Count == 0;
    }

    /// <summary>
    /// Where respondents' personal data is after processing, where it must not be: names and organisations nowhere
    /// in storage, no email next to a response, emails of those who asked for the report only among the recipients,
    /// and nothing personal in the host's log.
    /// </summary>
    public static IReadOnlyList<string> PersonalDataFaults(StorageSnapshot storage, IEnumerable<Submission> submissions, string log)
    {
        var faults = new List<string>();
        foreach (var respondent in submissions.Select(s => s.Respondent).OfType<Respondent>())
        {
            foreach (var (what, value) in new[] { ("name", respondent.Name), ("organisation", respondent.Organisation) })
            {
                faults.AddRange(storage.WhereFound(value).Distinct().Select(where => $"{what} {value} in {where}"));
                if (log.Contains(value, StringComparison.OrdinalIgnoreCase)) faults.Add($"{what} {value} in the host's log");
            }
            var allowed = respondent.WantsReport ? new[] { "table recipients" } : [];
            faults.AddRange(storage.WhereFound(respondent.Email).Distinct().Where(where => !allowed.Contains(where)).Select(where => $"email {respondent.Email} in {where}"));
            if (log.Contains(respondent.Email, StringComparison.OrdinalIgnoreCase)) faults.Add($"email {respondent.Email} in the host's log");
        }
        faults.AddRange(storage.InTable("submissions")
            .Where(r => new[] { "AnswersJson", "Email", "SealedAddress" }.Any(p => r.Properties.TryGetValue(p, out var value) && value.Length > 0))
            .Select(r => $"a raw submission still holds answers or an email after processing: {r.PartitionKey}|{r.RowKey}"));
        return faults;
    }

    public static IReadOnlyList<string> PoisonFaults(StorageSnapshot storage) =>
        [.. storage.Queues.Where(q => q.Name.EndsWith("-poison", StringComparison.Ordinal) && q.ApproximateCount > 0)
            .Select(q => $"{q.ApproximateCount} messages in {q.Name}: {string.Join(" | ", q.Peeked.Take(3))}"),
         .. storage.InTable(TableNames.Submissions).Where(r => r.RowKey.StartsWith(PendingRecipientStore.UnreadablePrefix, StringComparison.Ordinal))
            .Select(r => $"an unreadable pending recipient set aside: {r.PartitionKey}|{r.RowKey}")];
}
