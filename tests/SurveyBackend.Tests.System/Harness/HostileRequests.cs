using System.Text;
using System.Text.Json.Nodes;
using CsCheck;

namespace SurveyBackend.Tests.System.Harness;

/// <summary>One bad request: what kind of bad it is, and exactly what goes on the wire.</summary>
public sealed record HostileRequest(string Category, Route Route, string Method, string Path, string? ContentType, byte[]? Body, bool Chunked = false)
{
    public override string ToString()
    {
        var body = Body is null ? "" : Encoding.UTF8.GetString(Body);
        if (body.Length > 160) body = body[..160] + $"…({Body!.Length} bytes)";
        var path = Path.Length > 160 ? Path[..160] + "…" : Path;
        return $"[{Category}] {Method} /{path} ({ContentType ?? "no content type"}{(Chunked ? ", chunked" : "")}) {body}";
    }
}

/// <summary>
/// CsCheck generators of bad requests for any public route: malformed and deeply nested JSON, huge strings and
/// arrays, wrong types, unicode tricks, invalid UTF-8, duplicate keys, injection strings in ids and text, wrong
/// methods, wrong content types, oversized bodies, forged tokens. Every request generated here is invalid by
/// construction (a body is never a valid submission), so the only right answers are 4xx and nothing stored.
/// </summary>
public static class HostileRequests
{
    /// <summary>32 KiB is the submission limit (docs/openapi.json); these are past it.</summary>
    private const int OverLimit = 32 * 1024 + 1;

    public static readonly string[] Injections =
    [
        "' or 1 eq 1 or ''='", "x' or PartitionKey ne '", "') or true or ('", "1; DROP TABLE responses;--", "' OR '1'='1' --",
        "<script>alert(1)</script>", "\"><img src=x onerror=alert(1)>", "javascript:alert(1)", "{{7*7}}", "${jndi:ldap://x/a}",
        "../../../../etc/passwd", "..\\..\\windows\\win.ini", "%00", "\u0000", "$filter=PartitionKey ne ''", "*", "%2e%2e%2f",
    ];

    public static readonly string[] UnicodeTricks =
    [
        "cоunty" /* Cyrillic о */, "ｃｏｕｎｔｙ" /* full width */, "county\u200B", "\u202Eytnuoc", "COUNTY", "county\u0301",
        "\uFEFFcounty", "twitter\u0000", "𝕥𝕨𝕚𝕥𝕥𝕖𝕣", "ﷺ", "İ", "county\r\nX-Injected: 1",
    ];

    private static readonly string[] ForgedTokens =
    [
        "", "x", "eyJhbGciOiJub25lIn0.eyJlbWFpbCI6ImFAYi5jIn0.", "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA",
        "not-a-token", "%00%FF", "' or 1 eq 1 or ''='", "<script>alert(1)</script>",
    ];

    private static readonly string[] WrongContentTypes =
    [
        "text/plain", "application/xml", "multipart/form-data; boundary=x", "application/json; charset=utf-16",
        "application/x-www-form-urlencoded", "application/javascript", "text/html", "application/jsonx", "*/*",
    ];

    private static readonly string[] WrongTypeValues = ["123", "true", "[]", "{}", "\"text\"", "1.5e308", "-1"];

    /// <summary>A request for one of <paramref name="routes"/>, against the survey <paramref name="surveyId"/> where a route needs one.</summary>
    public static Gen<HostileRequest> For(IReadOnlyList<Route> routes, string surveyId, Func<int, string> validBody) =>
        Gen.Frequency([.. routes.Select(route => (Weight(route), ForRoute(route, surveyId, validBody)))]);

    /// <summary>Routes that read a body or an id have the most ways to be wrong, so they get the most inputs.</summary>
    private static int Weight(Route route) =>
        route.Methods.Any(m => route.BodyFor(m) != BodyKind.None) && route.Parameters.Count > 0 ? 6
        : route.Parameters.Count > 0 || route.QueryParameters.Count > 0 ? 2
        : 1;

