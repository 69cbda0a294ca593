namespace CreditPortal.Tests.Reports.Excel;

/// <summary>
/// An output like an HTTP response body: write-only, no Seek, Position or Length. With
/// <paramref name="refuseSynchronousWrites"/> it also behaves like Kestrel's body with AllowSynchronousIO off;
/// without <paramref name="keepBytes"/> it only counts what it receives (for memory measurements).
/// </summary>
public sealed class ForwardOnlyStream(bool refuseSynchronousWrites = false, bool keepBytes = true) : Stream
{
    private readonly MemoryStream _received = new();

    public byte[] Received => keepBytes ? _received.ToArray() : throw new InvalidOperationException("created without keepBytes");

    public long BytesReceived { get; private set; }

    public bool Disposed { get; private set; }

    public override bool CanRead => false;
    public override bool CanSeek => false;
    public override bool CanWrite => true;
    public override long Length => throw new NotSupportedException("forward-only: no Length");
    public override long Position
    {
        get => throw new NotSupportedException("forward-only: no Position");
        set => throw new NotSupportedException("forward-only: no Position");
    }

    public override void Write(byte[] buffer, int offset, int count) => Write(buffer.AsSpan(offset, count));

    public override void Write(ReadOnlySpan<byte> buffer)
    {
        if (refuseSynchronousWrites) throw new InvalidOperationException("Synchronous operations are disallowed.");
        Receive(buffer);
    }

    private void Receive(ReadOnlySpan<byte> buffer)
    {
        if (keepBytes) _received.Write(buffer);
        BytesReceived += buffer.Length;
    }

    public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
    {
        Receive(buffer.Span);
        return ValueTask.CompletedTask;
    }

    public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken)
        => WriteAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override void Flush()
    {
        if (refuseSynchronousWrites) throw new InvalidOperationException("Synchronous operations are disallowed.");
    }

    public override Task FlushAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException("forward-only: no Seek");
    public override void SetLength(long value) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        Disposed = true;
        base.Dispose(disposing);
    }
}
