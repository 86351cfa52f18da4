using System.Globalization;
using System.Runtime.CompilerServices;
using System.Text;
using AkkaRedis.Actors.Server;
using AkkaRedis.Actors.Storage;
using AkkaRedis.Net.Resp;

namespace AkkaRedis.Actors.Commands;

/// <summary>
/// The line of DEBUG OBJECT, with the fields Redis 7.0 prints per encoding (debug.c): "Value at:%p refcount:%d
/// encoding:%s serializedlength:%zu lru:%d lru_seconds_idle:%llu", plus the ql_* fields for quicklists.
/// What cannot be the same as in Redis: the address (an identity hash here); serializedlength, computed as the RDB
/// file would store the value without LZF compression (Redis compresses strings and listpacks over 20 bytes when that
/// saves space, so it prints less for compressible values); and the quicklist shape (nodes, sizes), computed as if the
/// list had been built by RPUSH in order, since lists are not stored as quicklists here.
/// </summary>
public static class DebugObject
{
    /// <summary>OBJ_SHARED_REFCOUNT: the refcount Redis prints for its shared integer objects.</summary>
    private const int SharedRefCount = int.MaxValue;
    /// <summary>OBJ_SHARED_INTEGERS: values 0..9999 are shared objects in Redis.</summary>
    private const long SharedIntegers = 10000;
    /// <summary>LRU_CLOCK_MAX: the object's 24-bit LRU clock in seconds.</summary>
    private const long LruClockMax = (1 << 24) - 1;

    public static string Line(KeyEntry obj, ServerConfig config, long now)
    {
        var lru = StoredValues.Lru(obj);
        var clock = LruClock(now);
        // estimateObjectIdleTime: the clock may have wrapped around since the object was touched.
        var idle = clock >= lru ? clock - lru : LruClockMax - lru + clock;
        var sb = new StringBuilder(160);
        sb.Append(CultureInfo.InvariantCulture,
            $"Value at:0x{Address(obj):x} refcount:{RefCount(obj, config)} encoding:{RedisObject.EncodingName(obj.Encoding)} ");
        sb.Append(CultureInfo.InvariantCulture, $"serializedlength:{SerializedLength(obj, config)} lru:{lru} lru_seconds_idle:{idle}");
        if (obj.Encoding == ObjectEncoding.QuickList)
        {
            var fill = ListFill(config);
            var shape = QuicklistShape(obj, fill);
            var average = (double)StoredValues.ListLength(obj) / shape.Nodes;
            sb.Append(CultureInfo.InvariantCulture,
                $" ql_nodes:{shape.Nodes} ql_avg_node:{average.ToString("F2", CultureInfo.InvariantCulture)} ql_listpack_max:{fill}");
            sb.Append(CultureInfo.InvariantCulture,
                $" ql_compressed:{(IntConfig(config, "list-compress-depth") != 0 ? 1 : 0)} ql_uncompressed_size:{shape.Bytes}");
        }
        return sb.ToString();
    }

    private static long LruClock(long unixMs) => (unixMs / 1000) & LruClockMax;

    /// <summary>Stands in for the object's address (values have no stable one here): a hash of the key.</summary>
    private static uint Address(KeyEntry obj)
    {
        var hash = new HashCode();
        hash.AddBytes(obj.Key);
        return (uint)hash.ToHashCode();
    }

    /// <summary>Small integers are Redis's shared objects (tryObjectEncoding), unless maxmemory evicts by LRU/LFU,
    /// which needs an object per key.</summary>
    private static int RefCount(KeyEntry obj, ServerConfig config)
    {
        if (obj.Encoding != ObjectEncoding.Int) return 1;
        if (config.MaxMemory != 0 && (config.MaxMemoryPolicy.Contains("lru") || config.MaxMemoryPolicy.Contains("lfu"))) return 1;
        Span<byte> scratch = stackalloc byte[24];
        return RedisNumbers.TryParseLong(StoredValues.String(obj, scratch), out var v) && v >= 0 && v < SharedIntegers ? SharedRefCount : 1;
    }

    private static int ListFill(ServerConfig config) => (int)IntConfig(config, "list-max-listpack-size");

    private static long IntConfig(ServerConfig config, string name) =>
        long.TryParse(config.Find(name)?.Get(), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var v) ? v : 0;

    // rdbSavedObjectLen

    /// <summary>rdbSaveLen: 1, 2, 5 or 9 bytes.</summary>
    internal static long LenSize(long len) => len < 1 << 6 ? 1 : len < 1 << 14 ? 2 : len <= uint.MaxValue ? 5 : 9;

    /// <summary>rdbEncodeInteger: an integer that fits 8, 16 or 32 bits is stored as 1 type byte and the value.</summary>
    private static long IntegerSize(long v) =>
        v >= sbyte.MinValue && v <= sbyte.MaxValue ? 2 : v >= short.MinValue && v <= short.MaxValue ? 3 : v >= int.MinValue && v <= int.MaxValue ? 5 : 0;

    /// <summary>rdbSaveRawString without LZF: strings of up to 11 bytes that are canonical integers are stored as
    /// integers, everything else as length and bytes.</summary>
    internal static long RawStringSize(ReadOnlySpan<byte> s)
    {
        if (s.Length <= 11 && RedisNumbers.TryParseLong(s, out var v))
        {
            var size = IntegerSize(v);
            if (size != 0) return size;
        }
        return LenSize(s.Length) + s.Length;
    }

