using Azure;
using Azure.Core;
using Azure.Core.Pipeline;
using System.Diagnostics.CodeAnalysis;

namespace SurveyBackend.LocalHost;

/// <summary>
/// Makes a stopped storage emulator fail the way Azure Storage fails in an outage: with 503, not a refused connection.
/// WebJobs' queue listener backs off and polls again on a 5xx, but treats any other failure as fatal and ends the
/// process (its exception handler rethrows on a background thread). In Azure the account answers 503 and the Functions
/// host restarts a failed job host; here Azurite's port is simply closed, so without this a storage blip kills the
/// local host. Applied to every Azure client made through the component factory (the app's and WebJobs' alike); the
/// app already treats a refused connection and a 5xx as the same outage.
/// </summary>
internal sealed class EmulatorOutagePolicy : HttpPipelinePolicy
{
    public override void Process(HttpMessage message, ReadOnlyMemory<HttpPipelinePolicy> pipeline)
    {
        try
        {
            ProcessNext(message, pipeline);
        }
        catch (RequestFailedException ex) when (IsUnreachable(ex, message))
        {
            message.Response = new UnavailableResponse(message.Request.ClientRequestId);
        }
    }

    public override async ValueTask ProcessAsync(HttpMessage message, ReadOnlyMemory<HttpPipelinePolicy> pipeline)
    {
        try
        {
            await ProcessNextAsync(message, pipeline);
        }
        catch (RequestFailedException ex) when (IsUnreachable(ex, message))
        {
            message.Response = new UnavailableResponse(message.Request.ClientRequestId);
        }
    }

    // Only a transport failure (no HTTP answer at all) and only while the caller still wants the answer.
    private static bool IsUnreachable(RequestFailedException ex, HttpMessage message) =>
        ex.Status == 0 && ex.InnerException is HttpRequestException && !message.CancellationToken.IsCancellationRequested;

    private sealed class UnavailableResponse(string clientRequestId) : Response
    {
        public override int Status => 503;
        public override string ReasonPhrase => "Service Unavailable";
        // The transport marks its own responses as errors; this one never went through it.
        public override bool IsError => true;
        // Empty, and a fresh one each time: a retry disposes the response it gives up on.
        public override Stream? ContentStream { get => new MemoryStream(); set { } }
        public override string ClientRequestId { get; set; } = clientRequestId;
        public override void Dispose() { }
        protected override bool ContainsHeader(string name) => false;
        protected override IEnumerable<HttpHeader> EnumerateHeaders() => [];
        protected override bool TryGetHeader(string name, [NotNullWhen(true)] out string? value) { value = null; return false; }
        protected override bool TryGetHeaderValues(string name, [NotNullWhen(true)] out IEnumerable<string>? values) { values = null; return false; }
    }
}
