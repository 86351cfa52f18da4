using System.Buffers.Binary;

namespace AkkaRedis.Actors.Storage.Rdb;

/// <summary>
/// A growable buffer that RDB bytes are written into (a DUMP payload, one shard's part of a snapshot, a whole file's
/// header), with rdb.c's primitive encodings: lengths (rdbSaveLen), strings (rdbSaveRawString: integer-encoded when
/// short and canonical, LZF-compressed when asked and it pays), binary doubles, little-endian integers.
/// </summary>
public sealed class RdbWriter
{
    private byte[] _buffer;
    private int _length;

    public RdbWriter(int capacity = 256) => _buffer = new byte[Math.Max(16, capacity)];

    public int Length => _length;
    public ReadOnlySpan<byte> Written => _buffer.AsSpan(0, _length);
    public ReadOnlyMemory<byte> WrittenMemory => _buffer.AsMemory(0, _length);

    public void Clear() => _length = 0;

    /// <summary><paramref name="size"/> bytes to write into at the end; <see cref="Advance"/> commits them.</summary>
    public Span<byte> GetSpan(int size)
    {
        if (_buffer.Length - _length < size) Grow(size);
        return _buffer.AsSpan(_length);
    }

    public void Advance(int count) => _length += count;

    private void Grow(int size) =>
        Array.Resize(ref _buffer, (int)Math.Min(Array.MaxLength, Math.Max((long)_buffer.Length * 2, (long)_length + size)));

    public void WriteByte(byte value)
    {
        if (_length == _buffer.Length) Grow(1);
        _buffer[_length++] = value;
    }

    public void WriteBytes(ReadOnlySpan<byte> bytes)
    {
        bytes.CopyTo(GetSpan(bytes.Length));
        _length += bytes.Length;
    }

    /// <summary>rdbSaveLen: 6-bit, 14-bit, 32-bit or 64-bit (big endian) length.</summary>
    public void WriteLength(ulong length)
    {
        var span = GetSpan(9);
        if (length < 1 << 6)
        {
            span[0] = (byte)length;
            _length += 1;
        }
        else if (length < 1 << 14)
        {
            span[0] = (byte)((length >> 8) | 0x40);
            span[1] = (byte)length;
            _length += 2;
        }
        else if (length <= uint.MaxValue)
        {
            span[0] = RdbFormat.Len32;
            BinaryPrimitives.WriteUInt32BigEndian(span[1..], (uint)length);
            _length += 5;
        }
        else
        {
            span[0] = RdbFormat.Len64;
            BinaryPrimitives.WriteUInt64BigEndian(span[1..], length);
            _length += 9;
        }
    }

    /// <summary>A string exactly as rdbSaveRawString writes it (integer encoding and LZF are the codec's: issue 12,
    /// i12-codec completes this).</summary>
    public void WriteString(ReadOnlySpan<byte> value, bool compress)
    {
        WriteLength((ulong)value.Length);
        WriteBytes(value);
    }

    /// <summary>8 bytes, little endian (expiry times in ms, rdbSaveMillisecondTime).</summary>
    public void WriteInt64(long value)
    {
        BinaryPrimitives.WriteInt64LittleEndian(GetSpan(8), value);
        _length += 8;
    }

    /// <summary>rdbSaveBinaryDoubleValue: the IEEE 754 bytes, little endian.</summary>
    public void WriteBinaryDouble(double value)
    {
        BinaryPrimitives.WriteDoubleLittleEndian(GetSpan(8), value);
        _length += 8;
    }
}
