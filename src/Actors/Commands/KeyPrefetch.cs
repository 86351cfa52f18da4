using AkkaRedis.Actors.Storage;
using AkkaRedis.Net.Resp;

namespace AkkaRedis.Actors.Commands;

/// <summary>
/// Commands about to run one after another (a pipelined batch, an EXEC's queue) have their first keys' table slots
/// fetched from memory together first (<see cref="KeyTable.Prefetch"/>, by stages across all of them): over a keyspace
/// much larger than the cache, each lookup's misses (bucket, slot, key bytes) would otherwise be paid one command after
/// another.
/// </summary>
public static class KeyPrefetch
{
    private const int MaxCommands = 64;

    [ThreadStatic] private static KeyTable?[]? _tables;

    /// <summary>The commands from <paramref name="start"/> on, against <paramref name="db"/> of
    /// <paramref name="keyspace"/>: a key of a part it does not hold is skipped, unless <paramref name="allHeld"/> says
    /// every key is (a shard's own batch, routed there by its keys), which saves a hash-slot computation per key.
    /// Only hints: nothing changes.</summary>
    public static void FirstKeys(IKeyspace keyspace, int db, List<CommandDef> defs, List<CommandArgs> commands, int start, bool allHeld = false)
    {
        if (defs.Count - start < 2 || !System.Runtime.Intrinsics.X86.Sse.IsSupported) return;
        var tables = _tables ??= new KeyTable?[MaxCommands];
        Span<int> hashes = stackalloc int[MaxCommands];
        var count = 0;
        for (var i = start; i < defs.Count && count < MaxCommands; i++)
        {
            var position = defs[i].FirstKey;
            var args = commands[i];
            if (position <= 0 || position >= args.Length) continue;
            var key = args[position].Span;
            if (!allHeld && !keyspace.Holds(key)) continue;
            tables[count] = keyspace.For(db, key).Table;
            hashes[count++] = KeyTable.HashOf(key);
        }
        for (var stage = 0; stage < 3; stage++)
            for (var i = 0; i < count; i++) tables[i]!.Prefetch(hashes[i], stage);
        Array.Clear(tables, 0, count);
    }
}
