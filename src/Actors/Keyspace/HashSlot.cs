namespace AkkaRedis.Actors.Keyspace;

/// <summary>Redis Cluster's key slot: CRC16 (XMODEM) of the key, or of its first non-empty {hash tag}, mod 16384.</summary>
public static class HashSlot
{
    public const int SlotCount = 16384;
    private static readonly ushort[] Table = BuildTable();
    /// <summary>Two bytes per step: <c>Pair[x] = T[x] &lt;&lt; 8 ^ T[T[x] &gt;&gt; 8]</c> (16 bits), so that, the table being
    /// linear, <c>crc(h, l; b0, b1) = Pair[h ^ b0] ^ T[l ^ b1]</c>: two independent look-ups instead of two chained
    /// ones. Every command's key goes through this once or more (routing, a held view's look-ups).</summary>
    private static readonly ushort[] Pair = BuildPairTable();

    private static ushort[] BuildTable()
    {
        var table = new ushort[256];
        for (var i = 0; i < 256; i++)
        {
            var crc = (ushort)(i << 8);
            for (var bit = 0; bit < 8; bit++)
                crc = (crc & 0x8000) != 0 ? (ushort)((crc << 1) ^ 0x1021) : (ushort)(crc << 1);
            table[i] = crc;
        }
        return table;
    }

    private static ushort[] BuildPairTable()
    {
        var pair = new ushort[256];
        for (var i = 0; i < 256; i++) pair[i] = (ushort)(((Table[i] & 0xFF) << 8) ^ Table[Table[i] >> 8]);
        return pair;
    }

    /// <summary>CRC16/XMODEM (Redis's crc16.c): <c>Crc16("123456789") == 0x31C3</c>.</summary>
    public static ushort Crc16(ReadOnlySpan<byte> data)
    {
        var t = Table;
        var pair = Pair;
        var crc = 0;
        var i = 0;
        for (; i + 1 < data.Length; i += 2)
            crc = pair[(crc >> 8) ^ data[i]] ^ t[(crc & 0xFF) ^ data[i + 1]];
        if (i < data.Length) crc = ((crc << 8) & 0xFFFF) ^ t[(crc >> 8) ^ data[i]];
        return (ushort)crc;
    }

    public static int Of(ReadOnlySpan<byte> key)
    {
        var open = key.IndexOf((byte)'{');
        if (open >= 0)
        {
            var close = key[(open + 1)..].IndexOf((byte)'}');
            if (close > 0) key = key.Slice(open + 1, close);
        }
        return Crc16(key) & (SlotCount - 1);
    }

    /// <summary>Shards own contiguous slot ranges, as cluster nodes will.</summary>
    public static int ShardOf(ReadOnlySpan<byte> key, int shardCount) => shardCount == 1 ? 0 : Of(key) * shardCount / SlotCount;
}
