using AkkaRedis.Actors.Storage;
using AkkaRedis.Net.Resp;

namespace AkkaRedis.Actors.Commands;

/// <summary>
/// MEMORY USAGE / STATS sizes, in Redis's terms: what a key would cost in redis-server (jemalloc size classes of its
/// robj, sds strings and dict entry), not what the .NET objects cost.
/// </summary>
public static class MemoryEstimate
{
    /// <summary>MEMORY USAGE key [SAMPLES n] (Redis's memoryCommand "usage").</summary>
    public static void Usage(ExecContext c)
    {
        long samples = 5; // Redis's OBJ_COMPUTE_SIZE_DEF_SAMPLES
        for (var j = 3; j < c.Argc; j++)
        {
            if (c.ArgIs(j, "samples") && j + 1 < c.Argc)
            {
                if (!RedisNumbers.TryParseLong(c.Args[j + 1], out samples))
                {
                    c.Reply.Error(Errors.NotInteger);
                    return;
                }
                if (samples < 0)
                {
                    c.Reply.Error(Errors.Syntax);
                    return;
                }
                j++;
            }
            else
            {
                c.Reply.Error(Errors.Syntax);
                return;
            }
        }
        var obj = c.Db(c.Args[2]).Find(c.Args[2], c.Now);
        if (!obj.Exists)
        {
            c.Reply.NullBulk();
            return;
        }
        c.Reply.Integer(KeyUsage(obj, samples == 0 ? long.MaxValue : samples));
    }

    private const int RobjSize = 16;
    public const int DictEntrySize = 24;

    /// <summary>jemalloc's size class for an allocation of <paramref name="size"/> bytes (x86_64 defaults).</summary>
    public static long JemallocSize(long size) => Jemalloc.SizeClass(size);

    /// <summary>An sds string's allocation: header by length (sdsReqType) + bytes + NUL.</summary>
    public static long SdsSize(long length, bool allowType5 = true)
    {
        int header = length < 32 && allowType5 ? 1 : length < 256 ? 3 : length < 65536 ? 5 : length < 1L << 32 ? 9 : 17;
        return JemallocSize(header + length + 1);
    }

    /// <summary>MEMORY USAGE: the value, the key's sds and its dict entry.</summary>
    public static long KeyUsage(KeyEntry obj, long samples = 5) =>
        ValueSize(obj, samples) + SdsSize(obj.Key.Length, allowType5: obj.Key.Length > 0) + DictEntrySize;

    private static long ValueSize(KeyEntry obj, long samples)
    {
        if (obj.Type == RedisType.Hash) return HashSize(obj.Value, samples);
        if (obj.Type == RedisType.ZSet) return ZSetSize(obj.Value, samples);
        if (obj.Type == RedisType.Set) return SetSize(StoredValues.Set(obj), samples);
        if (obj.Type == RedisType.Stream) return StreamIntrospection.MemoryUsage(obj.As<RedisStream>(), samples);
        if (obj.Type != RedisType.String)
            return obj.Value is RedisList list ? QuicklistSize(list, samples) : RobjSize; // Other types are estimated by their own families when they exist.
        return obj.Encoding switch
        {
            ObjectEncoding.Int => RobjSize,
            ObjectEncoding.EmbStr => JemallocSize(RobjSize + 3 + obj.StringLength + 1),
            _ => SdsSize(obj.StringCapacity, allowType5: false) + RobjSize, // with the room a growth left, as sdsAllocSize
        };
    }

    /// <summary>sizeof(zset) + sizeof(zskiplist) + sizeof(dict) (Redis 7.0, x86_64).</summary>
    private const int ZSetStructs = 16 + 32 + 56;
    /// <summary>zmalloc_size of the skip list's header node: 24 bytes and ZSKIPLIST_MAXLEVEL (32) levels of 16.</summary>
    private static readonly long ZslHeaderSize = JemallocSize(24 + 32 * 16);

    /// <summary>objectComputeSize for a zset: a listpack is the robj and its allocation; a skip list adds the
    /// structs, the dict's bucket array, and the average of the first <paramref name="samples"/> nodes (member sds,
    /// dict entry, node with its levels) times the size.</summary>
    private static long ZSetSize(object value, long samples)
    {
        if (value is byte[] lp) return RobjSize + JemallocSize(Storage.Rdb.RdbValues.RedisListpackBytes(lp));
        var set = (RedisSortedSet)value;
        long size = RobjSize + ZSetStructs + 8L * DictSlots(set.Count) + ZslHeaderSize;
        long sampled = 0, bytes = 0;
        for (var n = set.First; n != null && sampled < samples; n = n.Next, sampled++)
            bytes += SdsSize(n.Member.Length, allowType5: n.Member.Length > 0) + DictEntrySize + JemallocSize(24 + 16L * n.LevelCount);
        return sampled == 0 ? size : size + (long)((double)bytes / sampled * set.Count);
    }

