using System.Buffers.Binary;

namespace AkkaRedis.Actors.Storage.Rdb;

/// <summary>Thrown for bytes that are not a valid RDB (or DUMP payload): the loader reports it and stops, RESTORE
/// answers "Bad data format".</summary>
public sealed class RdbFormatException(string message) : Exception(message);

/// <summary>
/// Reads RDB bytes (a DUMP payload, a whole file) with rdb.c's primitive decodings; every read checks the bounds and
/// throws <see cref="RdbFormatException"/> past the end, so corrupt input never reads out of range.
/// </summary>
public ref struct RdbReader
{
    private readonly ReadOnlySpan<byte> _data;
    private int _position;

    public RdbReader(ReadOnlySpan<byte> data)
    {
        _data = data;
        _position = 0;
    }

    public int Position => _position;
    public int Remaining => _data.Length - _position;
    public ReadOnlySpan<byte> Data => _data;

    public byte ReadByte()
    {
        if (_position >= _data.Length) throw Truncated();
        return _data[_position++];
    }

    public ReadOnlySpan<byte> ReadBytes(int count)
    {
        if (count < 0 || count > Remaining) throw Truncated();
        var span = _data.Slice(_position, count);
        _position += count;
        return span;
    }

    /// <summary>rdbLoadLenByRef: a length, or (<paramref name="encoded"/>) one of the RDB_ENC_* string encodings.</summary>
    public ulong ReadLength(out bool encoded)
    {
        encoded = false;
        var first = ReadByte();
        switch (first >> 6)
        {
            case 0: return (ulong)(first & 0x3F);
            case 1: return ((ulong)(first & 0x3F) << 8) | ReadByte();
            case 3:
                encoded = true;
                return (ulong)(first & 0x3F);
        }
        if (first == RdbFormat.Len32) return BinaryPrimitives.ReadUInt32BigEndian(ReadBytes(4));
        if (first == RdbFormat.Len64) return BinaryPrimitives.ReadUInt64BigEndian(ReadBytes(8));
        throw new RdbFormatException($"Unknown length encoding {first} in rdbLoadLen()");
    }

    /// <summary>A plain length (no string encoding allowed), checked to fit an int.</summary>
    public int ReadLength()
    {
        var length = ReadLength(out var encoded);
        if (encoded || length > int.MaxValue) throw new RdbFormatException("Bad length");
        return (int)length;
    }

    public long ReadInt64() => BinaryPrimitives.ReadInt64LittleEndian(ReadBytes(8));

    public double ReadBinaryDouble() => BinaryPrimitives.ReadDoubleLittleEndian(ReadBytes(8));

    public static RdbFormatException Truncated() => new("Unexpected EOF reading RDB file");
}