    private static Gen<HostileRequest> ForRoute(Route route, string surveyId, Func<int, string> validBody)
    {
        // Weighted so that a route's body, where most of the ways to be wrong are, gets most of its inputs.
        var generators = new List<(int, IGen<HostileRequest>)>();
        var wrong = AppRoutes.WrongMethods(route).ToArray();
        if (wrong.Length > 0)
            generators.Add((1, Gen.OneOf(wrong).Select(m => new HostileRequest("wrong method", route, m, route.PathWith(_ => surveyId), null, null))));
        if (route.Parameters.Count > 0)
            generators.Add((2, PathInjection(route)));
        if (route.QueryParameters.Count > 0)
            generators.Add((3, ForgedToken(route)));
        foreach (var method in route.Methods.Where(m => route.BodyFor(m) == BodyKind.Json && route.Parameters.Count > 0))
        {
            generators.Add((12, JsonBody(route, method, surveyId, validBody)));
            generators.Add((2, WrongContentType(route, method, surveyId, validBody)));
            generators.Add((2, Oversized(route, method, surveyId, validBody)));
        }
        foreach (var method in route.Methods.Where(m => route.BodyFor(m) == BodyKind.Form && route.Parameters.Count > 0))
        {
            generators.Add((2, WrongContentType(route, method, surveyId, validBody)));
            generators.Add((2, Oversized(route, method, surveyId, validBody, "application/x-www-form-urlencoded")));
        }
        if (generators.Count == 0)
            throw new InvalidOperationException($"No hostile inputs for {route}: add a generator for it.");
        return Gen.Frequency([.. generators]);
    }

    private static Gen<HostileRequest> PathInjection(Route route) =>
        from value in Gen.OneOf(
            Gen.OneOf(Injections), Gen.OneOf(UnicodeTricks),
            Gen.Int[300, 3000].Select(n => new string('a', n)),
            Gen.OneOf("%FF%FE", "%C3%28", "%00", "%2F..%2F..%2Fadmin", "%E2%80%AE").Select(Raw))
        from method in Gen.OneOf(route.Methods.ToArray())
        select new HostileRequest("id injection", route, method,
            route.PathWith(_ => value.StartsWith(RawMark, StringComparison.Ordinal) ? value[RawMark.Length..] : Uri.EscapeDataString(value)),
            route.BodyFor(method) == BodyKind.Json ? "application/json" : null,
            route.BodyFor(method) == BodyKind.Json ? Encoding.UTF8.GetBytes("{}") : null);

    private const string RawMark = "raw:";
    private static string Raw(string escaped) => RawMark + escaped;

    private static Gen<HostileRequest> ForgedToken(Route route) =>
        from token in Gen.OneOf(Gen.OneOf(ForgedTokens), Gen.String[1, 200].Select(s => Convert.ToBase64String(Encoding.UTF8.GetBytes(s))))
        from method in Gen.OneOf(route.Methods.ToArray())
        select new HostileRequest("forged token", route, method,
            route.PathWith(_ => "x") + "?" + string.Join('&', route.QueryParameters.Select(p => $"{p}={Uri.EscapeDataString(token)}")),
            method == "POST" ? "application/x-www-form-urlencoded" : null,
            method == "POST" ? Encoding.UTF8.GetBytes("List-Unsubscribe=One-Click") : null);

    private static Gen<HostileRequest> WrongContentType(Route route, string method, string surveyId, Func<int, string> validBody) =>
        from contentType in Gen.OneOf([.. WrongContentTypes.Where(t => !(route.BodyFor(method) == BodyKind.Form && t.StartsWith("application/x-www-form-urlencoded", StringComparison.Ordinal))), null])
        from i in Gen.Int[0, 1000]
        select new HostileRequest("wrong content type", route, method, route.PathWith(_ => surveyId), contentType,
            contentType == "application/json; charset=utf-16" ? Encoding.Unicode.GetBytes(validBody(i)) : Encoding.UTF8.GetBytes(validBody(i)));

