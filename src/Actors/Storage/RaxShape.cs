namespace AkkaRedis.Actors.Storage;

/// <summary>
/// The size of the rax (rax.c) Redis keeps stream IDs in, as 16-byte big-endian keys: the stream's node index and
/// each consumer group's and consumer's PEL. MEMORY USAGE and XINFO STREAM's radix-tree-nodes report it, so it is
/// computed from the IDs for the compact shape raxInsert builds and raxRemove restores by recompressing.
/// </summary>
public static class RaxShape
{
    /// <summary>
    /// The nodes for <paramref name="sortedIds"/> (ascending): a run of bytes all keys below a node share is one
    /// compressed node, a byte position where they differ is a branching node with one child per distinct byte,
    /// and each key ends in a leaf node. An empty rax is its root node only.
    /// </summary>
    public static long CountNodes(ReadOnlySpan<StreamId> sortedIds) =>
        sortedIds.Length == 0 ? 1 : Count(sortedIds, 0);

    /// <summary>Redis 7.0's streamRadixTreeMemoryUsage: 16 bytes per key, and per node the 4-byte raxNode header
    /// plus a fixed 30 words of overhead (its first assignment, sizeof(rax), is overwritten by the next line).</summary>
    public static long MemoryUsage(long keys, long nodes) => keys * 16 + nodes * 4 + nodes * 8 * 30;

    /// <summary>Nodes of the subtree at byte <paramref name="depth"/> holding the sorted <paramref name="ids"/>.</summary>
    private static long Count(ReadOnlySpan<StreamId> ids, int depth)
    {
        if (depth == 16) return 1; // the key's leaf
        // The common prefix of sorted keys is the one of the first and the last.
        var shared = depth;
        while (shared < 16 && KeyByte(ids[0], shared) == KeyByte(ids[^1], shared)) shared++;
        if (shared > depth) return 1 + Count(ids, shared); // a compressed node, then what follows it
        long nodes = 1; // a branching node, one child per distinct byte
        var start = 0;
        for (var k = 1; k <= ids.Length; k++)
        {
            if (k < ids.Length && KeyByte(ids[k], depth) == KeyByte(ids[start], depth)) continue;
            nodes += Count(ids[start..k], depth + 1);
            start = k;
        }
        return nodes;
    }

    /// <summary>Byte <paramref name="index"/> of the ID's 16-byte big-endian key (streamEncodeID).</summary>
    private static int KeyByte(StreamId id, int index) =>
        (int)((index < 8 ? id.Ms >> (56 - 8 * index) : id.Seq >> (56 - 8 * (index - 8))) & 0xFF);
}
