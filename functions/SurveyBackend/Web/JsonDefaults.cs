using System.Text.Json;
using Microsoft.AspNetCore.Mvc;

namespace SurveyBackend.Web;

/// <summary>
/// The app's JSON: camelCase, as docs/openapi.json describes it. Nulls are written (results show <c>"respondents": null</c>
/// for a suppressed figure); a DTO that wants one left out says so with [JsonIgnore].
/// </summary>
public static class JsonDefaults
{
    public static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web);

    /// <summary>A JSON body serialised with the app's options, the same under the worker and the local host.</summary>
    public static JsonResult Result(object value, int statusCode = 200) =>
        new(value, Options) { StatusCode = statusCode, ContentType = "application/json; charset=utf-8" };
}
