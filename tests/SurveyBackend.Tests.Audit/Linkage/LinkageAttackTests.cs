using System.Globalization;
using System.Text.RegularExpressions;
using SurveyBackend.Auditing.Linkage;
using Xunit.Abstractions;

namespace SurveyBackend.Tests.Audit.Linkage;

/// <summary>
/// Operators who read storage try to tie each report address to its response in a low-volume survey
/// (<see cref="LowVolumeSurvey"/>): one without the secret who has a snapshot after every write, and one with the
/// secret who reads once, just after a batch of addresses has landed. Each attack may link no more addresses than
/// guessing within each address's batch would, plus a 95% margin.
/// </summary>
public sealed partial class LinkageAttackTests(LowVolumeSurvey survey, ITestOutputHelper output) : IClassFixture<LowVolumeSurvey>
{
    [Fact]
    public void WithEverySnapshot_ButNotTheSecret_NoAttackBeatsChance()
    {
        var attacker = new HistoryAttacker(survey.Recorder.Snapshots);
        var scores = new[]
        {
            Score("snapshots: beside the answers", attacker.BesideAnswers()),
            Score("snapshots: Timestamp order", attacker.TimestampOrder()),
            Score("snapshots: key order", attacker.KeyOrder()),
            Score("snapshots: lengths", attacker.Lengths()),
            Score("snapshots: intersecting batches", attacker.IntersectingBatches()),
        };
        Report(scores);
        Assert.All(scores.Skip(1), s => Assert.True(s.Addresses >= LowVolumeSurvey.Respondents - 1, $"{s.Attack} judged only {s.Addresses} addresses"));
        Assert.All(scores, s => Assert.True(s.WithinChance, s.ToString()));
    }

    [Theory]
    [InlineData("after the first batch past hour 50")]
    [InlineData("after the last batch")]
    public void WithTheSecret_ReadingOnceAfterABatchLanded_NoAttackBeatsChance(string moment)
    {
        var read = ReadAt(moment);
        var attacker = new SingleReadAttacker(read, LowVolumeSurvey.Secret);
        output.WriteLine($"Read {moment}: snapshot {read.Index} at {read.At:u}, {read.Table("recipients").Count} recipients");
        var scores = new[]
        {
            Score("one read: Timestamp order", attacker.TimestampOrder()),
            Score("one read: key order", attacker.KeyOrder()),
            Score("one read: lengths", attacker.Lengths()),
            Score("one read: intersecting batches", attacker.IntersectingBatches()),
            Score("one read: unseal", attacker.Unseal()),
        };
        Report(scores);
        Assert.True(scores[0].Addresses >= 40, $"only {scores[0].Addresses} addresses readable at the read");
        Assert.All(scores, s => Assert.True(s.WithinChance, s.ToString()));
    }

    [Fact]
    public void AddressesBecomeReadable_OnlyInBatchesOfTen_OrAllAtOnceForAMailing()
    {
        var batches = Batches();
        foreach (var (phase, addresses) in batches) output.WriteLine($"{phase,-16} {addresses.Count,3} addresses");
        Assert.Equal(LowVolumeSurvey.Respondents - 1, batches.Sum(b => b.Addresses.Count));
        Assert.All(batches, b => Assert.True(b.Addresses.Count >= 10 || b.Phase.StartsWith("mail", StringComparison.Ordinal),
            $"{b.Addresses.Count} addresses became readable together in '{b.Phase}'"));
    }

    [Fact]
    public void NoSnapshot_HoldsAnAddressInClearOutsideTheRecipients_AndEverySealIsOneSize()
    {
        var clear = survey.Recorder.Snapshots.SelectMany(s => s.Rows).Where(r => Roles.ClearAddress(r) is not null).Select(r => r.Id).Distinct().ToList();
        Assert.True(clear.Count == 0, $"addresses in clear outside the recipients: {string.Join(", ", clear.Take(5))}");
        var lengths = survey.Recorder.Snapshots.SelectMany(s => s.Rows).Select(Roles.Sealed).OfType<string>().Select(s => s.Length).Distinct().ToList();
        Assert.True(lengths.Count == 1, $"seals of {lengths.Count} lengths: {string.Join(", ", lengths.Order().Take(10))}");
    }

    [Fact]
    public void NoKeyOrProperty_CarriesTheTimeARowWasWritten()
    {
        var found = new HashSet<string>(StringComparer.Ordinal);
        foreach (var snapshot in survey.Recorder.Snapshots)
        {
            foreach (var row in snapshot.Rows.Where(HoldsPersonalData))
            {
                foreach (var (where, time) in TimesIn(row))
                {
                    if ((time - row.Timestamp).Duration() < TimeSpan.FromMinutes(10)) found.Add($"{row.Table} {where} ({row.RowKey})");
                }
            }
        }
        Assert.True(found.Count == 0, $"times of writing in keys or properties: {string.Join("; ", found.Take(5))}");
    }

