using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Primitives;
using Microsoft.Net.Http.Headers;

namespace SurveyBackend.Web;

/// <summary>
/// Codes text responses with Brotli or gzip (docs/deploy.md). A startup filter adds it, because the worker takes no
/// middleware from app code any other way (azure-functions-dotnet-worker#2390); the local host runs the same filter,
/// so Azure and the tests see the same bytes. A coded body's ETag is weak, so either form still revalidates to a 304.
/// </summary>
public static class ResponseCompression
{
    public static IServiceCollection AddCompressedResponses(this IServiceCollection services) =>
        services.AddTransient<IStartupFilter, FirstInPipeline>();

    public static async Task InvokeAsync(HttpContext context, RequestDelegate next)
    {
        // HEAD has no body to code (the hosts route GET only, so it is answered before any function runs).
        if (HttpMethods.IsHead(context.Request.Method))
        {
            await next(context);
            return;
        }

        var original = context.Features.GetRequiredFeature<IHttpResponseBodyFeature>();
        await using var buffered = new BufferedResponseBody();
        context.Features.Set<IHttpResponseBodyFeature>(buffered);
        try
        {
            await next(context);
        }
        finally
        {
            context.Features.Set(original);
        }
        await SendAsync(context, await buffered.WrittenAsync(), original);
    }

    private static async Task SendAsync(HttpContext context, ArraySegment<byte> body, IHttpResponseBodyFeature original)
    {
        var response = context.Response;
        var coding = ContentCodings.Choose(context.Request.Headers.AcceptEncoding);
        if (response.StatusCode == StatusCodes.Status304NotModified)
        {
            // The validators of the 200 it stands for: that 200 would have been coded for this client.
            VaryByAcceptEncoding(response.Headers);
            if (coding != ContentCoding.Identity) WeakenETag(response.Headers);
            return;
        }

        var headers = response.Headers;
        var codable = ContentCodings.IsCompressible(response.ContentType)
            && StringValues.IsNullOrEmpty(headers.ContentEncoding) && StringValues.IsNullOrEmpty(headers.ContentRange);
        if (codable) VaryByAcceptEncoding(headers);
        ReadOnlyMemory<byte> sent = body;
        if (codable && coding != ContentCoding.Identity && body.Count >= ContentCodings.MinimumBytes)
        {
            var coded = ContentCodings.Encode(body, coding);
            if (coded.Length < body.Count)
            {
                sent = coded;
                headers.ContentEncoding = ContentCodings.Name(coding);
                WeakenETag(headers);
            }
        }

        if (sent.Length > 0 || response.ContentLength is not null) response.ContentLength = sent.Length;
        if (sent.Length > 0) await original.Stream.WriteAsync(sent, context.RequestAborted);
    }

    private static void VaryByAcceptEncoding(IHeaderDictionary headers)
    {
        var vary = headers.Vary;
        if (StringValues.IsNullOrEmpty(vary)) headers.Vary = HeaderNames.AcceptEncoding;
        else if (!vary.SelectMany(v => (v ?? "").Split(',')).Any(v => v.Trim().Equals(HeaderNames.AcceptEncoding, StringComparison.OrdinalIgnoreCase)))
            headers.Vary = vary.ToString() + ", " + HeaderNames.AcceptEncoding;
    }

    private static void WeakenETag(IHeaderDictionary headers)
    {
        if (headers.ETag is [{ } etag] && !etag.StartsWith("W/", StringComparison.Ordinal)) headers.ETag = "W/" + etag;
    }

    /// <summary>Puts the compression in front of whatever pipeline the host builds (the worker's or the local host's).</summary>
    private sealed class FirstInPipeline : IStartupFilter
    {
        public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
        {
            app.Use(InvokeAsync);
            next(app);
        };
    }
}
