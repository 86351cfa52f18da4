using System.Buffers;
using System.Buffers.Text;
using System.Globalization;
using System.Runtime.CompilerServices;
using System.Text;

namespace AkkaRedis.Net.Resp;

/// <summary>
/// Encodes replies straight into a growable, reusable byte buffer, in RESP2 or RESP3.
/// One writer is owned by whoever collects a batch's replies; it is reset, never reallocated, between batches.
/// </summary>
/// <remarks>
/// The buffer is rented from <see cref="ArrayPool{T}.Shared"/> at the first write, not at construction, and
/// <see cref="Release"/> gives it back: a connection that is idle holds no reply memory (Redis's reply buffers
/// are likewise allocated on demand and freed when drained). A writer that <see cref="AllowReferences"/> may also
/// hold big bulk payloads by reference (<see cref="BulkReference"/>): its bytes are then <see cref="Buffer"/>
/// with <see cref="References"/> inserted, and only a reader that knows it (the session's output) may read it.
/// </remarks>
public sealed class RespWriter
{
    private static readonly byte[] Crlf = "\r\n"u8.ToArray();

    /// <summary>A buffer bigger than this is not kept across <see cref="Reset"/> nor returned to the pool: one
    /// huge reply must not pin its memory in an idle connection or in the pool.</summary>
    private const int MaxKeptBuffer = 1 << 20;

    /// <summary>Bulk payloads at least this long are referenced, not copied, by a writer that allows references;
    /// below it a copy costs less than a separate send segment.</summary>
    public const int ReferenceThreshold = 16 * 1024;

    private readonly int _initialCapacity;
    private byte[] _buffer = [];
    private int _position;
    private List<Reference>? _references;

    public RespWriter(int initialCapacity = 4096) => _initialCapacity = Math.Max(16, initialCapacity);

    /// <summary>A payload that belongs between <see cref="Buffer"/>[..<paramref name="Position"/>) and the bytes after.</summary>
    public readonly record struct Reference(int Position, byte[] Array, int Offset, int Count);

    /// <summary>Whether <see cref="BulkReference"/> may keep payloads by reference (set by the owner that reads
    /// the writer through <see cref="References"/>).</summary>
    public bool AllowReferences { get; set; }

    /// <summary>Payloads held by reference, in position order (empty unless <see cref="AllowReferences"/>).</summary>
    public ReadOnlySpan<Reference> References =>
        _references == null ? default : System.Runtime.InteropServices.CollectionsMarshal.AsSpan(_references);

    /// <summary>Whether a bulk of <paramref name="length"/> bytes would be kept by reference.</summary>
    public bool TakesReference(int length) => AllowReferences && length >= ReferenceThreshold;

    /// <summary>2 or 3, as negotiated by HELLO.</summary>
    public int Protocol { get; set; } = 2;

    /// <summary>Error replies written since the last <see cref="Reset"/>; the first word of the last one is in <see cref="LastErrorCode"/>.</summary>
    public int ErrorCount { get; private set; }
    public string? LastErrorCode { get; private set; }

    public int Length => _position;
    public byte[] Buffer => _buffer;
    public ReadOnlySpan<byte> Written => _buffer.AsSpan(0, _position);

    public void Reset()
    {
        _position = 0;
        ErrorCount = 0;
        LastErrorCode = null;
        _references?.Clear();
        if (_buffer.Length > MaxKeptBuffer) _buffer = []; // don't keep a huge reply's buffer alive forever
    }

    /// <summary>Resets and gives the buffer back to the pool (the owner is idle); the next write rents one again.
    /// Nothing may still read what was written.</summary>
    public void Release()
    {
        Reset();
        if (_buffer.Length > 0) ArrayPool<byte>.Shared.Return(_buffer);
        _buffer = [];
        _references = null;
    }