    [Fact]
    public void ASubmissionThatCannotBeAnonymised_LosesItsAddressAfterTheRetention_AndKeepsItsAnswers()
    {
        var poisoned = survey.People[LowVolumeSurvey.Poisoned];
        var rows = survey.Recorder.Snapshots
            .Select(s => (s.At, Row: s.Table("submissions").FirstOrDefault(r => r.Text("SubmissionId") == poisoned.SubmissionId)))
            .Where(x => x.Row is not null).ToList();
        Assert.NotEmpty(rows);
        var holding = rows.Where(x => Roles.Sealed(x.Row!) is not null || Roles.ClearAddress(x.Row!) is not null).ToList();
        Assert.NotEmpty(holding);
        var lastHeld = holding.Max(x => x.At);
        // Kept until midnight after the retention (the row tells the day, no more), then gone at the next hourly sweep.
        var keptUntil = (poisoned.Arrives + LowVolumeSurvey.PendingRetention).UtcDateTime.Date.AddDays(1);
        output.WriteLine($"Arrived {poisoned.Arrives:u}; kept until {keptUntil:u}; address last held {lastHeld:u}; row last seen {rows[^1].At:u}");
        Assert.True(lastHeld <= keptUntil + TimeSpan.FromHours(1), $"still held at {lastHeld:u}");
        Assert.True(lastHeld >= poisoned.Arrives + LowVolumeSurvey.PendingRetention - TimeSpan.FromHours(1), $"gone before the retention, at {lastHeld:u}");
        Assert.NotNull(rows[^1].Row!.Text("AnswersJson"));
        Assert.True(rows[^1].At >= keptUntil, "the row was not followed past the retention");
    }

    [Fact]
    public void TheSimulation_RanThroughTheApp()
    {
        output.WriteLine($"{survey.Recorder.Snapshots.Count} snapshots in {survey.Elapsed.TotalSeconds:0.0}s");
        Assert.Equal(LowVolumeSurvey.Respondents, survey.Recorder.Snapshots[^1].Table("aggregates").Count(Roles.IsResponse));
    }

    /// <summary>
    /// The attack's score against chance within each address's batch: a mailing's batch as it was, any other as at least
    /// the ten the rule promises (so that smaller batches, were there any, would fail here as well as below).
    /// </summary>
    private LinkScore Score(string attack, IEnumerable<LinkGuess> guesses)
    {
        var batchOf = Batches().SelectMany(b => b.Addresses.Select(a => (a, Size: b.Phase.StartsWith("mail", StringComparison.Ordinal) ? b.Addresses.Count : Math.Max(10, b.Addresses.Count))))
            .ToDictionary(x => x.a, x => x.Size, StringComparer.Ordinal);
        return LinkScore.Of(attack, guesses, survey.Truth, address => batchOf.GetValueOrDefault(address, 1));
    }

    private void Report(IEnumerable<LinkScore> scores)
    {
        foreach (var score in scores) output.WriteLine(score.ToString());
    }

    /// <summary>The addresses that became recipients in each step of the simulation (a flush or a mailer run), in order.</summary>
    private List<(string Phase, List<string> Addresses)> Batches()
    {
        var batches = new List<(string Phase, List<string> Addresses)>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var snapshots = survey.Recorder.Snapshots;
        for (var i = 0; i < snapshots.Count; i++)
        {
            var phase = survey.Recorder.Phases[i];
            var landed = snapshots[i].Table("recipients").Where(Roles.IsRecipient).Select(r => r.Text("Email")!).Where(seen.Add).ToList();
            if (landed.Count == 0) continue;
            if (batches.Count > 0 && batches[^1].Phase == phase) batches[^1].Addresses.AddRange(landed);
            else batches.Add((phase, landed));
        }
        return batches;
    }

    /// <summary>The last snapshot of a step in which addresses landed: the moment the second attacker reads.</summary>
    private Snapshot ReadAt(string moment)
    {
        var snapshots = survey.Recorder.Snapshots;
        var landings = Batches().Select(b => snapshots.Select((s, i) => (s, i)).Last(x => survey.Recorder.Phases[x.i] == b.Phase).s).ToList();
        return moment.Contains("hour 50", StringComparison.Ordinal)
            ? landings.First(s => s.At >= LowVolumeSurvey.Start + TimeSpan.FromHours(50))
            : landings[^1];
    }

    private static bool HoldsPersonalData(StoredRow row) =>
        row.Table is "submissions" or "recipients" || Roles.IsResponse(row);

    /// <summary>Every time a row's key or properties spell out: date-time values, and runs of 18–19 digits read as ticks.</summary>
    private static IEnumerable<(string Where, DateTimeOffset Time)> TimesIn(StoredRow row)
    {
        foreach (Match digits in Ticks().Matches(row.RowKey))
        {
            if (long.TryParse(digits.Value, NumberStyles.None, CultureInfo.InvariantCulture, out var ticks) && ticks <= DateTimeOffset.MaxValue.UtcTicks)
                yield return ("RowKey", new DateTimeOffset(ticks, TimeSpan.Zero));
        }
        foreach (var (name, value) in row.Properties)
        {
            if (value is DateTimeOffset offset) yield return (name, offset);
            else if (value is DateTime time) yield return (name, new DateTimeOffset(DateTime.SpecifyKind(time, DateTimeKind.Utc)));
        }
    }

    [GeneratedRegex("[0-9]{18,19}")]
    private static partial Regex Ticks();
}
