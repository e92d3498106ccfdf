using System.Text.Json;
using System.Text.Json.Nodes;
using Json.Schema;
using SurveyBackend.Testing;

namespace SurveyBackend.Tests.Integration.Foundation;

/// <summary>
/// Checks live answers against docs/openapi.json: the route is in the document, the status is one it declares for the
/// operation, the media type is one that status declares, and a JSON body (problem+json too) is valid against the
/// declared schema (JSON Schema 2020-12, <c>$ref</c>s resolved inside the document). Faults are collected, not thrown,
/// so one run lists them all.
/// </summary>
public sealed class OpenApiConformance
{
    private static readonly Uri DocumentUri = new("https://survey-backend.test/openapi.json");
    private static readonly string[] Methods = ["get", "put", "post", "delete", "patch"];

    private readonly JsonObject _document;
    private readonly BuildOptions _build;
    private readonly EvaluationOptions _evaluate = new() { OutputFormat = OutputFormat.List, RequireFormatValidation = true };
    private readonly Dictionary<string, JsonSchema> _schemas = new(StringComparer.Ordinal);
    private readonly HashSet<string> _called = new(StringComparer.Ordinal);

    public OpenApiConformance()
    {
        var text = File.ReadAllText(Path.Combine(RepoPaths.Root, "docs", "openapi.json"));
        _document = JsonNode.Parse(text)!.AsObject();
        var registry = new SchemaRegistry();
        registry.Register(DocumentUri, new JsonElementBaseDocument(JsonDocument.Parse(text).RootElement.Clone(), DocumentUri));
        _build = new BuildOptions { SchemaRegistry = registry, Dialect = Dialect.Draft202012 };
    }

    public List<string> Faults { get; } = [];

    /// <summary>Every operation in the document, as "METHOD /template".</summary>
    public IEnumerable<string> Operations =>
        from path in _document["paths"]!.AsObject()
        from method in Methods
        where path.Value![method] is not null
        select $"{method.ToUpperInvariant()} {path.Key}";

    /// <summary>The operations this run has called, other than to be refused for want of a key.</summary>
    public IEnumerable<string> Uncalled => Operations.Where(o => !_called.Contains(o));

    /// <summary>Whether the document puts the operation behind the function key.</summary>
    public bool NeedsKey(string operation)
    {
        var (method, template) = Split(operation);
        return _document["paths"]![template]![method.ToLowerInvariant()]!["security"] is JsonArray { Count: > 0 };
    }

    /// <summary>Checks <paramref name="response"/> against the document and that it is <paramref name="expected"/>; returns its JSON body, if any.</summary>
    public async Task<JsonNode?> CheckAsync(HttpResponseMessage response, int expected)
    {
        var request = response.RequestMessage!;
        var status = (int)response.StatusCode;
        var body = await response.Content.ReadAsStringAsync();
        var where = $"{request.Method} {request.RequestUri!.PathAndQuery} → {status}";
        if (status != expected) Faults.Add($"{where}: expected {expected} (the state under test was not reached): {Shorten(body)}");

        var template = Template(request.RequestUri.AbsolutePath);
        var operation = template is null ? null : _document["paths"]![template]![request.Method.Method.ToLowerInvariant()];
        if (template is null || operation is null)
        {
            Faults.Add($"{where}: no such operation in the document");
            return null;
        }
        if (status != 401) _called.Add($"{request.Method.Method} {template}");

        var declared = Escape("paths", template, request.Method.Method.ToLowerInvariant(), "responses", status.ToString(System.Globalization.CultureInfo.InvariantCulture));
        if (Resolve(declared) is not { } responsePointer)
        {
            Faults.Add($"{where}: the document does not declare {status} for {request.Method} {template}");
            return null;
        }
        return CheckBody(where, responsePointer, response.Content.Headers.ContentType?.MediaType, body);
    }