    /// <summary>A Redis dict's bucket count for <paramref name="count"/> entries added one by one: it grows to the
    /// next power of two when full (at least 4).</summary>
    private static long DictSlots(long count)
    {
        long slots = 4;
        while (slots < count) slots <<= 1;
        return slots;
    }

    private const int QuicklistSize_ = 40;
    private const int QuicklistNodeSize = 40;
    /// <summary>list-max-listpack-size -2: a node's listpack holds at most 8 KB.</summary>
    private const int ListpackNodeLimit = 8192;

    /// <summary>
    /// Redis 7.0's estimate for a quicklist: robj + quicklist, plus the average size of the first
    /// <paramref name="samples"/> nodes (node + its listpack's allocation) times the number of nodes. The nodes are
    /// modelled as packed from the head, 8 KB each, which is how RPUSH builds them.
    /// </summary>
    private static long QuicklistSize(RedisList list, long samples)
    {
        long nodes = 0, sampled = 0, sampledBytes = 0;
        long lpBytes = 0;
        for (var i = 0; i < list.Count; i++)
        {
            var entry = Storage.Rdb.RdbValues.ListpackEntrySize(list[i]);
            // _quicklistNodeAllowInsert: the raw length plus an 8-byte overestimate must fit in the node.
            if (lpBytes > 0 && lpBytes + list[i].Length + 8 > ListpackNodeLimit)
            {
                if (sampled < samples) { sampledBytes += QuicklistNodeSize + JemallocSize(lpBytes); sampled++; }
                nodes++;
                lpBytes = 0;
            }
            if (lpBytes == 0) lpBytes = 7; // listpack header (6) and end byte (1)
            lpBytes += entry;
        }
        if (lpBytes > 0)
        {
            if (sampled < samples) { sampledBytes += QuicklistNodeSize + JemallocSize(lpBytes); sampled++; }
            nodes++;
        }
        var size = RobjSize + QuicklistSize_;
        return sampled == 0 ? size : size + (long)((double)sampledBytes / sampled * nodes);
    }

    /// <summary>sizeof(dict) in Redis 7.0 (type, two tables, two used counts, rehashidx, pauserehash, two size exponents).</summary>
    private const int DictSize = 56;

    /// <summary>
    /// objectComputeSize for a hash: a listpack is the robj and its allocation; a table is the robj, the dict and
    /// its bucket array (the table grows and shrinks at Redis's dict sizes; a dict in the middle of an incremental
    /// rehash, which also counts its second array, is not modelled), plus the average of the first
    /// <paramref name="samples"/> entries in bucket order (dictEntry and the two sds strings, which hashTypeSet makes with sdsdup:
    /// type 5 headers for short ones) times the field count.
    /// </summary>
    private static long HashSize(object hash, long samples)
    {
        if (hash is byte[] lp) return RobjSize + JemallocSize(Storage.Rdb.RdbValues.RedisListpackBytes(lp));
        var table = (MemberTable<byte[]>)hash;
        long size = RobjSize + DictSize + 8L * table.BucketCount;
        // Sampled in bucket order, as Redis's dict iterator meets entries (by hash, not by insertion).
        var entries = new List<(byte[] Member, byte[] Value)>();
        var cursor = 0UL;
        do cursor = table.ScanStep(cursor, entries);
        while (cursor != 0 && entries.Count < samples);
        long sampled = 0, sampledBytes = 0;
        foreach (var (field, value) in entries)
        {
            if (sampled >= samples) break;
            sampledBytes += SdsSize(field.Length, allowType5: field.Length > 0) +
                            SdsSize(value.Length, allowType5: value.Length > 0) + DictEntrySize;
            sampled++;
        }
        return sampled == 0 ? size : size + (long)((double)sampledBytes / sampled * table.Count);
    }

    /// <summary>
    /// objectComputeSize for a set: an intset is the robj and its allocation; a hashtable is the robj, the dict and its
    /// bucket array (the size Redis's dict would have), plus the average of the first <paramref name="samples"/>
    /// members' dictEntry and sds times the member count.
    /// </summary>
    private static long SetSize(SetValue set, long samples)
    {
        if (set.IsIntSet) return RobjSize + JemallocSize(IntSet.BlobLength((byte[])set.Value));
        var count = set.Count;
        var slots = set.Value is RedisSet big ? big.RedisSlots : RedisSet.DictSlotsFor(count);
        long size = RobjSize + DictSize + 8 * slots, sampled = 0, sampledBytes = 0;
        foreach (var member in set)
        {
            if (sampled >= samples) break;
            sampledBytes += DictEntrySize + SdsSize(member.Bytes.Length);
            sampled++;
        }
        return sampled == 0 ? size : size + (long)((double)sampledBytes / sampled * count);
    }
}
