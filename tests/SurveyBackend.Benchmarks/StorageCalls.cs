using System.Text;
using Azure.Core;
using Azure.Core.Pipeline;

namespace SurveyBackend.Benchmarks;

/// <summary>
/// Counts the storage calls an app's Azure clients make, and the entities they write: one for a single insert, update
/// or delete, and one per operation inside an entity group transaction (a <c>$batch</c> request).
/// </summary>
public sealed class StorageCalls : HttpPipelinePolicy
{
    private long _requests;
    private long _entityWrites;

    public sealed record Counts(long Requests, long EntityWrites);

    public Counts Snapshot() => new(Interlocked.Read(ref _requests), Interlocked.Read(ref _entityWrites));

    public override void Process(HttpMessage message, ReadOnlyMemory<HttpPipelinePolicy> pipeline)
    {
        Count(message);
        ProcessNext(message, pipeline);
    }

    public override ValueTask ProcessAsync(HttpMessage message, ReadOnlyMemory<HttpPipelinePolicy> pipeline)
    {
        Count(message);
        return ProcessNextAsync(message, pipeline);
    }

    private void Count(HttpMessage message)
    {
        Interlocked.Increment(ref _requests);
        var request = message.Request;
        var path = request.Uri.Path;
        if (path.EndsWith("/$batch", StringComparison.Ordinal) && request.Content is { } content)
        {
            using var body = new MemoryStream();
            content.WriteTo(body, CancellationToken.None);
            var operations = Encoding.UTF8.GetString(body.ToArray()).Split('\n')
                .Count(line => line.StartsWith("POST ", StringComparison.Ordinal) || line.StartsWith("PUT ", StringComparison.Ordinal)
                    || line.StartsWith("MERGE ", StringComparison.Ordinal) || line.StartsWith("PATCH ", StringComparison.Ordinal)
                    || line.StartsWith("DELETE ", StringComparison.Ordinal));
            Interlocked.Add(ref _entityWrites, operations);
        }
        else if (IsTable(request) && request.Method != RequestMethod.Get)
        {
            Interlocked.Increment(ref _entityWrites);
        }
    }

    // The Tables client marks its requests with an OData version; the Queues client does not.
    private static bool IsTable(Request request) => request.Headers.TryGetValue("DataServiceVersion", out _);
}
