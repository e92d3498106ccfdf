using SurveyBackend.Aggregation;
using SurveyBackend.Reports;
using SurveyBackend.Storage;
using SurveyBackend.Surveys;

namespace SurveyBackend.Admin;

/// <summary>A survey in the owner's list: what it is, whether it takes responses, and how many it has counted.</summary>
public sealed record SurveySummary(string Id, string Title, SurveyStatus Status, DateTimeOffset? OpensAt, DateTimeOffset? ClosesAt, long Respondents);

public sealed record DayCount(string Day, long Respondents);

/// <summary>
/// Respondents per day (the anonymous response's day, the only time kept). <see cref="Undated"/>: responses counted
/// before the counters kept days; a rebuild of the aggregates dates them.
/// </summary>
public sealed record RespondentsPerDay(string SurveyId, long Respondents, long Undated, IReadOnlyList<DayCount> Days);

/// <summary>A report of a survey, for the console's mailing list. <see cref="Mailing"/>: scheduled, mailing or complete.</summary>
public sealed record ReportSummary(string ReportId, string Title, DateTimeOffset PublishAt, DateTimeOffset PublishedAt, string Mailing, string Url);

/// <summary>
/// What the survey owner's console reads beyond the existing admin routes. Respondents come from the aggregates'
/// overall counters (one point read per shard), never from a scan of the responses, so a refresh costs the same at
/// ten respondents or ten thousand.
/// </summary>
public sealed class SurveyOverview(
    SurveyCatalog catalog, AggregateStore aggregates, ResponseCounter counter,
    ReportStore reports, ReportPublisher publisher, TimeProvider clock)
{
    public async Task<IReadOnlyList<SurveySummary>> ListAsync(CancellationToken cancellationToken)
    {
        var ids = await catalog.ListIdsAsync(cancellationToken);
        var all = (await Task.WhenAll(ids.Select(id => catalog.FindAsync(id, cancellationToken)))).OfType<PublishedSurvey>().Select(s => s.Definition).ToList();
        var overall = await Task.WhenAll(all.Select(s => ReadOverallAsync(s.Id, cancellationToken)));
        return [.. all.Zip(overall, (s, counts) => new SurveySummary(s.Id, s.Title, s.Status, s.OpensAt, s.ClosesAt, counts.GetValueOrDefault(Tally.Respondents)))
            .OrderBy(s => s.Title, StringComparer.CurrentCulture)];
    }

    /// <summary>Null for an unknown survey.</summary>
    public async Task<RespondentsPerDay?> PerDayAsync(string surveyId, CancellationToken cancellationToken)
    {
        if (await catalog.FindAsync(surveyId, cancellationToken) is null) return null;
        var counts = await ReadOverallAsync(surveyId, cancellationToken);
        var days = counts.Where(c => c.Key.StartsWith(Tally.DayPrefix, StringComparison.Ordinal) && c.Value > 0)
            .Select(c => new DayCount(c.Key[Tally.DayPrefix.Length..], c.Value))
            .OrderBy(d => d.Day, StringComparer.Ordinal)
            .ToList();
        var respondents = counts.GetValueOrDefault(Tally.Respondents);
        return new RespondentsPerDay(surveyId, respondents, Math.Max(0, respondents - days.Sum(d => d.Respondents)), days);
    }

    /// <summary>Null for an unknown survey.</summary>
    public async Task<IReadOnlyList<ReportSummary>?> ReportsAsync(string surveyId, CancellationToken cancellationToken)
    {
        if (await catalog.FindAsync(surveyId, cancellationToken) is null) return null;
        var now = clock.GetUtcNow();
        return [.. (await reports.ListForSurveyAsync(surveyId, cancellationToken)).Select(r => new ReportSummary(
            r.Mailing.ReportId, r.Title, r.Mailing.PublishAt, r.PublishedAt,
            r.Mailing.Status == MailingStatus.Complete ? "complete" : r.Mailing.PublishAt > now ? "scheduled" : "mailing",
            publisher.PageUrl(r.Mailing.ReportId)))];
    }

    /// <summary>The overall scope's counters summed over the shards.</summary>
    private async Task<Dictionary<string, long>> ReadOverallAsync(string surveyId, CancellationToken cancellationToken)
    {
        var rows = await Task.WhenAll(Enumerable.Range(0, counter.Shards).Select(shard => aggregates.ReadAsync(surveyId, shard, Tally.All, cancellationToken)));
        var sums = new Dictionary<string, long>(StringComparer.Ordinal);
        foreach (var (name, value) in rows.OfType<CounterRow>().SelectMany(r => r.Counts)) sums[name] = sums.GetValueOrDefault(name) + value;
        return sums;
    }
}