    private static Gen<HostileRequest> Oversized(Route route, string method, string surveyId, Func<int, string> validBody, string contentType = "application/json") =>
        from size in Gen.Int[OverLimit, 256 * 1024]
        from chunked in Gen.Bool
        from i in Gen.Int[0, 1000]
        select new HostileRequest("oversized body", route, method, route.PathWith(_ => surveyId), contentType,
            Pad(Encoding.UTF8.GetBytes(validBody(i)), size), chunked);

    private static byte[] Pad(byte[] body, int size)
    {
        // Whitespace before the closing brace keeps it a valid JSON document, so only its size is wrong.
        var padded = new byte[Math.Max(size, body.Length)];
        Array.Copy(body, padded, body.Length - 1);
        padded.AsSpan(body.Length - 1, padded.Length - body.Length).Fill((byte)' ');
        padded[^1] = body[^1];
        return padded;
    }

    private static Gen<HostileRequest> JsonBody(Route route, string method, string surveyId, Func<int, string> validBody)
    {
        HostileRequest Make(string category, byte[] body) =>
            new(category, route, method, route.PathWith(_ => surveyId), "application/json", body);
        HostileRequest MakeText(string category, string body) => Make(category, Encoding.UTF8.GetBytes(body));

        var malformed =
            from i in Gen.Int[0, 1000]
            from cut in Gen.Double[0.05, 0.95]
            from kind in Gen.Int[0, 5]
            let body = validBody(i)
            select MakeText("malformed JSON", kind switch
            {
                0 => body[..Math.Max(1, (int)(body.Length * cut))],
                1 => body.Replace("}", ",}", StringComparison.Ordinal),
                2 => body.Replace("\"", "'", StringComparison.Ordinal),
                3 => body + "}",
                4 => "{\"submissionId\": NaN, " + body[1..],
                _ => body.Replace(":", "", StringComparison.Ordinal),
            });
        var notAnObject = Gen.OneOf("", " ", "null", "[]", "42", "\"text\"", "true", "{}", "[{}]", "\u0000", "{\"answers\":{}}")
            .Select(b => MakeText("not a submission", b));
        var deep =
            from depth in Gen.Int[65, 3000]
            from inAnswers in Gen.Bool
            from i in Gen.Int[0, 1000]
            select MakeText("deeply nested JSON", inAnswers
                ? validBody(i).Replace("\"answers\":{", "\"answers\":{\"deep\":" + new string('[', depth) + new string(']', depth) + ",", StringComparison.Ordinal)
                : new string('[', depth) + new string(']', depth));
        var hugeString =
            from length in Gen.Int[201, 30_000]
            from field in Gen.Int[0, 2]
            from i in Gen.Int[0, 1000]
            select MakeText("huge string", Set(validBody(i), n =>
            {
                var text = new string('x', length);
                switch (field)
                {
                    case 0: n["submissionId"] = text; break;
                    case 1: n["other"] = new JsonObject { ["channels"] = text }; n["answers"]!["channels"] = new JsonArray("other"); break;
                    default: n["answers"]!["sector"] = text; break;
                }
            }));
        var hugeArray =
            from count in Gen.Int[50, 3000]
            from i in Gen.Int[0, 1000]
            select MakeText("huge array", Set(validBody(i), n =>
                n["answers"]!["channels"] = new JsonArray([.. Enumerable.Range(0, count).Select(k => (JsonNode)JsonValue.Create(k % 2 == 0 ? "twitter" : "facebook"))])));
        var wrongType =
            from path in Gen.OneOf("submissionId", "answers", "answers.sector", "answers.channels", "other", "respondent", "respondent.email", "respondent.consent", "respondent.wantsReport")
            from value in Gen.OneOf(WrongTypeValues)
            from i in Gen.Int[0, 1000]
            where !WellTyped(path, value)
            select MakeText("wrong type", Set(validBody(i), n => SetPath(n, path, JsonNode.Parse(value)))) with { Category = $"wrong type ({path})" };
        var unicode =
            from trick in Gen.OneOf(UnicodeTricks)
            from place in Gen.Int[0, 2]
            from i in Gen.Int[0, 1000]
            select MakeText("unicode trick", Set(validBody(i), n =>
            {
                switch (place)
                {
                    case 0: n["answers"]!["sector"] = trick; break;
                    case 1: n["submissionId"] = n["submissionId"]!.GetValue<string>()[..30] + trick; break;
                    default: n["answers"]![trick] = "county"; break;
                }
            }));
        var invalidUtf8 =
            from bytes in Gen.OneOf(new byte[] { 0xFF }, [0xC3, 0x28], [0xED, 0xA0, 0x80], [0xF8, 0x88, 0x80, 0x80, 0x80], [0xC0, 0xAF], [0x80])
            from i in Gen.Int[0, 1000]
            select Make("invalid UTF-8", InsertIntoSubmissionId(validBody(i), bytes));
        var duplicateKeys =
            from which in Gen.Int[0, 2]
            from i in Gen.Int[0, 1000]
            let body = validBody(i)
            select MakeText("duplicate keys", which switch
            {
                0 => "{\"submissionId\":\"" + Guid.NewGuid() + "\"," + body[1..],
                1 => body.Replace("\"answers\":{", "\"answers\":{\"sector\":\"district\",", StringComparison.Ordinal),
                _ => body.Replace("\"answers\":{", "\"answers\":{},\"answers\":{", StringComparison.Ordinal),
            });
        var injection =
            from text in Gen.OneOf(Injections)
            from place in Gen.Int[0, 3]
            from i in Gen.Int[0, 1000]
            select MakeText("injection string", Set(validBody(i), n =>
            {
                switch (place)
                {
                    case 0: n["submissionId"] = text; break;
                    case 1: n["answers"]!["sector"] = text; break;
                    case 2: n["answers"]![text] = "county"; break;
                    // "Other" text on a question that has no "Other": refused whatever the text.
                    default: n["other"] = new JsonObject { ["sector"] = text }; break;
                }
            }));

        return Gen.OneOf(malformed, notAnObject, deep, hugeString, hugeArray, wrongType, unicode, invalidUtf8, duplicateKeys, injection);
    }

