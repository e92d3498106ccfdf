using System.IO.Pipelines;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;

namespace SurveyBackend.Web;

/// <summary>
/// Holds the body until the request is done, so <see cref="ResponseCompression"/> chooses the coding from the whole
/// body before any header is sent (docs/deploy.md). Seekable, so <c>HttpResponse.Clear()</c> after a partial write
/// empties it.
/// </summary>
internal sealed class BufferedResponseBody : Stream, IHttpResponseBodyFeature
{
    private readonly MemoryStream _buffer = new();
    private PipeWriter? _writer;

    public Stream Stream => this;
    public PipeWriter Writer => _writer ??= PipeWriter.Create(this, new StreamPipeWriterOptions(leaveOpen: true));

    /// <summary>Everything written, once the pipe writer (if any) has handed over what it holds.</summary>
    public async Task<ArraySegment<byte>> WrittenAsync()
    {
        if (_writer is not null) await _writer.FlushAsync();
        return new ArraySegment<byte>(_buffer.GetBuffer(), 0, (int)_buffer.Length);
    }

    // The response starts when the middleware sends it; the app's own start, flush and complete only mark time.
    public void DisableBuffering() { }
    public Task StartAsync(CancellationToken cancellationToken = default) => Task.CompletedTask;
    public Task CompleteAsync() => _writer is null ? Task.CompletedTask : _writer.FlushAsync().AsTask();

    public Task SendFileAsync(string path, long offset, long? count, CancellationToken cancellationToken = default) =>
        SendFileFallback.SendFileAsync(this, path, offset, count, cancellationToken);

    public override bool CanRead => false;
    public override bool CanSeek => true;
    public override bool CanWrite => true;
    public override long Length => _buffer.Length;
    public override long Position { get => _buffer.Position; set => _buffer.Position = value; }

    public override void Flush() { }
    public override Task FlushAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    public override long Seek(long offset, SeekOrigin origin) => _buffer.Seek(offset, origin);
    public override void SetLength(long value) => _buffer.SetLength(value);
    public override void Write(byte[] buffer, int offset, int count) => _buffer.Write(buffer, offset, count);
    public override void Write(ReadOnlySpan<byte> buffer) => _buffer.Write(buffer);

    public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken)
    {
        _buffer.Write(buffer, offset, count);
        return Task.CompletedTask;
    }

    public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
    {
        _buffer.Write(buffer.Span);
        return ValueTask.CompletedTask;
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing) _buffer.Dispose();
        base.Dispose(disposing);
    }
}
