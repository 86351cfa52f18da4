using AkkaRedis.Actors.Commands;
using AkkaRedis.Actors.Storage;

namespace AkkaRedis.Actors.Keyspace;

/// <summary>Everything one shard owns: its part of every database. Handed to the Transaction actor while held.</summary>
public sealed class ShardData
{
    /// <param name="shardCount">How many shards the keyspace has (the blocking table parks only this shard's keys).</param>
    public ShardData(int index, int databases, int shardCount = 1)
    {
        Index = index;
        Databases = new Database[databases];
        for (var i = 0; i < databases; i++) Databases[i] = new Database(i) { Stats = Stats };
        Blocking = new BlockingTable(this, shardCount);
    }

    /// <summary>Who is in this shard's data right now: its actor, or a session running a batch inline.</summary>
    public ShardGate Gate { get; } = new();

    /// <summary>Clients blocked on this shard's keys (BLPOP, XREAD BLOCK...).</summary>
    public BlockingTable Blocking { get; }

    public int Index { get; }
    public Database[] Databases { get; }
    public DatabaseStats Stats { get; } = new();
    public Random Random { get; } = new();

    // Written by the shard actor (and its supervisor's health check) only; read racily by INFO.
    public long BatchesProcessed;
    public long CommandsProcessed;
    public volatile bool Behind;

    /// <summary>Client-side caching's table for this shard (made on first use, then shared by its databases).</summary>
    public TrackingTable? Tracking { get; private set; }

    public TrackingTable EnsureTracking(ITrackingSink sink)
    {
        if (Tracking != null) return Tracking;
        Tracking = new TrackingTable(sink);
        foreach (var db in Databases) db.Tracking = Tracking;
        return Tracking;
    }

    /// <summary>SWAPDB: exchanges two databases' contents on this shard.</summary>
    public void Swap(int a, int b)
    {
        (Databases[a], Databases[b]) = (Databases[b], Databases[a]);
        // Waiters stay with the database index, as Redis's swapdb keeps blocking_keys in place.
        (Databases[a].Waiting, Databases[b].Waiting) = (Databases[b].Waiting, Databases[a].Waiting);
        Databases[a].Index = a;
        Databases[b].Index = b;
        // Watchers stay with the database index, as Redis's dbSwapDatabases leaves watched_keys in place.
        (Databases[a].Watched, Databases[b].Watched) = (Databases[b].Watched, Databases[a].Watched);
        // swapdb's scanDatabaseForReadyKeys: clients blocked in either database may be served by what it holds now.
        Databases[a].Waiting?.SignalAll(Databases[a]);
        Databases[b].Waiting?.SignalAll(Databases[b]);
    }
}

/// <summary>
/// The part of the keyspace a command runs against: one shard (the fast path) or several shards held together
/// by the Transaction actor. Handlers see keys, never shards.
/// </summary>
public sealed class KeyspaceView : IKeyspace
{
    private readonly ShardData?[] _shards;
    private ShardData? _single;
    private ShardData[]? _everyShard;

    public KeyspaceView(int shardCount) => _shards = new ShardData?[shardCount];

    public int ShardCount => _shards.Length;

    /// <param name="everyShard">Every shard's data, for racy key counts only (<see cref="PartMayHaveKeys"/>).</param>
    public static KeyspaceView ForShard(ShardData shard, int shardCount, ShardData[]? everyShard = null)
    {
        var view = new KeyspaceView(shardCount) { _single = shard, _everyShard = everyShard };
        view._shards[shard.Index] = shard;
        return view;
    }

    public void Hold(ShardData shard) => _shards[shard.Index] = shard;

    public void ReleaseAll()
    {
        Array.Clear(_shards);
        _single = null;
    }

    /// <summary>Client-side caching's trackingRememberKeys: the keys of <paramref name="def"/> (its key specs) are
    /// remembered for <paramref name="clientId"/> in the tables of the shards that own them.</summary>
    public void RememberKeys(ITrackingSink sink, CommandDef def, Net.Resp.CommandArgs args, long clientId, List<int> scratch)
    {
        scratch.Clear();
        def.GetKeys(args, scratch);
        foreach (var k in scratch)
        {
            var shard = _single ?? _shards[HashSlot.ShardOf(args[k], _shards.Length)]
                ?? throw new InvalidOperationException("key routed to a shard that is not held");
            shard.EnsureTracking(sink).Remember(args[k], clientId);
        }
    }

    public Database For(int db, ReadOnlySpan<byte> key)
    {
        if (_single != null) return _single.Databases[db];
        var shard = _shards[HashSlot.ShardOf(key, _shards.Length)]
                    ?? throw new InvalidOperationException("key routed to a shard that is not held");
        return shard.Databases[db];
    }

    public Database? HeldFor(int db, ReadOnlySpan<byte> key)
    {
        var shard = HashSlot.ShardOf(key, _shards.Length);
        var held = _single != null ? (shard == _single.Index ? _single : null) : _shards[shard];
        return held?.Databases[db];
    }

    public bool Holds(ReadOnlySpan<byte> key)
    {
        var shard = HashSlot.ShardOf(key, _shards.Length);
        return _single != null ? shard == _single.Index : _shards[shard] != null;
    }

    /// <summary>The held shards, in shard order.</summary>
    public IEnumerable<ShardData> Shards
    {
        get
        {
            foreach (var s in _shards)
                if (s != null) yield return s;
        }
    }

    public ShardData? Shard(int index) => _shards[index];

    public int PartCount => _shards.Length;

    public Database? Part(int part, int db) => _shards[part]?.Databases[db];

    public bool PartMayHaveKeys(int part, int db)
    {
        if (_shards[part] is { } held) return held.Databases[db].Count > 0;
        // Another shard's count, read without its owner: a key present all along keeps it above zero.
        return _everyShard is not { } all || all[part].Databases[db].Count > 0;
    }

    public void SwapDatabases(int a, int b)
    {
        foreach (var shard in Shards) shard.Swap(a, b);
    }
}
