using System.Buffers.Binary;
using AkkaRedis.Net.Resp;

namespace AkkaRedis.Actors.Storage.Rdb;

/// <summary>
/// Redis's listpack bytes (listpack.c), as RDB and DUMP carry them (hash/zset listpacks, quicklist nodes, stream
/// nodes). Not our in-memory <see cref="Listpack"/>: this is the wire format.
/// <code>
/// header: total-bytes u32 LE | num-elements u16 LE (65535 = unknown)
/// entry:  encoding [data] backlen          end: 0xFF
/// 0xxxxxxx 7-bit uint | 10LLLLLL 6-bit string | 110xxxxx x 13-bit int | 1110LLLL L 12-bit string
/// F0 L32 string | F1 int16 | F2 int24 | F3 int32 | F4 int64 (integers little endian, two's complement)
/// backlen: the entry's encoding+data size, 7 bits per byte, most significant first, high bit set on every byte but
///          the first (so it reads right to left)
/// </code>
/// </summary>
public static class RedisListpack
{
    public const int HeaderSize = 6;
    public const byte End = 0xFF;
    /// <summary>LP_HDR_NUMELE_UNKNOWN: the count no longer fits the header; readers count by walking.</summary>
    public const int UnknownCount = 65535;

    /// <summary>lpValidateIntegrity: header consistency (total bytes, terminator), and with <paramref name="deep"/>
    /// every entry in bounds with a matching backlen and the count equal to the header's. The count walked (or the
    /// header's when not deep and known) comes back in <paramref name="count"/>.</summary>
    public static bool Validate(ReadOnlySpan<byte> lp, bool deep, out int count)
    {
        count = 0;
        if (lp.Length < HeaderSize + 1) return false;
        if (BinaryPrimitives.ReadUInt32LittleEndian(lp) != (uint)lp.Length) return false;
        if (lp[^1] != End) return false;
        var header = BinaryPrimitives.ReadUInt16LittleEndian(lp[4..]);
        if (!deep)
        {
            count = header;
            return true;
        }
        try
        {
            var reader = new RedisListpackReader(lp);
            while (reader.MoveNext()) count++;
        }
        catch (RdbFormatException)
        {
            return false;
        }
        return header == UnknownCount || header == count;
    }

    /// <summary>lpEncodeBacklen's size for an entry of <paramref name="l"/> bytes.</summary>
    internal static int BacklenSize(int l) => l <= 127 ? 1 : l < 16383 ? 2 : l < 2097151 ? 3 : l < 268435455 ? 4 : 5;

    internal static void WriteBacklen(Span<byte> buf, int l)
    {
        var size = BacklenSize(l);
        // Most significant group first; every byte after the first carries the continuation bit.
        for (var i = size - 1; i >= 0; i--)
        {
            buf[i] = (byte)((l & 127) | (i == 0 ? 0 : 128));
            l >>= 7;
        }
    }
}

/// <summary>
/// Builds a Redis listpack entry by entry, as lpAppend does: a value that is a canonical integer
/// (lpStringToInt64 = string2ll) is stored as an integer in the smallest encoding, anything else as a string.
/// Reusable: <see cref="Clear"/> starts a new one.
/// </summary>
public sealed class RedisListpackWriter
{
    private byte[] _buffer;
    private int _length = RedisListpack.HeaderSize;
    private int _count;

    public RedisListpackWriter(int capacity = 256) => _buffer = new byte[Math.Max(32, capacity)];

    public int Count => _count;
    /// <summary>The listpack's size once finished (header, entries, terminator): lpBytes.</summary>
    public int Bytes => _length + 1;

    public void Clear()
    {
        _length = RedisListpack.HeaderSize;
        _count = 0;
    }

    /// <summary>lpAppend of a string: integer-encoded when it is a canonical integer.</summary>
    public void Append(ReadOnlySpan<byte> value)
    {
        if (value.Length <= 20 && RedisNumbers.TryParseLong(value, out var integer)) AppendInteger(integer);
        else AppendString(value);
    }