    /// <summary>Whether a replacement leaves the field well typed (then it is not a wrong-type input).</summary>
    private static bool WellTyped(string path, string value) => (path, value) is
        ("other", "{}") or ("respondent", "{}") or ("respondent.consent", "true") or ("respondent.wantsReport", "true") or ("respondent.email", "\"text\"");

    private static string Set(string json, Action<JsonNode> change)
    {
        var node = JsonNode.Parse(json, documentOptions: default)!;
        change(node);
        return node.ToJsonString(new global::System.Text.Json.JsonSerializerOptions { Encoder = global::System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping });
    }

    private static void SetPath(JsonNode root, string path, JsonNode? value)
    {
        var parts = path.Split('.');
        var parent = root;
        foreach (var part in parts[..^1])
        {
            if (parent[part] is not JsonObject child) parent[part] = child = new JsonObject { ["email"] = "a@example.org", ["consent"] = true, ["wantsReport"] = true };
            parent = child;
        }
        parent[parts[^1]] = value;
    }

    private static byte[] InsertIntoSubmissionId(string body, byte[] bytes)
    {
        var marker = "\"submissionId\":\"";
        var at = body.IndexOf(marker, StringComparison.Ordinal) + marker.Length + 4;
        var before = Encoding.UTF8.GetBytes(body[..at]);
        var after = Encoding.UTF8.GetBytes(body[at..]);
        return [.. before, .. bytes, .. after];
    }
}