    private static long SerializedLength(KeyEntry obj, ServerConfig config)
    {
        switch (obj.Type)
        {
            case RedisType.String:
            {
                Span<byte> scratch = stackalloc byte[24];
                return RawStringSize(StoredValues.String(obj, scratch));
            }
            case RedisType.List:
            {
                // A quicklist: the node count, then per node its container type (1 byte) and its listpack as a string.
                var shape = QuicklistShape(obj, ListFill(config));
                return LenSize(shape.Nodes) + shape.Nodes + shape.LengthPrefixes + shape.Bytes;
            }
            case RedisType.Hash:
                return HashSerializedLength(obj.Value);
            case RedisType.ZSet when obj.Value is byte[] lp:
                // RDB_TYPE_ZSET_LISTPACK: the listpack blob as a string.
                return LenSize(ListpackBytes(lp)) + ListpackBytes(lp);
            case RedisType.ZSet:
            {
                // RDB_TYPE_ZSET_2: the length, then each member as a string and its score as an 8-byte double.
                var set = (RedisSortedSet)obj.Value;
                var size = LenSize(set.Count);
                for (var n = set.First; n != null; n = n.Next) size += RawStringSize(n.Member) + 8;
                return size;
            }
            case RedisType.Set:
            {
                // An intset is saved as one string (its blob); a hashtable as the count and each member as a string.
                var set = StoredValues.Set(obj);
                if (set.IsIntSet)
                {
                    var blob = IntSet.BlobLength((byte[])set.Value);
                    return LenSize(blob) + blob;
                }
                long size = LenSize(set.Count);
                Span<byte> scratch = stackalloc byte[24];
                foreach (var member in set) size += RawStringSize(member.Span(scratch));
                return size;
            }
            case RedisType.Stream:
                return StreamIntrospection.SerializedLength(obj.As<RedisStream>());
            default:
                return 0;
        }
    }

    /// <summary>rdbSaveObject for a hash: a listpack is saved as one string of its bytes (RDB_TYPE_HASH_LISTPACK);
    /// a table as its length, then each field and value as a string.</summary>
    private static long HashSerializedLength(object hash)
    {
        if (hash is byte[] lp)
        {
            var bytes = ListpackBytes(lp);
            return LenSize(bytes) + bytes;
        }
        long size = LenSize(RedisHash.Length(hash));
        foreach (var pair in RedisHash.Pairs(hash)) size += RawStringSize(pair.Field) + RawStringSize(pair.Value);
        return size;
    }

    /// <summary>lpBytes of the listpack Redis would hold for these entries: 6 header bytes, each entry as
    /// lpInsert encodes it, and the end byte.</summary>
    internal static long ListpackBytes(byte[] lp)
    {
        long bytes = EmptyListpack;
        foreach (var entry in Listpack.Entries(lp)) bytes += ListpackEntrySize(entry);
        return bytes;
    }

    // The quicklist a list would be in Redis 7.0 (quicklist.c), built by RPUSH: how many listpack nodes and bytes.

    /// <summary>An empty listpack: 6 header bytes and the end byte.</summary>
    private const long EmptyListpack = 7;
    /// <summary>SIZE_SAFETY_LIMIT: no node grows past 8 KB whatever the fill.</summary>
    private const long SizeSafetyLimit = 8192;
    private static readonly long[] OptimizationLevel = [4096, 8192, 16384, 32768, 65536];

    private readonly record struct Shape(long Nodes, long Bytes, long LengthPrefixes);

    /// <summary>Fills nodes the way _quicklistNodeAllowInsert decides: how many nodes, their listpack bytes, and the
    /// bytes of their RDB length prefixes.</summary>
    private static Shape QuicklistShape(KeyEntry obj, int fill)
    {
        long nodes = 0, bytes = 0, prefixes = 0, count = 0, size = 0;
        var length = StoredValues.ListLength(obj);
        for (var i = 0; i <= length; i++)
        {
            var last = i == length;
            var element = last ? default : StoredValues.ListElement(obj, i);
            if (count > 0 && (last || !AllowInsert(size, count, fill, element.Length)))
            {
                nodes++;
                bytes += size;
                prefixes += LenSize(size);
                count = 0;
            }
            if (last) break;
            if (count == 0) size = EmptyListpack;
            size += ListpackEntrySize(element);
            count++;
        }
        return new Shape(Math.Max(nodes, 1), bytes, prefixes);
    }

    private static bool AllowInsert(long nodeSize, long nodeCount, int fill, long sz)
    {
        // The estimate Redis makes before encoding: previous-entry and length overheads of the ziplist era.
        var overhead = (sz < 254 ? 1 : 5) + (sz < 64 ? 1 : sz < 16384 ? 2 : 5);
        var newSize = nodeSize + sz + overhead;
        if (fill < 0)
        {
            var level = -fill - 1;
            if (level < OptimizationLevel.Length && newSize <= OptimizationLevel[level]) return true;
        }
        if (newSize > SizeSafetyLimit) return false;
        return nodeCount < fill;
    }

    /// <summary>lpInsert's entry size: the encoding (an integer in 1-9 bytes, or a string length header of 1, 2 or 5
    /// bytes, then the bytes) followed by its back-length (1-5 bytes).</summary>
    internal static long ListpackEntrySize(ReadOnlySpan<byte> element)
    {
        long encoded;
        if (element.Length <= 20 && RedisNumbers.TryParseLong(element, out var v))
        {
            encoded = v is >= 0 and <= 127 ? 1
                : v is >= -4096 and <= 4095 ? 2
                : v is >= short.MinValue and <= short.MaxValue ? 3
                : v is >= -8388608 and <= 8388607 ? 4
                : v is >= int.MinValue and <= int.MaxValue ? 5 : 9;
        }
        else encoded = (element.Length < 64 ? 1 : element.Length < 4096 ? 2 : 5) + element.Length;
        var backlen = encoded <= 127 ? 1 : encoded < 16383 ? 2 : encoded < 2097151 ? 3 : encoded < 268435455 ? 4 : 5;
        return encoded + backlen;
    }
}
