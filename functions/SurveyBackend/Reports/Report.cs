using System.Text.Json;
using SurveyBackend.Aggregation;
using SurveyBackend.Storage;
using SurveyBackend.Surveys;
using SurveyBackend.Web;

namespace SurveyBackend.Reports;

/// <summary>
/// What a report shows, frozen at publication: the figures of one release (<see cref="Release"/>, made at
/// <see cref="ReleasedAt"/>) and the question and option wording of that moment, so later responses or edits do
/// not change a published report. A release never changes, so copying its figures here is the same as pointing at it,
/// and the page stays one point read. <see cref="Previous"/>: the previous wave's latest public release at publication,
/// frozen the same way; null when the survey names none or it had none public then (the page says which).
/// </summary>
public sealed record ReportSnapshot(SurveyResults Results, SurveyDefinition Survey, int Release, DateTimeOffset ReleasedAt, Releases.PreviousWave? Previous = null)
{
    /// <summary>Each question against the previous wave; null when there is no previous wave's release to compare with.</summary>
    public IReadOnlyList<QuestionTrend>? Trends() =>
        Previous is null ? null : WaveChanges.Compare(Survey, Results, Previous.Survey, Previous.Results);
}

/// <summary>A published report.</summary>
public sealed record Report(
    string Id,
    string SurveyId,
    string Title,
    string Summary,
    DateTimeOffset PublishAt,
    string? ReportUrl,
    DateTimeOffset PublishedAt,
    ReportSnapshot Snapshot)
{
    public bool IsPublic(DateTimeOffset now) => now >= PublishAt;

    public StoredReport ToStored() =>
        new(Id, SurveyId, Title, Summary, PublishAt, ReportUrl, PublishedAt, JsonSerializer.Serialize(Snapshot, JsonDefaults.Options));

    public static Report FromStored(StoredReport stored) =>
        new(stored.ReportId, stored.SurveyId, stored.Title, stored.Summary, stored.PublishAt, stored.ReportUrl, stored.PublishedAt,
            JsonSerializer.Deserialize<ReportSnapshot>(stored.SnapshotJson, JsonDefaults.Options)
                ?? throw new InvalidOperationException("A stored report has no snapshot."));

    /// <summary>A well-formed id: 1–64 base64url characters, safe as a table key (<see cref="NewId"/> makes 22: 16 random bytes, unguessable before publication).</summary>
    public static bool IsValidId(string? id) =>
        id is { Length: > 0 and <= 64 } && id.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_');

    public static string NewId() =>
        Convert.ToBase64String(System.Security.Cryptography.RandomNumberGenerator.GetBytes(16)).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}

/// <summary>
/// The body of <c>POST /api/admin/surveys/{surveyId}/reports</c>. <see cref="Release"/>: the release to show; none
/// makes a new one.
/// </summary>
public sealed record PublishRequest(string Title, string Summary, DateTimeOffset PublishAt, string? ReportUrl, int? Release = null)
{
    public const int MaxTitleLength = 200;
    public const int MaxSummaryLength = 20_000;

    /// <summary>Reads and checks the body, naming the field path of every fault.</summary>
    public static Validated<PublishRequest> Parse(ReadOnlySpan<byte> body)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(body.ToArray());
        }
        catch (JsonException)
        {
            return Validated<PublishRequest>.Fail("", "The body is not valid JSON.");
        }
        using (document)
        {
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object) return Validated<PublishRequest>.Fail("", "The body must be a JSON object.");

            var errors = new ValidationErrors();
            foreach (var property in root.EnumerateObject())
            {
                if (property.Name is not ("title" or "summary" or "publishAt" or "reportUrl" or "release")) errors.Add(property.Name, "This property is not allowed.");
            }

            var title = ReadString(root, "title", errors, required: true)?.Trim();
            if (title is { Length: 0 }) errors.Add("title", "A title is required.");
            else if (title is { Length: > MaxTitleLength }) errors.Add("title", $"The title must be at most {MaxTitleLength} characters.");

            var summary = ReadString(root, "summary", errors, required: true);
            if (summary is { Length: > MaxSummaryLength }) errors.Add("summary", $"The summary must be at most {MaxSummaryLength} characters.");

            DateTimeOffset publishAt = default;
            var publishText = ReadString(root, "publishAt", errors, required: true);
            if (publishText is not null && !TryParseIsoDate(publishText, out publishAt))
                errors.Add("publishAt", "Give an ISO-8601 date and time with an offset, e.g. 2026-03-01T09:00:00Z.");

            var reportUrl = ReadString(root, "reportUrl", errors, required: false);
            if (reportUrl is { Length: 0 }) reportUrl = null;
            if (reportUrl is not null && !(Uri.TryCreate(reportUrl, UriKind.Absolute, out var uri) && uri.Scheme == Uri.UriSchemeHttps && reportUrl.Length <= 2000))
                errors.Add("reportUrl", "The report URL must be an absolute https URL.");

            int? release = null;
            if (root.TryGetProperty("release", out var releaseValue) && releaseValue.ValueKind != JsonValueKind.Null)
            {
                if (releaseValue.ValueKind == JsonValueKind.Number && releaseValue.TryGetInt32(out var number) && number >= 1) release = number;
                else errors.Add("release", "The release must be a whole number from 1 (or left out to make a new release).");
            }

            return errors.IsEmpty
                ? Validated<PublishRequest>.Ok(new PublishRequest(title!, summary!, publishAt.ToUniversalTime(), reportUrl, release))
                : Validated<PublishRequest>.Fail(errors);
        }
    }

    private static string? ReadString(JsonElement root, string name, ValidationErrors errors, bool required)
    {
        if (!root.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null)
        {
            if (required) errors.Add(name, "This field is required.");
            return null;
        }
        if (value.ValueKind != JsonValueKind.String)
        {
            errors.Add(name, "This value must be a string.");
            return null;
        }
        return value.GetString();
    }

    // An offset is required: a bare local time would mean different instants to different admins.
    private static bool TryParseIsoDate(string text, out DateTimeOffset value) =>
        DateTimeOffset.TryParseExact(text,
            ["yyyy-MM-dd'T'HH:mm:ssK", "yyyy-MM-dd'T'HH:mm:ss.FFFFFFFK", "yyyy-MM-dd'T'HH:mmK"],
            System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.None, out value)
        && (text.EndsWith('Z') || text.Length > 6 && text[^6] is '+' or '-');
}