    /// <summary>lpAppendInteger: 7-bit uint, 13/16/24/32/64-bit int, the smallest that holds it.</summary>
    public void AppendInteger(long v)
    {
        var span = Reserve(9 + 1);
        int size;
        if (v >= 0 && v <= 127) { span[0] = (byte)v; size = 1; }
        else if (v >= -4096 && v <= 4095)
        {
            var u = v < 0 ? (1 << 13) + v : v;
            span[0] = (byte)((u >> 8) | 0xC0);
            span[1] = (byte)u;
            size = 2;
        }
        else if (v >= short.MinValue && v <= short.MaxValue)
        {
            span[0] = 0xF1;
            BinaryPrimitives.WriteInt16LittleEndian(span[1..], (short)v);
            size = 3;
        }
        else if (v >= -8388608 && v <= 8388607)
        {
            span[0] = 0xF2;
            span[1] = (byte)v;
            span[2] = (byte)(v >> 8);
            span[3] = (byte)(v >> 16);
            size = 4;
        }
        else if (v >= int.MinValue && v <= int.MaxValue)
        {
            span[0] = 0xF3;
            BinaryPrimitives.WriteInt32LittleEndian(span[1..], (int)v);
            size = 5;
        }
        else
        {
            span[0] = 0xF4;
            BinaryPrimitives.WriteInt64LittleEndian(span[1..], v);
            size = 9;
        }
        Commit(span, size);
    }

    /// <summary>A string entry whatever its content (lpAppend never does this for canonical integers; Redis's own
    /// writers only reach it through <see cref="Append"/>).</summary>
    public void AppendString(ReadOnlySpan<byte> value)
    {
        var len = value.Length;
        var span = Reserve(5 + len + 5);
        int header;
        if (len < 64) { span[0] = (byte)(0x80 | len); header = 1; }
        else if (len < 4096) { span[0] = (byte)(0xE0 | (len >> 8)); span[1] = (byte)len; header = 2; }
        else { span[0] = 0xF0; BinaryPrimitives.WriteInt32LittleEndian(span[1..], len); header = 5; }
        value.CopyTo(span[header..]);
        Commit(span, header + len);
    }

    /// <summary>The finished listpack (header filled in, terminator appended) as a new array.</summary>
    public byte[] ToArray()
    {
        var result = new byte[Bytes];
        CopyTo(result);
        return result;
    }

    /// <summary>The finished listpack into <paramref name="destination"/> (at least <see cref="Bytes"/> long).</summary>
    public void CopyTo(Span<byte> destination)
    {
        _buffer.AsSpan(0, _length).CopyTo(destination);
        BinaryPrimitives.WriteUInt32LittleEndian(destination, (uint)Bytes);
        BinaryPrimitives.WriteUInt16LittleEndian(destination[4..], (ushort)Math.Min(_count, RedisListpack.UnknownCount));
        destination[_length] = RedisListpack.End;
    }

    /// <summary>The finished listpack as one RDB string (rdbSaveRawString of the blob: Redis compresses it too
    /// when rdbcompression is on).</summary>
    public void WriteTo(RdbWriter writer, bool compress)
    {
        var bytes = Bytes;
        if (_buffer.Length < bytes) Array.Resize(ref _buffer, bytes);
        BinaryPrimitives.WriteUInt32LittleEndian(_buffer, (uint)bytes);
        BinaryPrimitives.WriteUInt16LittleEndian(_buffer.AsSpan(4), (ushort)Math.Min(_count, RedisListpack.UnknownCount));
        _buffer[_length] = RedisListpack.End;
        writer.WriteString(_buffer.AsSpan(0, bytes), compress);
    }

    private Span<byte> Reserve(int size)
    {
        if (_buffer.Length - _length < size + 1)
            Array.Resize(ref _buffer, Math.Max(_buffer.Length * 2, _length + size + 1));
        return _buffer.AsSpan(_length);
    }

    private void Commit(Span<byte> span, int entrySize)
    {
        RedisListpack.WriteBacklen(span[entrySize..], entrySize);
        _length += entrySize + RedisListpack.BacklenSize(entrySize);
        _count++;
    }
}

