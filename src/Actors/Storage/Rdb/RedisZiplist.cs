using System.Buffers.Binary;

namespace AkkaRedis.Actors.Storage.Rdb;

/// <summary>
/// Walks a Redis ziplist (ziplist.c; RDBs before 7.0 carry small hashes, lists and zsets in it) front to back,
/// with the same entry API as <see cref="RedisListpackReader"/>. Every step checks bounds (ziplistValidateIntegrity).
/// <code>
/// header: zlbytes u32 | zltail u32 | zllen u16 (65535 = unknown)      end: 0xFF
/// entry:  prevlen (1 byte &lt; 254, or 0xFE + u32) | encoding | data
/// 00LLLLLL / 01LLLLLL L (14-bit BE) / 80 L32 BE: strings; C0 int16 | D0 int32 | E0 int64 | F0 int24 | FE int8 |
/// F1..FD: immediate 0..12
/// </code>
/// </summary>
public ref struct RedisZiplistReader
{
    private const int HeaderSize = 10;
    private readonly ReadOnlySpan<byte> _zl;
    private int _position;
    private int _previousSize;

    public RedisZiplistReader(ReadOnlySpan<byte> zl)
    {
        if (zl.Length < HeaderSize + 1
            || BinaryPrimitives.ReadUInt32LittleEndian(zl) != (uint)zl.Length
            || zl[^1] != 0xFF
            || BinaryPrimitives.ReadUInt32LittleEndian(zl[4..]) > (uint)(zl.Length - 1))
            throw Corrupt();
        _zl = zl;
        HeaderCount = BinaryPrimitives.ReadUInt16LittleEndian(zl[8..]);
        _position = HeaderSize;
        _previousSize = 0;
    }

    public int HeaderCount { get; }
    public bool IsInteger { get; private set; }
    public long Integer { get; private set; }
    public ReadOnlySpan<byte> String { get; private set; }

    public bool MoveNext()
    {
        var zl = _zl;
        var p = _position;
        if (p >= zl.Length) throw Corrupt();
        if (zl[p] == 0xFF)
        {
            if (p != zl.Length - 1) throw Corrupt();
            return false;
        }
        var start = p;
        int prevlen;
        if (zl[p] < 254) { prevlen = zl[p]; p += 1; }
        else
        {
            if (zl[p] != 254) throw Corrupt();
            Need(p, 5);
            prevlen = (int)BinaryPrimitives.ReadUInt32LittleEndian(zl[(p + 1)..]);
            p += 5;
        }
        if (prevlen != _previousSize) throw Corrupt();
        Need(p, 1);
        var b = zl[p];
        IsInteger = true;
        String = default;
        int dataLen;
        switch (b >> 6)
        {
            case 0: p += 1; dataLen = b & 0x3F; SetString(p, dataLen); break;
            case 1: Need(p, 2); dataLen = ((b & 0x3F) << 8) | zl[p + 1]; p += 2; SetString(p, dataLen); break;
            case 2:
                if (b != 0x80) throw Corrupt();
                Need(p, 5);
                var len = BinaryPrimitives.ReadUInt32BigEndian(zl[(p + 1)..]);
                if (len > int.MaxValue) throw Corrupt();
                dataLen = (int)len;
                p += 5;
                SetString(p, dataLen);
                break;
            default:
                p += 1;
                switch (b)
                {
                    case 0xC0: Need(p, 2); Integer = BinaryPrimitives.ReadInt16LittleEndian(zl[p..]); dataLen = 2; break;
                    case 0xD0: Need(p, 4); Integer = BinaryPrimitives.ReadInt32LittleEndian(zl[p..]); dataLen = 4; break;
                    case 0xE0: Need(p, 8); Integer = BinaryPrimitives.ReadInt64LittleEndian(zl[p..]); dataLen = 8; break;
                    case 0xF0:
                        Need(p, 3);
                        Integer = ((zl[p] | (zl[p + 1] << 8) | (zl[p + 2] << 16)) << 8) >> 8;
                        dataLen = 3;
                        break;
                    case 0xFE: Need(p, 1); Integer = (sbyte)zl[p]; dataLen = 1; break;
                    default:
                        if (b < 0xF1 || b > 0xFD) throw Corrupt();
                        Integer = (b & 0x0F) - 1;
                        dataLen = 0;
                        break;
                }
                break;
        }
        _position = p + dataLen;
        _previousSize = _position - start;
        return true;
    }

    public readonly ReadOnlySpan<byte> AsBytes(Span<byte> scratch)
    {
        if (!IsInteger) return String;
        System.Buffers.Text.Utf8Formatter.TryFormat(Integer, scratch, out var written);
        return scratch[..written];
    }

    private void SetString(int start, int len)
    {
        if (len > _zl.Length - start - 1) throw Corrupt();
        IsInteger = false;
        String = _zl.Slice(start, len);
    }

    private readonly void Need(int p, int size)
    {
        if (size > _zl.Length - p - 1) throw Corrupt();
    }

    private static RdbFormatException Corrupt() => new("Ziplist integrity check failed.");
}

