using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using SurveyBackend.Storage;
using SurveyBackend.Web;

namespace SurveyBackend.Surveys;

/// <summary>A definition as the public sees it, serialised once, with its ETag.</summary>
public sealed record PublishedSurvey(SurveyDefinition Definition, string PublicJson, string ETag);

public enum SaveOutcome { Created, Updated, Invalid, StructureLocked }

public sealed record SaveResult(SaveOutcome Outcome, PublishedSurvey? Survey = null, ValidationErrors? Errors = null);

/// <summary>
/// Reads and writes survey definitions. Reads are cached for a few seconds per instance because every
/// submission needs its definition; a save on this instance is seen at once, on others within <see cref="CacheFor"/>.
/// </summary>
public sealed class SurveyCatalog(SurveyStore store, TimeProvider clock)
{
    public static readonly TimeSpan CacheFor = TimeSpan.FromSeconds(15);

    private readonly ConcurrentDictionary<string, (PublishedSurvey? Survey, DateTimeOffset Expires)> _cache = new(StringComparer.Ordinal);

    /// <summary>The survey, draft or not; null when there is none (or the id cannot be a survey id).</summary>
    public async Task<PublishedSurvey?> FindAsync(string surveyId, CancellationToken cancellationToken)
    {
        if (!SurveyRules.IsValidSurveyId(surveyId)) return null;

        var now = clock.GetUtcNow();
        if (_cache.TryGetValue(surveyId, out var cached) && cached.Expires > now) return cached.Survey;

        var definition = await store.FindAsync(surveyId, cancellationToken);
        var survey = definition is null ? null : Publish(definition);
        _cache[surveyId] = (survey, now + CacheFor);
        return survey;
    }

    /// <summary>The survey if the public may see it: it exists and is not a draft.</summary>
    public async Task<PublishedSurvey?> FindPublicAsync(string surveyId, CancellationToken cancellationToken) =>
        await FindAsync(surveyId, cancellationToken) is { Definition.Status: not SurveyStatus.Draft } survey ? survey : null;

    public async Task<SaveResult> SaveAsync(string surveyId, ReadOnlyMemory<byte> body, CancellationToken cancellationToken)
    {
        var parsed = SurveyRules.Parse(body.Span, surveyId);
        if (!parsed.IsValid) return new SaveResult(SaveOutcome.Invalid, Errors: parsed.Errors);
        var definition = parsed.Value!;

        var existing = await store.FindAsync(surveyId, cancellationToken);
        if (existing is not null && !SurveyStructure.SameStructure(existing, definition)
            && await store.HasResponsesAsync(surveyId, cancellationToken))
        {
            return new SaveResult(SaveOutcome.StructureLocked);
        }

        var created = await store.SaveAsync(definition, cancellationToken);
        var survey = Publish(definition);
        _cache[surveyId] = (survey, clock.GetUtcNow() + CacheFor);
        return new SaveResult(created ? SaveOutcome.Created : SaveOutcome.Updated, survey);
    }

    private static PublishedSurvey Publish(SurveyDefinition definition)
    {
        var json = JsonSerializer.Serialize(PublicSurvey.From(definition), JsonDefaults.Options);
        var etag = "\"" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(json)).AsSpan(0, 12)) + "\"";
        return new PublishedSurvey(definition, json, etag);
    }
}

/// <summary>
/// What the form sees: the definition without the fields only admins and the pipeline need. The reporting groups are
/// public (every report names them): the thank-you's comparison maps a respondent's own option to its group with them.
/// </summary>
public sealed record PublicSurvey(
    string Id, string Title, string? Description, SurveyStatus Status,
    DateTimeOffset? OpensAt, DateTimeOffset? ClosesAt, IReadOnlyList<Question> Questions,
    [property: System.Text.Json.Serialization.JsonIgnore(Condition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull)]
    IReadOnlyDictionary<string, IReadOnlyList<ReportingGroup>>? ReportingGroups = null)
{
    public static PublicSurvey From(SurveyDefinition d) =>
        new(d.Id, d.Title, d.Description, d.Status, d.OpensAt, d.ClosesAt, d.Questions, d.ReportingGroups);
}

/// <summary>
/// Once responses exist, question ids, types, option ids, "Other", the segments and the reporting groups are fixed,
/// because counted answers refer to them, and because two releases grouped differently could be subtracted from one
/// another (a group minus the options it merges); wording, required marks, order marks and limits may change.
/// </summary>
public static class SurveyStructure
{
    public static bool SameStructure(SurveyDefinition a, SurveyDefinition b) =>
        Shape(a).SequenceEqual(Shape(b), StringComparer.Ordinal);

    private static IEnumerable<string> Shape(SurveyDefinition d) =>
        d.Questions.Select(q => $"{q.Id}|{q.Type}|{q.AllowOther}|{string.Join(',', q.Options.Select(o => o.Id))}")
            .Concat(d.Segments.Select(s => "segment:" + s))
            .Concat((d.ReportingGroups ?? new Dictionary<string, IReadOnlyList<ReportingGroup>>()).OrderBy(g => g.Key, StringComparer.Ordinal)
                .SelectMany(g => g.Value.Select(group => $"group:{g.Key}|{group.Id}|{string.Join(',', group.Options)}")));
}