/// <summary>
/// Walks a Redis listpack front to back: after <see cref="MoveNext"/> the entry is either an integer
/// (<see cref="IsInteger"/>, <see cref="Integer"/>) or a string (<see cref="String"/>, a span into the listpack).
/// Every step checks bounds and the entry's backlen, so corrupt bytes throw <see cref="RdbFormatException"/>.
/// </summary>
public ref struct RedisListpackReader
{
    private readonly ReadOnlySpan<byte> _lp;
    private int _position;

    /// <summary>Checks the header (total bytes, terminator) first (lpValidateFirst's shallow part).</summary>
    public RedisListpackReader(ReadOnlySpan<byte> lp)
    {
        if (!RedisListpack.Validate(lp, deep: false, out var count)) throw new RdbFormatException("Listpack integrity check failed.");
        _lp = lp;
        HeaderCount = count;
        _position = RedisListpack.HeaderSize;
    }

    /// <summary>The header's element count (<see cref="RedisListpack.UnknownCount"/> when unknown).</summary>
    public int HeaderCount { get; }
    public bool IsInteger { get; private set; }
    public long Integer { get; private set; }
    public ReadOnlySpan<byte> String { get; private set; }

    public bool MoveNext()
    {
        var lp = _lp;
        var p = _position;
        if (p >= lp.Length) throw Corrupt();
        var b = lp[p];
        if (b == RedisListpack.End)
        {
            if (p != lp.Length - 1) throw Corrupt();
            return false;
        }
        int size;         // encoding + data
        IsInteger = true;
        String = default;
        if ((b & 0x80) == 0) { Integer = b; size = 1; }
        else if ((b & 0xC0) == 0x80) { size = 1 + (b & 0x3F); SetString(p + 1, b & 0x3F); }
        else if ((b & 0xE0) == 0xC0)
        {
            Need(p, 2);
            var u = ((b & 0x1F) << 8) | lp[p + 1];
            Integer = u >= 1 << 12 ? u - (1 << 13) : u;
            size = 2;
        }
        else if ((b & 0xF0) == 0xE0)
        {
            Need(p, 2);
            var len = ((b & 0x0F) << 8) | lp[p + 1];
            size = 2 + len;
            SetString(p + 2, len);
        }
        else
        {
            switch (b)
            {
                case 0xF0:
                    Need(p, 5);
                    var len = BinaryPrimitives.ReadUInt32LittleEndian(lp[(p + 1)..]);
                    if (len > (uint)(lp.Length - p - 5)) throw Corrupt();
                    size = 5 + (int)len;
                    SetString(p + 5, (int)len);
                    break;
                case 0xF1: Need(p, 3); Integer = BinaryPrimitives.ReadInt16LittleEndian(lp[(p + 1)..]); size = 3; break;
                case 0xF2:
                    Need(p, 4);
                    var v24 = lp[p + 1] | (lp[p + 2] << 8) | (lp[p + 3] << 16);
                    Integer = (v24 << 8) >> 8;
                    size = 4;
                    break;
                case 0xF3: Need(p, 5); Integer = BinaryPrimitives.ReadInt32LittleEndian(lp[(p + 1)..]); size = 5; break;
                case 0xF4: Need(p, 9); Integer = BinaryPrimitives.ReadInt64LittleEndian(lp[(p + 1)..]); size = 9; break;
                default: throw Corrupt();
            }
        }
        var backlen = RedisListpack.BacklenSize(size);
        Need(p, size + backlen);
        // The backlen must decode to the entry size (lpValidateNext). lpDecodeBacklen reads it right to left and
        // stops at the first byte without the continuation bit, so only the leftmost byte may lack it: a flag out of
        // place would send a backward walk (lpPrev) elsewhere.
        var decoded = 0;
        for (var i = 0; i < backlen; i++)
        {
            var c = lp[p + size + i];
            if ((c & 128) != (i == 0 ? 0 : 128)) throw Corrupt();
            decoded = (decoded << 7) | (c & 127);
        }
        if (decoded != size) throw Corrupt();
        _position = p + size + backlen;
        return true;
    }

    /// <summary>The entry as bytes: the string, or the integer's decimal digits in <paramref name="scratch"/>
    /// (at least 20 bytes).</summary>
    public readonly ReadOnlySpan<byte> AsBytes(Span<byte> scratch)
    {
        if (!IsInteger) return String;
        System.Buffers.Text.Utf8Formatter.TryFormat(Integer, scratch, out var written);
        return scratch[..written];
    }

    private void SetString(int start, int len)
    {
        if (len > _lp.Length - start) throw Corrupt();
        IsInteger = false;
        String = _lp.Slice(start, len);
    }

    private readonly void Need(int p, int size)
    {
        if (size > _lp.Length - p - 1) throw Corrupt(); // the terminator must still follow
    }

    private static RdbFormatException Corrupt() => new("Listpack integrity check failed.");
}
