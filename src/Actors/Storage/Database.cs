namespace AkkaRedis.Actors.Storage;

/// <summary>
/// One logical database (SELECT index) of one shard: plain data, no actors, no locks. Only the owning shard
/// (or the Transaction actor while it holds that shard) touches it.
/// </summary>
public sealed class Database
{
    private readonly KeyTable _keys = new();
    private RedisObject[] _volatile = new RedisObject[16];
    private int _volatileCount;

    public Database(int index) => Index = index;

    public int Index { get; internal set; }
    public int Count => _keys.Count;
    public int VolatileCount => _volatileCount;

    /// <summary>Told about keys this database deletes by itself (expired ones): the one running commands on it
    /// now (its shard, or the Transaction actor holding it) turns them into write effects.</summary>
    public IKeyspaceEvents? Events { get; set; }

    /// <summary>Keyspace-wide counters the shard publishes (expired keys, hits, misses), read by INFO.</summary>
    public DatabaseStats Stats { get; set; } = new();

    /// <summary>Looks a key up for a command: expires it lazily, updates its access time, counts hits and misses.</summary>
    public RedisObject? Lookup(ReadOnlySpan<byte> key, long now)
    {
        var obj = Find(key, now);
        if (obj == null)
        {
            Stats.KeyspaceMisses++;
            return null;
        }
        Stats.KeyspaceHits++;
        obj.LastAccess = now;
        return obj;
    }

    /// <summary>Looks a key up for a write: expires it lazily, no hit/miss accounting.</summary>
    public RedisObject? LookupWrite(ReadOnlySpan<byte> key, long now)
    {
        var obj = Find(key, now);
        if (obj != null) obj.LastAccess = now;
        return obj;
    }

    /// <summary>Finds a live key without touching its access time (TYPE, OBJECT IDLETIME, EXISTS-like probes).</summary>
    public RedisObject? Find(ReadOnlySpan<byte> key, long now)
    {
        var obj = _keys.Find(key);
        if (obj == null) return null;
        if (IsExpired(obj, now))
        {
            Delete(obj);
            Stats.ExpiredKeys++;
            Events?.KeyExpired(this, obj);
            return null;
        }
        return obj;
    }

    /// <summary>Redis's keyIsExpired: a key expires once the clock has passed its expiry time (now &gt; when).</summary>
    public static bool IsExpired(RedisObject obj, long now) => obj.ExpireAt >= 0 && obj.ExpireAt < now;

    /// <summary>Stores <paramref name="obj"/> under its key, replacing any old value; the TTL is dropped unless <paramref name="keepTtl"/>.</summary>
    public void Set(RedisObject obj, long now, bool keepTtl = false)
    {
        obj.LastAccess = now;
        var old = _keys.Put(obj);
        if (old == null) return;
        if (old.VolatileIndex >= 0)
        {
            if (keepTtl)
            {
                obj.ExpireAt = old.ExpireAt;
                obj.VolatileIndex = old.VolatileIndex;
                _volatile[old.VolatileIndex] = obj;
                old.VolatileIndex = -1;
            }
            else RemoveVolatile(old);
        }
    }

    public bool Remove(ReadOnlySpan<byte> key, long now)
    {
        var obj = Find(key, now);
        if (obj == null) return false;
        Delete(obj);
        return true;
    }

    public void Delete(RedisObject obj)
    {
        _keys.Remove(obj.Key);
        if (obj.VolatileIndex >= 0) RemoveVolatile(obj);
    }

    /// <summary>Sets an absolute expiry time (ms) on a key that is in this database.</summary>
    public void SetExpire(RedisObject obj, long expireAt)
    {
        obj.ExpireAt = expireAt;
        if (obj.VolatileIndex >= 0) return;
        if (_volatileCount == _volatile.Length) Array.Resize(ref _volatile, _volatile.Length * 2);
        obj.VolatileIndex = _volatileCount;
        _volatile[_volatileCount++] = obj;
    }

    public bool Persist(RedisObject obj)
    {
        if (obj.VolatileIndex < 0) return false;
        RemoveVolatile(obj);
        return true;
    }

    private void RemoveVolatile(RedisObject obj)
    {
        var i = obj.VolatileIndex;
        var last = _volatile[--_volatileCount];
        _volatile[i] = last;
        last.VolatileIndex = i;
        _volatile[_volatileCount] = null!;
        obj.VolatileIndex = -1;
        obj.ExpireAt = -1;
        if (_volatile.Length > 64 && _volatileCount * 8 < _volatile.Length) Array.Resize(ref _volatile, _volatile.Length / 2);
    }

    public void Clear()
    {
        _keys.Clear();
        _volatile = new RedisObject[16];
        _volatileCount = 0;
    }

    /// <summary>Redis's active expire cycle for one database: sample keys with a TTL, delete the expired ones,
    /// repeat while more than a quarter of the sample was expired and the time budget lasts.</summary>
    public int ActiveExpire(long now, Random rng, long deadlineTicks, List<RedisObject>? expired = null)
    {
        const int SampleSize = 20;
        var total = 0;
        while (_volatileCount > 0)
        {
            var found = 0;
            var samples = Math.Min(SampleSize, _volatileCount);
            for (var i = 0; i < samples && _volatileCount > 0; i++)
            {
                var obj = _volatile[rng.Next(_volatileCount)];
                if (!IsExpired(obj, now)) continue;
                expired?.Add(obj);
                Delete(obj);
                Stats.ExpiredKeys++;
                Events?.KeyExpired(this, obj);
                found++;
            }
            total += found;
            if (found * 4 <= samples) break;
            if (System.Diagnostics.Stopwatch.GetTimestamp() > deadlineTicks) break;
        }
        return total;
    }

    /// <summary>Average remaining TTL (ms) over a sample of keys with a TTL, as INFO keyspace's avg_ttl.</summary>
    public long AverageTtl(long now)
    {
        if (_volatileCount == 0) return 0;
        var n = Math.Min(_volatileCount, 100);
        long sum = 0;
        for (var i = 0; i < n; i++) sum += Math.Max(0, _volatile[i].ExpireAt - now);
        return sum / n;
    }

    public ulong ScanStep(ulong cursor, List<RedisObject> output) => _keys.ScanStep(cursor, output);
    public int ScanBucketCount => _keys.BucketCount;

    /// <summary>A random live key, or null when the database is (or turns out to be) empty.</summary>
    public RedisObject? RandomKey(Random rng, long now)
    {
        // As Redis's dbRandomKey on a master: an expired pick is deleted and another one drawn, so this only
        // gives up when no live key is left (every retry removes a key, so it ends).
        while (_keys.Count > 0)
        {
            var obj = _keys.Random(rng);
            if (obj == null) return null;
            if (IsExpired(obj, now))
            {
                Delete(obj);
                Stats.ExpiredKeys++;
                Events?.KeyExpired(this, obj);
                continue;
            }
            return obj;
        }
        return null;
    }

    /// <summary>Every key (expired ones included); callers copy before mutating.</summary>
    public IEnumerable<RedisObject> AllKeys() => _keys.All();
}

/// <summary>What a database does on its own that the layer above must know (to propagate it).</summary>
public interface IKeyspaceEvents
{
    /// <summary><paramref name="obj"/> was found expired and deleted.</summary>
    void KeyExpired(Database db, RedisObject obj);
}

public sealed class DatabaseStats
{
    public long KeyspaceHits;
    public long KeyspaceMisses;
    public long ExpiredKeys;
}