    private JsonNode? CheckBody(string where, string responsePointer, string? mediaType, string body)
    {
        var content = At(responsePointer)!["content"]?.AsObject();
        if (body.Length == 0)
        {
            if (content is { Count: > 0 }) Faults.Add($"{where}: no body, where the document declares {string.Join(", ", content.Select(c => c.Key))}");
            return null;
        }
        if (mediaType is null || content?[mediaType] is null)
        {
            Faults.Add($"{where}: answered {mediaType ?? "no Content-Type"}, where the document declares {(content is null ? "no body" : string.Join(", ", content.Select(c => c.Key)))}");
            return null;
        }
        if (!IsJson(mediaType)) return null;

        JsonNode? json;
        try
        {
            json = JsonNode.Parse(body);
        }
        catch (JsonException e)
        {
            Faults.Add($"{where}: {mediaType} that does not parse: {e.Message}");
            return null;
        }
        var results = Schema(responsePointer + Escape("content", mediaType, "schema")).Evaluate(JsonSerializer.SerializeToElement(json), _evaluate);
        if (!results.IsValid)
        {
            var errors = (results.Details ?? []).Prepend(results).Where(d => d.Errors is { Count: > 0 })
                .Select(d => $"    at {d.InstanceLocation} ({d.SchemaLocation.Fragment}): {string.Join("; ", d.Errors!.Values)}");
            var listed = errors.Distinct().ToList();
            var more = listed.Count > 6 ? $"\n    … and {listed.Count - 6} more" : "";
            Faults.Add($"{where}: the {mediaType} body is not valid against its schema:\n" + string.Join('\n', listed.Take(6)) + more + "\n    body: " + Shorten(body));
        }
        return json;
    }

    private JsonSchema Schema(string pointer)
    {
        if (!_schemas.TryGetValue(pointer, out var schema))
        {
            // A pointer in a URI fragment is percent-encoded ("+" in application/problem+json, "{" in a path template).
            var fragment = string.Join('/', pointer.Split('/').Select(Uri.EscapeDataString));
            var reference = new JsonObject { ["$schema"] = "https://json-schema.org/draft/2020-12/schema", ["$ref"] = DocumentUri + "#" + fragment };
            _schemas[pointer] = schema = JsonSchema.Build(JsonSerializer.SerializeToElement(reference), _build);
        }
        return schema;
    }

    /// <summary>The pointer of a response object, following a <c>$ref</c> into components/responses; null if absent.</summary>
    private string? Resolve(string pointer) =>
        At(pointer) switch
        {
            null => null,
            JsonObject o when o["$ref"] is { } target => ((string)target!).TrimStart('#'),
            _ => pointer,
        };

    private JsonNode? At(string pointer)
    {
        JsonNode? node = _document;
        foreach (var token in pointer.Split('/').Skip(1)) node = node?.AsObject()[token.Replace("~1", "/", StringComparison.Ordinal).Replace("~0", "~", StringComparison.Ordinal)];
        return node;
    }

    /// <summary>The document's path template for a request path: same segments, literals equal; the most literal wins.</summary>
    private string? Template(string requestPath)
    {
        var segments = requestPath["/api".Length..].Split('/');
        return _document["paths"]!.AsObject()
            .Select(p => (p.Key, Parts: p.Key.Split('/')))
            .Where(p => p.Parts.Length == segments.Length
                && p.Parts.Zip(segments).All(z => z.First.StartsWith('{') || string.Equals(z.First, Uri.UnescapeDataString(z.Second), StringComparison.Ordinal)))
            .OrderByDescending(p => p.Parts.Count(s => !s.StartsWith('{')))
            .Select(p => p.Key)
            .FirstOrDefault();
    }

    private static (string Method, string Template) Split(string operation) =>
        (operation[..operation.IndexOf(' ', StringComparison.Ordinal)], operation[(operation.IndexOf(' ', StringComparison.Ordinal) + 1)..]);

    private static bool IsJson(string mediaType) =>
        mediaType == "application/json" || mediaType.EndsWith("+json", StringComparison.Ordinal);

    private static string Escape(params string[] tokens) =>
        "/" + string.Join('/', tokens.Select(t => t.Replace("~", "~0", StringComparison.Ordinal).Replace("/", "~1", StringComparison.Ordinal)));

    private static string Shorten(string body) => body.Length <= 300 ? body : body[..300] + "…";
}
