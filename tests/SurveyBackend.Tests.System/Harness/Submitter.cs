using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Text;

namespace SurveyBackend.Tests.System.Harness;

/// <summary>
/// A well-behaved client of <c>POST /api/surveys/{id}/responses</c>: it retries with the same submission id
/// on a dropped connection, a timeout, 503 or 429 (honouring Retry-After, capped to keep the tests quick)
/// until it sees 202 or 200, and records every answer it got on the way.
/// </summary>
public sealed class Submitter(Uri baseAddress, string surveyId)
{
    /// <summary>No request may take longer than this, outage or not.</summary>
    public static readonly TimeSpan RequestTimeout = TimeSpan.FromSeconds(10);

    private readonly HttpClient _client = new(new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.FromSeconds(5) })
    {
        BaseAddress = baseAddress,
        Timeout = RequestTimeout,
    };

    private readonly ConcurrentBag<Submission> _accepted = [];
    private readonly ConcurrentDictionary<string, int> _statuses = new();
    private readonly ConcurrentBag<string> _failures = [];
    private long _attempts;
    private long _maxLatencyTicks;
    private int _unavailableWithoutRetryAfter;

    public IReadOnlyCollection<Submission> Accepted => _accepted;
    public long Attempts => Interlocked.Read(ref _attempts);
    public TimeSpan MaxLatency => TimeSpan.FromTicks(Interlocked.Read(ref _maxLatencyTicks));
    public int UnavailableWithoutRetryAfter => _unavailableWithoutRetryAfter;
    /// <summary>Answers the client must never see (5xx other than 503, unexpected 4xx, hangs), one line each.</summary>
    public IReadOnlyCollection<string> Failures => _failures;
    public int Count(string status) => _statuses.GetValueOrDefault(status);
    public string StatusSummary => string.Join(", ", _statuses.OrderBy(s => s.Key, StringComparer.Ordinal).Select(s => $"{s.Key}×{s.Value}"));

    /// <summary>Posts every submission, <paramref name="parallel"/> at a time, each until accepted; all of them give up after <paramref name="giveUpAfter"/>.</summary>
    public Task SubmitAllAsync(IEnumerable<Submission> submissions, int parallel, TimeSpan giveUpAfter, Action<int>? onAccepted = null)
    {
        var deadline = DateTime.UtcNow + giveUpAfter;
        return Parallel.ForEachAsync(submissions, new ParallelOptions { MaxDegreeOfParallelism = parallel }, async (submission, _) =>
        {
            if (await SubmitAsync(submission, deadline)) onAccepted?.Invoke(_accepted.Count);
        });
    }

    public async Task<bool> SubmitAsync(Submission submission, DateTime deadline)
    {
        var body = submission.ToJson();
        while (DateTime.UtcNow < deadline)
        {
            Interlocked.Increment(ref _attempts);
            var watch = Stopwatch.StartNew();
            TimeSpan wait;
            try
            {
                using var content = new StringContent(body, Encoding.UTF8, "application/json");
                using var response = await _client.PostAsync($"api/surveys/{surveyId}/responses", content);
                Record(watch.Elapsed);
                var status = (int)response.StatusCode;
                _statuses.AddOrUpdate(status.ToString(global::System.Globalization.CultureInfo.InvariantCulture), 1, (_, n) => n + 1);
                if (response.StatusCode is HttpStatusCode.Accepted or HttpStatusCode.OK)
                {
                    _accepted.Add(submission);
                    return true;
                }
                if (response.StatusCode is HttpStatusCode.ServiceUnavailable or HttpStatusCode.TooManyRequests)
                {
                    var retryAfter = response.Headers.RetryAfter?.Delta;
                    if (retryAfter is null && response.StatusCode == HttpStatusCode.ServiceUnavailable) Interlocked.Increment(ref _unavailableWithoutRetryAfter);
                    wait = Min(retryAfter ?? TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(2));
                }
                else
                {
                    _failures.Add($"{status} for {submission.SubmissionId}: {Truncate(await response.Content.ReadAsStringAsync())}");
                    if (status < 500) return false;
                    wait = TimeSpan.FromMilliseconds(500);
                }
            }
            catch (TaskCanceledException)
            {
                Record(watch.Elapsed);
                _statuses.AddOrUpdate("timeout", 1, (_, n) => n + 1);
                _failures.Add($"no answer within {RequestTimeout.TotalSeconds:0} s for {submission.SubmissionId}");
                wait = TimeSpan.FromMilliseconds(200);
            }
            catch (HttpRequestException)
            {
                // Connection refused or reset: the host is down (killed). A client retries.
                _statuses.AddOrUpdate("connection-failed", 1, (_, n) => n + 1);
                wait = TimeSpan.FromMilliseconds(300);
            }
            await Task.Delay(wait);
        }
        _failures.Add($"gave up on {submission.SubmissionId} at the run's deadline");
        return false;
    }

    private void Record(TimeSpan latency)
    {
        long current;
        do
        {
            current = Interlocked.Read(ref _maxLatencyTicks);
            if (latency.Ticks <= current) return;
        }
        while (Interlocked.CompareExchange(ref _maxLatencyTicks, latency.Ticks, current) != current);
    }

    private static TimeSpan Min(TimeSpan a, TimeSpan b) => a < b ? a : b;

    private static string Truncate(string text) => text.Length > 300 ? text[..300] + "…" : text;
}
