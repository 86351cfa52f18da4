using System.Buffers.Binary;

namespace AkkaRedis.Actors.Storage.Rdb;

/// <summary>Thrown for bytes that are not a valid RDB (or DUMP payload): the loader reports it and stops, RESTORE
/// answers "Bad data format".</summary>
public class RdbFormatException(string message) : Exception(message);

/// <summary>A value with no elements (rdbLoadObject's RDB_LOAD_ERR_EMPTY_KEY): the loader skips the key, RESTORE answers
/// "Bad data format".</summary>
public sealed class RdbEmptyKeyException() : RdbFormatException("Empty keys skipped");

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

    /// <summary>rdbGenericLoadStringObject: a string in any encoding (plain, RDB_ENC_INT8/16/32 as its decimal
    /// digits, LZF) as a new array.</summary>
    public byte[] ReadString()
    {
        if (ReadStringOrInteger(out var bytes, out var integer)) return bytes.ToArray();
        Span<byte> digits = stackalloc byte[20];
        System.Buffers.Text.Utf8Formatter.TryFormat(integer, digits, out var written);
        return digits[..written].ToArray();
    }

    /// <summary>A string without copying when it is stored plain (the common case): the span points into the
    /// input. Integer and LZF encodings are decoded into a new array the span covers.</summary>
    public ReadOnlySpan<byte> ReadStringSpan()
    {
        if (ReadStringOrInteger(out var bytes, out var integer)) return bytes;
        Span<byte> digits = stackalloc byte[20];
        System.Buffers.Text.Utf8Formatter.TryFormat(integer, digits, out var written);
        return digits[..written].ToArray();
    }

    /// <summary>A string, or (false) the integer of an RDB_ENC_INT8/16/32 string, so integer members and values
    /// load without formatting and re-parsing. LZF strings are decompressed into a new array.</summary>
    public bool ReadStringOrInteger(out ReadOnlySpan<byte> bytes, out long integer)
    {
        integer = 0;
        bytes = default;
        var length = ReadLength(out var encoded);
        if (!encoded)
        {
            if (length > (ulong)Remaining) throw Truncated();
            bytes = ReadBytes((int)length);
            return true;
        }
        switch (length)
        {
            case RdbFormat.EncInt8:
                integer = (sbyte)ReadByte();
                return false;
            case RdbFormat.EncInt16:
                integer = BinaryPrimitives.ReadInt16LittleEndian(ReadBytes(2));
                return false;
            case RdbFormat.EncInt32:
                integer = BinaryPrimitives.ReadInt32LittleEndian(ReadBytes(4));
                return false;
            case RdbFormat.EncLzf:
                bytes = ReadLzf();
                return true;
            default:
                throw new RdbFormatException($"Unknown RDB string encoding type {length}");
        }
    }

    /// <summary>rdbLoadLzfStringObject: compressed length, original length, compressed bytes.</summary>
    private byte[] ReadLzf()
    {
        var compressedLength = ReadLength();
        var length = ReadLength();
        var compressed = ReadBytes(compressedLength);
        // An LZF stream expands at most about 264/3 ≈ 88 times (a 3-byte back reference of 264 bytes), so a length
        // beyond that is corrupt: never allocate what a hostile header claims.
        if ((long)length > (long)compressed.Length * 90 + 64) throw new RdbFormatException("Invalid LZF compressed string");
        var value = new byte[length];
        Lzf.Decompress(compressed, value);
        return value;
    }

    /// <summary>rdbLoadDoubleValue: the 1-byte-length text double of RDB_TYPE_ZSET (253 NaN, 254 +inf,
    /// 255 -inf, else that many bytes of "%.17g").</summary>
    public double ReadTextDouble()
    {
        var length = ReadByte();
        switch (length)
        {
            case RdbFormat.DoubleNaN: return double.NaN;
            case RdbFormat.DoublePosInf: return double.PositiveInfinity;
            case RdbFormat.DoubleNegInf: return double.NegativeInfinity;
        }
        var text = ReadBytes(length);
        if (AkkaRedis.Net.Resp.RedisNumbers.TryParseDouble(text, out var value)) return value;
        var s = System.Text.Encoding.ASCII.GetString(text);
        if (s.Equals("nan", StringComparison.OrdinalIgnoreCase) || s.Equals("-nan", StringComparison.OrdinalIgnoreCase)) return double.NaN;
        throw new RdbFormatException("Invalid double value");
    }

    public long ReadInt64() => BinaryPrimitives.ReadInt64LittleEndian(ReadBytes(8));

    public uint ReadUInt32LittleEndian() => BinaryPrimitives.ReadUInt32LittleEndian(ReadBytes(4));

    public double ReadBinaryDouble() => BinaryPrimitives.ReadDoubleLittleEndian(ReadBytes(8));

    public static RdbFormatException Truncated() => new("Unexpected EOF reading RDB file");
}
