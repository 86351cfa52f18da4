using AkkaRedis.Actors.Storage;

namespace AkkaRedis.Actors.Commands;

/// <summary>
/// What DEBUG DIGEST-VALUE, MEMORY USAGE and DEBUG OBJECT compute for a stream, in one place (the shared files
/// DebugDigest, MemoryEstimate and DebugObject call these): Redis 7.0's debug.c, object.c objectComputeSize and
/// rdb.c rdbSaveObject for OBJ_STREAM. The consumer groups' part of each is in the two hooks at the end.
/// </summary>
public static class StreamIntrospection
{
    /// <summary>xorObjectDigest's stream case: for every entry, its ID as "ms.seq" (note the dot), then each field
    /// and value, all mixed in order. The consumer groups are not part of the digest.</summary>
    public static void MixDigest(Span<byte> digest, RedisStream s)
    {
        Span<byte> id = stackalloc byte[StreamId.MaxFormattedLength];
        foreach (var e in s.GetRange(StreamId.Min, StreamId.Max))
        {
            var n = FormatDotted(e.Id, id);
            DebugDigest.Mix(digest, id[..n]);
            foreach (var f in e)
            {
                DebugDigest.Mix(digest, f.Name);
                DebugDigest.Mix(digest, f.Value);
            }
        }
    }

    private static int FormatDotted(StreamId id, Span<byte> buffer)
    {
        var n = id.Format(buffer);
        buffer[buffer[..n].IndexOf((byte)'-')] = (byte)'.';
        return n;
    }

    /// <summary>sizeof(robj) + sizeof(stream) (rax pointer, length, last/first/max-deleted IDs, entries_added, cgroups).</summary>
    private const long StreamStructs = 16 + 80;

    /// <summary>
    /// objectComputeSize's stream case: the structs, streamRadixTreeMemoryUsage of the node rax, and the listpacks'
    /// allocations: all of them when there are at most <paramref name="samples"/> nodes, else the first
    /// <paramref name="samples"/> ones' average (integer division) times the nodes but the last, plus the last one's
    /// own (the tail node keeps Redis's 4 KB up-front allocation until it is full), then the groups.
    /// </summary>
    public static long MemoryUsage(RedisStream s, long samples)
    {
        var size = StreamStructs + RaxShape.MemoryUsage(s.RadixTreeKeys, s.RadixTreeNodes);
        long lpSize = 0, sampled = 0, last = 0, nodes = 0;
        foreach (var (bytes, prealloc) in s.Nodes())
        {
            var allocated = MemoryEstimate.JemallocSize(Math.Max(bytes, prealloc));
            if (sampled < samples)
            {
                lpSize += allocated;
                sampled++;
            }
            last = allocated;
            nodes++;
        }
        if (nodes <= sampled) size += lpSize;
        else size += lpSize / sampled * (nodes - 1) + last;
        return size + GroupsMemoryUsage(s.Groups);
    }


    /// <summary>
    /// rdbSaveObject's stream case (RDB_TYPE_STREAM_LISTPACKS_2), without LZF compression (see DebugObject): the node
    /// count, each node's 16-byte master ID and listpack as strings, the length, last_id, first_id,
    /// max_deleted_entry_id and entries_added as lengths, then the groups.
    /// </summary>
    public static long SerializedLength(RedisStream s)
    {
        var size = DebugObject.LenSize(s.RadixTreeKeys);
        foreach (var (bytes, _) in s.Nodes()) size += DebugObject.LenSize(16) + 16 + DebugObject.LenSize(bytes) + bytes;
        size += DebugObject.LenSize(s.Length);
        size += IdSize(s.LastId) + IdSize(s.FirstId) + IdSize(s.MaxDeletedId);
        size += ULenSize(s.EntriesAdded);
        return size + GroupsSerializedLength(s.Groups);
    }

    private static long IdSize(StreamId id) => ULenSize(id.Ms) + ULenSize(id.Seq);

    private static long ULenSize(ulong v) => v > long.MaxValue ? 9 : DebugObject.LenSize((long)v);

    // ---- the consumer groups' part (hooks for Storage/StreamGroups.cs) ----

    /// <summary>
    /// Hook: objectComputeSize's consumer-group part. Redis adds, per group, sizeof(streamCG),
    /// streamRadixTreeMemoryUsage of its PEL and sizeof(streamNACK) per pending entry, and per consumer
    /// sizeof(streamConsumer), the name's sdslen and streamRadixTreeMemoryUsage of its PEL (the cgroups rax
    /// itself is not counted): <see cref="StreamGroups.MemoryUsage"/>.
    /// </summary>
    private static long GroupsMemoryUsage(StreamGroups? groups) => groups?.MemoryUsage() ?? 0;

    /// <summary>
    /// Hook: rdbSaveObject's consumer-group part: the group count, then per group its name, last_id (ms, seq) and
    /// entries_read as lengths, the PEL (count, then per entry the 16-byte raw ID, the 8-byte delivery time and the
    /// delivery count as a length) and the consumers (count, then per consumer its name, the 8-byte seen time and its
    /// PEL as a count and 16-byte IDs). Names are counted uncompressed, as the rest (see DebugObject).
    /// </summary>
    public static long GroupsSerializedLength(StreamGroups? groups)
    {
        if (groups == null) return DebugObject.LenSize(0);
        var size = DebugObject.LenSize(groups.Count);
        for (var i = 0; i < groups.Count; i++)
        {
            var g = groups[i];
            // entries_read is saved as an unsigned length: the unknown -1 takes 9 bytes.
            size += DebugObject.RawStringSize(g.Name) + IdSize(g.LastId) + ULenSize((ulong)g.EntriesRead);
            size += DebugObject.LenSize(g.Pending.Count);
            foreach (var nack in g.Pending) size += 16 + 8 + ULenSize((ulong)nack.DeliveryCount);
            size += DebugObject.LenSize(g.ConsumerCount);
            for (var j = 0; j < g.ConsumerCount; j++)
            {
                var consumer = g.Consumer(j);
                size += DebugObject.RawStringSize(consumer.Name) + 8 + DebugObject.LenSize(consumer.Pending.Count) + 16L * consumer.Pending.Count;
            }
        }
        return size;
    }
}
