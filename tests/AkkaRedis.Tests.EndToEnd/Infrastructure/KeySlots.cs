using System.Text;

namespace AkkaRedis.Tests.EndToEnd.Infrastructure;

/// <summary>
/// Redis Cluster's key slot (CRC16/XMODEM of the key or its first non-empty {hash tag}, mod 16384), written here
/// independently of the server's, to pick keys that land on chosen shards of a server run with `--shards N`
/// (AkkaRedis gives shard i the slots [i*16384/N, (i+1)*16384/N)).
/// </summary>
public static class KeySlots
{
    public static int Slot(string key)
    {
        var bytes = Encoding.UTF8.GetBytes(key);
        var span = bytes.AsSpan();
        var open = span.IndexOf((byte)'{');
        if (open >= 0)
        {
            var close = span[(open + 1)..].IndexOf((byte)'}');
            if (close > 0) span = span.Slice(open + 1, close);
        }
        return Crc16(span) & 16383;
    }

    public static int Shard(string key, int shards) => Slot(key) * shards / 16384;

    public static ushort Crc16(ReadOnlySpan<byte> data)
    {
        ushort crc = 0;
        foreach (var b in data)
        {
            crc ^= (ushort)(b << 8);
            for (var i = 0; i < 8; i++)
                crc = (crc & 0x8000) != 0 ? (ushort)((crc << 1) ^ 0x1021) : (ushort)(crc << 1);
        }
        return crc;
    }

    /// <summary><paramref name="perShard"/> keys "prefix0", "prefix1"... for each of <paramref name="shards"/> shards, grouped by shard.</summary>
    public static List<string>[] KeysPerShard(string prefix, int shards, int perShard)
    {
        var result = new List<string>[shards];
        for (var s = 0; s < shards; s++) result[s] = [];
        for (var i = 0; result.Any(l => l.Count < perShard); i++)
        {
            var key = prefix + i;
            var list = result[Shard(key, shards)];
            if (list.Count < perShard) list.Add(key);
        }
        return result;
    }
}
