using System.Globalization;
using System.Runtime.CompilerServices;
using System.Text;
using AkkaRedis.Actors.Server;
using AkkaRedis.Actors.Storage;
using AkkaRedis.Actors.Storage.Rdb;
using AkkaRedis.Net.Resp;

namespace AkkaRedis.Actors.Commands;

/// <summary>
/// The line of DEBUG OBJECT, with the fields Redis 7.0 prints per encoding (debug.c): "Value at:%p refcount:%d
/// encoding:%s serializedlength:%zu lru:%d lru_seconds_idle:%llu", plus the ql_* fields for quicklists.
/// serializedlength is rdbSavedObjectLen: the value's bytes as the RDB codec writes them (LZF included, as
/// rdbcompression says). What cannot be the same as in Redis: the address (an identity hash here); and the quicklist
/// shape (nodes, sizes), computed as if the list had been built by RPUSH under the current list-max-listpack-size,
/// since lists are not stored as quicklists here.
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

    private static int ListFill(ServerConfig config) => config.ListFill();

    private static long IntConfig(ServerConfig config, string name) =>
        long.TryParse(config.Find(name)?.Get(), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var v) ? v : 0;

    // rdbSavedObjectLen

    /// <summary>rdbSaveLen: 1, 2, 5 or 9 bytes.</summary>
    internal static long LenSize(long len) => len < 1 << 6 ? 1 : len < 1 << 14 ? 2 : len <= uint.MaxValue ? 5 : 9;

    /// <summary>rdbEncodeInteger: an integer that fits 8, 16 or 32 bits is stored as 1 type byte and the value.</summary>
    private static long IntegerSize(long v) =>
        v >= sbyte.MinValue && v <= sbyte.MaxValue ? 2 : v >= short.MinValue && v <= short.MaxValue ? 3 : v >= int.MinValue && v <= int.MaxValue ? 5 : 0;

    /// <summary>rdbSaveRawString without LZF: strings of up to 11 bytes that are canonical integers are stored as
    /// integers, everything else as length and bytes (the stream estimate's string sizes).</summary>
    internal static long RawStringSize(ReadOnlySpan<byte> s)
    {
        if (s.Length <= 11 && RedisNumbers.TryParseLong(s, out var v))
        {
            var size = IntegerSize(v);
            if (size != 0) return size;
        }
        return LenSize(s.Length) + s.Length;
    }

    [ThreadStatic] private static RdbWriter? _writer;

    /// <summary>rdbSavedObjectLen: the value as rdbSaveObject writes it (the type byte left out).</summary>
    private static long SerializedLength(KeyEntry obj, ServerConfig config)
    {
        var w = _writer ??= new RdbWriter(1024);
        w.Clear();
        RdbValues.WriteValue(w, obj, config.RdbCompression(), config.ListFill());
        var length = w.Length - 1;
        if (w.Length > 1 << 20) _writer = null;
        return length;
    }

    // The quicklist a list would be in Redis 7.0 (quicklist.c), built by RPUSH: how many nodes and bytes.

    private readonly record struct Shape(long Nodes, long Bytes);

    /// <summary>The nodes the RDB codec cuts the list into (RdbValues.ForEachNode) and their listpack bytes.</summary>
    private static Shape QuicklistShape(KeyEntry obj, int fill)
    {
        var list = obj.As<RedisList>();
        long nodes = 0, bytes = 0;
        RdbValues.ForEachNode(list, fill, (start, count, plain) =>
        {
            nodes++;
            if (plain)
            {
                bytes += list[start].Length;
                return;
            }
            bytes += 7; // an empty listpack: header and terminator
            for (var i = start; i < start + count; i++) bytes += RdbValues.ListpackEntrySize(list[i]);
        });
        return new Shape(Math.Max(nodes, 1), bytes);
    }
}