/// <summary>
/// Redis's intset bytes (intset.c, RDB_TYPE_SET_INTSET): encoding u32 (2, 4 or 8 bytes per member), length u32,
/// the members sorted ascending, little endian. Written in the smallest encoding holding every member, as Redis's
/// intset upgrades only as far as needed.
/// </summary>
public static class RedisIntsetFormat
{
    /// <summary>The members (ascending, distinct) as intset bytes.</summary>
    public static byte[] Build(ReadOnlySpan<long> sortedMembers)
    {
        var width = 2;
        foreach (var v in sortedMembers)
        {
            if (v < int.MinValue || v > int.MaxValue) { width = 8; break; }
            if (v < short.MinValue || v > short.MaxValue) width = 4;
        }
        var bytes = new byte[8 + width * sortedMembers.Length];
        BinaryPrimitives.WriteUInt32LittleEndian(bytes, (uint)width);
        BinaryPrimitives.WriteUInt32LittleEndian(bytes.AsSpan(4), (uint)sortedMembers.Length);
        var span = bytes.AsSpan(8);
        for (var i = 0; i < sortedMembers.Length; i++)
        {
            switch (width)
            {
                case 2: BinaryPrimitives.WriteInt16LittleEndian(span[(i * 2)..], (short)sortedMembers[i]); break;
                case 4: BinaryPrimitives.WriteInt32LittleEndian(span[(i * 4)..], (int)sortedMembers[i]); break;
                default: BinaryPrimitives.WriteInt64LittleEndian(span[(i * 8)..], sortedMembers[i]); break;
            }
        }
        return bytes;
    }

    /// <summary>intsetValidateIntegrity (deep): a known encoding, the size matching the length, members strictly
    /// ascending. The members come back in order.</summary>
    public static long[] Read(ReadOnlySpan<byte> bytes)
    {
        if (bytes.Length < 8) throw Corrupt();
        var width = BinaryPrimitives.ReadUInt32LittleEndian(bytes);
        if (width != 2 && width != 4 && width != 8) throw Corrupt();
        var count = BinaryPrimitives.ReadUInt32LittleEndian(bytes[4..]);
        if ((ulong)count * width + 8 != (ulong)bytes.Length) throw Corrupt();
        if (count == 0) throw Corrupt(); // an empty intset is never saved (rdbLoadObject rejects empty keys)
        var members = new long[count];
        var span = bytes[8..];
        for (var i = 0; i < members.Length; i++)
        {
            members[i] = width switch
            {
                2 => BinaryPrimitives.ReadInt16LittleEndian(span[(i * 2)..]),
                4 => BinaryPrimitives.ReadInt32LittleEndian(span[(i * 4)..]),
                _ => BinaryPrimitives.ReadInt64LittleEndian(span[(i * 8)..]),
            };
            if (i > 0 && members[i] <= members[i - 1]) throw Corrupt();
        }
        return members;
    }

    private static RdbFormatException Corrupt() => new("Intset integrity check failed.");
}
