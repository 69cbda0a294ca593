namespace CreditPortal.Reports.Excel;

/// <summary>
/// The forward-only stream the zip archive writes into. Bytes wait here until the writer drains them to
/// the real output, synchronously or asynchronously: <see cref="System.IO.Compression.ZipArchive"/> on .NET 9
/// only writes synchronously, and an ASP.NET Core response body refuses synchronous writes. Memory stays
/// bounded because the writer drains after every row once a threshold is passed.
/// </summary>
/// <remarks>Not seekable on purpose, so the archive streams its entries (data descriptors) instead of seeking back.</remarks>
internal sealed class PendingOutput : Stream
{
    private byte[] _buffer;
    private int _count;

    public PendingOutput(int initialCapacity) => _buffer = new byte[initialCapacity];

    /// <summary>Bytes written and not yet drained.</summary>
    public int Count => _count;

    /// <summary>The largest the buffer has been, for tests that check memory stays bounded.</summary>
    public int Capacity => _buffer.Length;

    public void DrainTo(Stream output)
    {
        if (_count == 0) return;
        output.Write(_buffer, 0, _count);
        _count = 0;
    }

    public async ValueTask DrainToAsync(Stream output, CancellationToken cancellationToken)
    {
        if (_count == 0) return;
        await output.WriteAsync(_buffer.AsMemory(0, _count), cancellationToken).ConfigureAwait(false);
        _count = 0;
    }

    /// <summary>Forgets what was not drained (an abandoned workbook must not reach the output).</summary>
    public void Discard() => _count = 0;

    public override void Write(byte[] buffer, int offset, int count) => Write(buffer.AsSpan(offset, count));

    public override void Write(ReadOnlySpan<byte> buffer)
    {
        if (_count + buffer.Length > _buffer.Length)
        {
            Array.Resize(ref _buffer, Math.Max(_buffer.Length * 2, _count + buffer.Length));
        }
        buffer.CopyTo(_buffer.AsSpan(_count));
        _count += buffer.Length;
    }

    public override void WriteByte(byte value) => Write([value]);

    public override void Flush()
    {
        // Draining is the writer's decision (sync or async), not the archive's.
    }

    public override bool CanRead => false;
    public override bool CanSeek => false;
    public override bool CanWrite => true;
    public override long Length => throw new NotSupportedException();
    public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }
    public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
    public override void SetLength(long value) => throw new NotSupportedException();
}
