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
    [ThreadStatic] private static IMemberPrefetch?[]? _members;

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
        ReadOnlySpan<byte> previous = default;
        for (var i = start; i < defs.Count && count < MaxCommands; i++)
        {
            var position = defs[i].FirstKey;
            var args = commands[i];
            if (position <= 0 || position >= args.Length) continue;
            var key = args[position].Span;
            // A run of commands on one key (a hot key's pipeline, an EXEC of INCRs): fetched once.
            if (count > 0 && key.SequenceEqual(previous)) continue;
            previous = key;
            var database = allHeld ? keyspace.For(db, key) : keyspace.HeldFor(db, key);
            if (database == null) continue;
            tables[count] = database.Table;
            hashes[count++] = KeyTable.HashOf(key);
        }
        for (var stage = 0; stage < ChainPrefetch.Stages; stage++)
            for (var i = 0; i < count; i++) tables[i]!.Prefetch(hashes[i], stage);
        Members(keyspace, db, defs, commands, start, allHeld);
        Array.Clear(tables, 0, count);
    }

    /// <summary>
    /// Then the members that the commands name in their keys' collections (<see cref="CommandDef.MemberArg"/>: HSET
    /// field, SADD member, ZSCORE member...) in a table-encoded hash, set or sorted set: their bucket, slot and member
    /// bytes, by stages across the batch. Pipelined writes to one big collection (redis-benchmark's HSET, SADD, ZADD
    /// on one key) otherwise pay these three misses one command after another. The keys' entries are in the cache by
    /// now.
    /// </summary>
    private static void Members(IKeyspace keyspace, int db, List<CommandDef> defs, List<CommandArgs> commands, int start, bool allHeld)
    {
        var members = _members ??= new IMemberPrefetch?[MaxCommands];
        Span<int> hashes = stackalloc int[MaxCommands];
        var count = 0;
        ReadOnlySpan<byte> lastKey = default;
        IMemberPrefetch? lastTable = null;
        var looked = false;
        for (var i = start; i < defs.Count && count < MaxCommands; i++)
        {
            var def = defs[i];
            if (def.MemberArg == 0) continue;
            var args = commands[i];
            var position = def.MemberArg > 0 ? def.MemberArg : args.Length + def.MemberArg;
            if (position <= def.FirstKey || position >= args.Length) continue;
            var key = args[def.FirstKey].Span;
            if (!looked || !key.SequenceEqual(lastKey))
            {
                var database = allHeld ? keyspace.For(db, key) : keyspace.HeldFor(db, key);
                if (database == null) continue;
                lastTable = IMemberPrefetch.Of(database.Table.PeekValue(key));
                lastKey = key;
                looked = true;
            }
            if (lastTable == null) continue;
            members[count] = lastTable;
            hashes[count++] = KeyTable.HashOf(args[position].Span);
        }
        if (count > 1)
            for (var stage = 0; stage < ChainPrefetch.Stages; stage++)
                for (var i = 0; i < count; i++) members[i]!.Prefetch(hashes[i], stage);
        Array.Clear(members, 0, count);
    }
}