    /// <summary>Drops everything written after <paramref name="length"/> (used to undo a partially written reply).</summary>
    public void Truncate(int length)
    {
        _position = length;
        if (_references == null) return;
        while (_references.Count > 0 && _references[^1].Position >= length) _references.RemoveAt(_references.Count - 1);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private Span<byte> Reserve(int size)
    {
        if (_buffer.Length - _position < size) Grow(size);
        return _buffer.AsSpan(_position);
    }

    private void Grow(int size)
    {
        var grown = ArrayPool<byte>.Shared.Rent(Math.Max(Math.Max(_buffer.Length * 2, _initialCapacity), _position + size));
        if (_buffer.Length == 0) // nothing written since Release: rent only
        {
            _buffer = grown;
            return;
        }
        _buffer.AsSpan(0, _position).CopyTo(grown);
        if (_buffer.Length <= MaxKeptBuffer) ArrayPool<byte>.Shared.Return(_buffer);
        _buffer = grown;
    }

    public void WriteRaw(ReadOnlySpan<byte> bytes)
    {
        bytes.CopyTo(Reserve(bytes.Length));
        _position += bytes.Length;
    }

    private void WriteAscii(string s)
    {
        var span = Reserve(Encoding.UTF8.GetMaxByteCount(s.Length));
        _position += Encoding.UTF8.GetBytes(s, span);
    }

    private void WritePrefixedNumber(byte prefix, long value)
    {
        var span = Reserve(24);
        span[0] = prefix;
        Utf8Formatter.TryFormat(value, span[1..], out var written);
        span[1 + written] = (byte)'\r';
        span[2 + written] = (byte)'\n';
        _position += written + 3;
    }

    public void Ok() => WriteRaw("+OK\r\n"u8);
    public void Queued() => WriteRaw("+QUEUED\r\n"u8);

    public void SimpleString(ReadOnlySpan<byte> text)
    {
        var span = Reserve(text.Length + 3);
        span[0] = (byte)'+';
        text.CopyTo(span[1..]);
        span[text.Length + 1] = (byte)'\r';
        span[text.Length + 2] = (byte)'\n';
        _position += text.Length + 3;
    }

    public void SimpleString(string text)
    {
        WriteRaw("+"u8);
        WriteAscii(text);
        WriteRaw(Crlf);
    }

    /// <summary>Writes "-&lt;message&gt;\r\n". The message starts with its error code, e.g. "ERR syntax error" or "WRONGTYPE ...".
    /// Each char is one byte (Latin-1), so request bytes quoted in an error (decoded with Latin-1) go back unchanged.</summary>
    public void Error(string message)
    {
        ErrorCount++;
        var space = message.IndexOf(' ');
        LastErrorCode = space < 0 ? message : message[..space];
        var span = Reserve(message.Length + 3);
        span[0] = (byte)'-';
        var n = Encoding.Latin1.GetBytes(message, span[1..]);
        // A newline inside an error would break the protocol: Redis replaces them with spaces.
        for (var i = 1; i <= n; i++)
            if (span[i] == '\r' || span[i] == '\n') span[i] = (byte)' ';
        span[n + 1] = (byte)'\r';
        span[n + 2] = (byte)'\n';
        _position += n + 3;
    }

    public void Integer(long value) => WritePrefixedNumber((byte)':', value);

    public void Bulk(ReadOnlySpan<byte> value)
    {
        WritePrefixedNumber((byte)'$', value.Length);
        var span = Reserve(value.Length + 2);
        value.CopyTo(span);
        span[value.Length] = (byte)'\r';
        span[value.Length + 1] = (byte)'\n';
        _position += value.Length + 2;
    }

    /// <summary>
    /// A bulk string whose payload stays where it is: with <see cref="AllowReferences"/> and a payload of at least
    /// <see cref="ReferenceThreshold"/> bytes only the header and trailer are written and the payload is sent from
    /// <paramref name="array"/> itself, which must then stay unchanged until the reply is sent (storage marks it
    /// shared); otherwise it is copied as <see cref="Bulk(ReadOnlySpan{byte})"/>.
    /// </summary>
    public void BulkReference(byte[] array, int offset, int count)
    {
        if (!TakesReference(count))
        {
            Bulk(array.AsSpan(offset, count));
            return;
        }
        WritePrefixedNumber((byte)'$', count);
        (_references ??= new List<Reference>()).Add(new Reference(_position, array, offset, count));
        WriteRaw(Crlf);
    }

    public void Bulk(string value)
    {
        var max = Encoding.UTF8.GetMaxByteCount(value.Length);
        if (max <= 256)
        {
            Span<byte> tmp = stackalloc byte[max];
            var n = Encoding.UTF8.GetBytes(value, tmp);
            Bulk(tmp[..n]);
        }
        else Bulk(Encoding.UTF8.GetBytes(value));
    }

    /// <summary>An integer as a bulk string (e.g. INCRBYFLOAT-style replies that are numbers in text form).</summary>
    public void BulkInteger(long value)
    {
        Span<byte> tmp = stackalloc byte[24];
        Utf8Formatter.TryFormat(value, tmp, out var n);
        Bulk(tmp[..n]);
    }

    /// <summary>The missing-value reply: $-1 in RESP2, _ in RESP3.</summary>
    public void NullBulk() => WriteRaw(Protocol == 3 ? "_\r\n"u8 : "$-1\r\n"u8);

    /// <summary>The missing-aggregate reply: *-1 in RESP2, _ in RESP3.</summary>
    public void NullArray() => WriteRaw(Protocol == 3 ? "_\r\n"u8 : "*-1\r\n"u8);

    public void ArrayHeader(int count) => WritePrefixedNumber((byte)'*', count);

    /// <summary>A map of <paramref name="pairs"/> entries: %n in RESP3, a flat array of 2n in RESP2.</summary>
    public void MapHeader(int pairs)
    {
        if (Protocol == 3) WritePrefixedNumber((byte)'%', pairs);
        else WritePrefixedNumber((byte)'*', pairs * 2);
    }

    public void SetHeader(int count) => WritePrefixedNumber(Protocol == 3 ? (byte)'~' : (byte)'*', count);

    public void Boolean(bool value)
    {
        if (Protocol == 3) WriteRaw(value ? "#t\r\n"u8 : "#f\r\n"u8);
        else Integer(value ? 1 : 0);
    }

    /// <summary>A double: ",x" in RESP3, a bulk string in RESP2, formatted as Redis formats doubles (%.17g style).</summary>
    public void Double(double value)
    {
        Span<byte> tmp = stackalloc byte[64];
        var n = RedisNumbers.FormatDouble(value, tmp);
        if (Protocol == 3)
        {
            WriteRaw(","u8);
            WriteRaw(tmp[..n]);
            WriteRaw(Crlf);
        }
        else Bulk(tmp[..n]);
    }

    /// <summary>A big number (addReplyBigNum): "(digits" in RESP3, a bulk string in RESP2.</summary>
    public void BigNumber(ReadOnlySpan<byte> digits)
    {
        if (Protocol != 3)
        {
            Bulk(digits);
            return;
        }
        WriteRaw("("u8);
        WriteRaw(digits);
        WriteRaw(Crlf);
    }

    /// <summary>An attribute map of <paramref name="pairs"/> entries ("|n", RESP3 only, as addReplyAttributeLen):
    /// it annotates the reply that follows it.</summary>
    public void AttributeHeader(int pairs)
    {
        if (Protocol != 3) throw new InvalidOperationException("attributes exist in RESP3 only");
        WritePrefixedNumber((byte)'|', pairs);
    }

    /// <summary>Text meant for humans (INFO, CLIENT LIST): "=len\r\ntxt:..." in RESP3, a bulk string in RESP2.</summary>
    public void Verbatim(string text)
    {
        if (Protocol != 3)
        {
            Bulk(text);
            return;
        }
        var bytes = Encoding.UTF8.GetBytes(text);
        WritePrefixedNumber((byte)'=', bytes.Length + 4);
        WriteRaw("txt:"u8);
        WriteRaw(bytes);
        WriteRaw(Crlf);
    }

    /// <summary>An array of bulk strings.</summary>
    public void BulkArray(IReadOnlyList<string> items)
    {
        ArrayHeader(items.Count);
        for (var i = 0; i < items.Count; i++) Bulk(items[i]);
    }

    /// <summary>Out-of-band push message (pub/sub in RESP3): "&gt;n"; "*n" in RESP2.</summary>
    public void PushHeader(int count) => WritePrefixedNumber(Protocol == 3 ? (byte)'>' : (byte)'*', count);
}
