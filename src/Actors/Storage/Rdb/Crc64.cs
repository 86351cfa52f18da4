using System.Buffers.Binary;

namespace AkkaRedis.Actors.Storage.Rdb;

/// <summary>
/// Redis's CRC-64 (crc64.c, "crc64_jones"): the Jones polynomial 0xad93d23594c935a9, reflected input and output,
/// no final xor; <c>Compute(0, "123456789") == 0xe9c6d914c4b8d9ca</c>. Used for the RDB file trailer and the DUMP
/// payload footer; chained like Redis's <c>crc64(crc, buf, len)</c>. Slicing-by-8 tables, as crcspeed does, so a
/// 100 MB snapshot costs well under a second.
/// </summary>
public static class Crc64
{
    /// <summary>The Jones polynomial bit-reversed (the reflected form the table-driven update uses).</summary>
    private const ulong ReflectedPoly = 0x95ac9329ac4bc9b5UL;

    private static readonly ulong[] Table = BuildTable();

    private static ulong[] BuildTable()
    {
        var table = new ulong[8 * 256];
        for (var n = 0; n < 256; n++)
        {
            var crc = (ulong)n;
            for (var k = 0; k < 8; k++) crc = (crc & 1) != 0 ? (crc >> 1) ^ ReflectedPoly : crc >> 1;
            table[n] = crc;
        }
        for (var n = 0; n < 256; n++)
        {
            var crc = table[n];
            for (var k = 1; k < 8; k++)
            {
                crc = table[crc & 0xff] ^ (crc >> 8);
                table[k * 256 + n] = crc;
            }
        }
        return table;
    }

    /// <summary>The CRC of <paramref name="data"/> continuing from <paramref name="crc"/> (0 to start).</summary>
    public static ulong Compute(ulong crc, ReadOnlySpan<byte> data)
    {
        var t = Table;
        var i = 0;
        for (; i + 8 <= data.Length; i += 8)
        {
            crc ^= BinaryPrimitives.ReadUInt64LittleEndian(data.Slice(i, 8));
            crc = t[7 * 256 + (int)(crc & 0xff)] ^
                  t[6 * 256 + (int)((crc >> 8) & 0xff)] ^
                  t[5 * 256 + (int)((crc >> 16) & 0xff)] ^
                  t[4 * 256 + (int)((crc >> 24) & 0xff)] ^
                  t[3 * 256 + (int)((crc >> 32) & 0xff)] ^
                  t[2 * 256 + (int)((crc >> 40) & 0xff)] ^
                  t[1 * 256 + (int)((crc >> 48) & 0xff)] ^
                  t[(int)(crc >> 56)];
        }
        for (; i < data.Length; i++) crc = t[(int)((crc ^ data[i]) & 0xff)] ^ (crc >> 8);
        return crc;
    }
}
