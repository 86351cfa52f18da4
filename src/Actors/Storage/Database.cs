using System.Buffers.Binary;

namespace AkkaRedis.Actors.Storage;

/// <summary>
/// One logical database (SELECT index) of one shard: plain data, no actors, no locks. Only the owning shard
/// (or the Transaction actor while it holds that shard) touches it.
/// </summary>
/// <remarks>
/// The storage contract handlers are written against: lookups (with Redis's lazy expiry, LRU and hit/miss
/// flavours) return a <see cref="KeyEntry"/> handle; every write goes through a method here. Keys and string
/// values come in as spans and are copied into storage exactly once (storage keeps no reference to an argument,
/// except a big value whose array the parser gave up for it: see <see cref="Net.Resp.ArgSlice.TryTakeArray"/>);
/// a string key's key and value share one array, an integer is stored as a long, a TTL only exists
/// in the side table of the keys that have one.
/// </remarks>
public sealed class Database
{
    private readonly KeyTable _keys = new();

    public Database(int index) => Index = index;

    public int Index { get; internal set; }
    public int Count => _keys.Count;
    public int VolatileCount => _keys.VolatileCount;

    /// <summary>The table itself (for tests and memory estimates).</summary>
    public KeyTable Table => _keys;

    /// <summary>Told about keys this database deletes by itself (expired ones): the one running commands on it
    /// now (its shard, or the Transaction actor holding it) turns them into write effects.</summary>
    public IKeyspaceEvents? Events { get; set; }

    /// <summary>
    /// Set while clients wait on keys of this database (blocking commands, Redis's db->blocking_keys): told of every key
    /// added, replaced or deleted, as Redis's dbAdd signals a new key and signalDeletedKeyAsReady a deleted or
    /// overwritten one. Null otherwise, so that an ordinary write costs one null check.
    /// </summary>
    public IReadyKeys? Waiting { get; set; }

    /// <summary>The shard's client-side caching table (shared by its databases: Redis's ignores the db), null until a
    /// client tracks anything on this shard.</summary>
    public TrackingTable? Tracking { get; set; }

    /// <summary>The keys connections WATCH in this database (Redis's db->watched_keys); null until the first WATCH,
    /// so a write to a database nobody watches costs one null check.</summary>
    public WatchTable? Watched;

    /// <summary>Keyspace-wide counters the shard publishes (expired keys, hits, misses), read by INFO.</summary>
    public DatabaseStats Stats { get; set; } = new();

    /// <summary>Redis's LRU clock: seconds, in 24 bits (LRU_CLOCK_RESOLUTION 1000 ms, LRU_BITS 24).</summary>
    public static uint LruClock(long now) => (uint)((ulong)now / 1000) & KeyTable.LruMax;

    // ---- lookups ------------------------------------------------------------------------------------------------

    /// <summary>Looks a key up for a command: expires it lazily, updates its access time, counts hits and misses.</summary>
    public KeyEntry Lookup(scoped ReadOnlySpan<byte> key, long now)
    {
        var entry = Find(key, now);
        if (!entry.Exists)
        {
            Missed(key);
            return default;
        }
        Stats.KeyspaceHits++;
        Touch(entry, now);
        return entry;
    }

    /// <summary>The miss branch of Redis's lookupKey for a read (neither LOOKUP_WRITE nor LOOKUP_NOSTATS): counts the
    /// miss and, unless <paramref name="notify"/> is false (LOOKUP_NONOTIFY: OBJECT), tells the owner, which publishes a
    /// <c>keymiss</c> event when notify-keyspace-events asks for one.</summary>
    public void Missed(scoped ReadOnlySpan<byte> key, bool notify = true)
    {
        Stats.KeyspaceMisses++;
        if (notify) Events?.KeyMissed(this, key);
    }

    /// <summary>Looks a key up for a write: expires it lazily, no hit/miss accounting.</summary>
    public KeyEntry LookupWrite(scoped ReadOnlySpan<byte> key, long now)
    {
        var entry = Find(key, now);
        if (entry.Exists) Touch(entry, now);
        return entry;
    }

    /// <summary>Finds a live key without touching its access time (TYPE, OBJECT IDLETIME, EXISTS-like probes).</summary>
    public KeyEntry Find(scoped ReadOnlySpan<byte> key, long now)
    {
        var slot = _keys.Find(key);
        if (slot < 0) return default;
        var entry = new KeyEntry(_keys, slot);
        if (entry.IsExpiredAt(now))
        {
            // Redis 7.0's expireIfNeeded under CLIENT PAUSE (checkClientPauseTimeoutAndReturnIfPaused): the key reads
            // as missing but is not deleted, so nothing is propagated while writes are paused.
            if (Events is { ExpiryPaused: true }) return default;
            Events?.KeyExpired(this, entry.Key);
            Waiting?.Signal(this, entry.Key);
            _keys.Remove(slot);
            Stats.ExpiredKeys++;
            return default;
        }
        return entry;
    }

    /// <summary>Sets the key's access time (LRU clock) to <paramref name="now"/>.</summary>
    public static void Touch(KeyEntry entry, long now)
    {
        ref var e = ref entry.Entry;
        e.Meta = (e.Meta & 0xFF) | (LruClock(now) << KeyTable.LruShift);
    }

    // ---- writes -------------------------------------------------------------------------------------------------

    /// <summary>Stores a string under <paramref name="key"/> with the encoding Redis would pick (int when it is a
    /// canonical long, embstr or raw otherwise), replacing any old value; the TTL is dropped unless
    /// <paramref name="keepTtl"/>.</summary>
    public KeyEntry SetString(scoped ReadOnlySpan<byte> key, scoped ReadOnlySpan<byte> value, long now, bool keepTtl = false)
    {
        if (value.Length <= 20 && Net.Resp.RedisNumbers.TryParseLong(value, out var n)) return SetInt(key, n, now, keepTtl);
        return Store(key, RedisType.String, RedisObject.StringEncodingOf(value, allowIntEncoding: false), value, null, now, keepTtl);
    }

    /// <summary>As <see cref="SetString(ReadOnlySpan{byte}, ReadOnlySpan{byte}, long, bool)"/>, but a big value the
    /// parser received into an array of its own, with room for the key in front, is kept as it is: the key is
    /// written into that room and the array becomes the key's (no second copy of a 1 MiB value).</summary>
    public KeyEntry SetString(scoped ReadOnlySpan<byte> key, Net.Resp.ArgSlice value, long now, bool keepTtl = false)
    {
        if (key.Length == 0 || !value.TryTakeArray(key.Length, out var data)) return SetString(key, value.Span, now, keepTtl);
        key.CopyTo(data);
        return Store(key, RedisType.String, ObjectEncoding.Raw, default, null, now, keepTtl, adopted: data);
    }

    /// <summary>
    /// Replies with a raw string value as a bulk string. A big one is not copied into the reply when the writer
    /// takes references (a session's shard batch): the reply points into the value's array, which is then marked
    /// shared so that the next in-place write (SET of the same length, SETRANGE, APPEND) copies it first, as Redis's
    /// dbUnshareStringValue copies a shared object before writing to it.
    /// </summary>
    public static void WriteBulk(KeyEntry entry, Net.Resp.RespWriter writer)
    {
        ref var e = ref entry.Entry;
        var length = entry.StringLength;
        if (writer.TakesReference(length))
        {
            if (e.Value is StringRoom room) room.Shared = true;
            else e.Value = SharedString;
            writer.BulkReference(e.Data!, e.KeyLength, length);
        }
        else writer.Bulk(e.Data.AsSpan(e.KeyLength, length));
    }

    /// <summary>In a string key's <see cref="Entry.Value"/> (unused by strings): a reply still references the
    /// array, so it must not be written in place.</summary>
    private static readonly object SharedString = new();

    private static bool IsShared(ref Entry e) => e.Value == SharedString || e.Value is StringRoom { Shared: true };

    /// <summary>Stores a string with the given (raw or embstr) encoding, as Redis stores the results of SETRANGE,
    /// APPEND or INCRBYFLOAT, which it never turns into ints.</summary>
    public KeyEntry SetString(scoped ReadOnlySpan<byte> key, scoped ReadOnlySpan<byte> value, ObjectEncoding encoding, long now, bool keepTtl = false) =>
        Store(key, RedisType.String, encoding, value, null, now, keepTtl);

    /// <summary>Stores an int-encoded string: the long itself, beside the key.</summary>
    public KeyEntry SetInt(scoped ReadOnlySpan<byte> key, long value, long now, bool keepTtl = false)
    {
        Span<byte> bytes = stackalloc byte[sizeof(long)];
        BinaryPrimitives.WriteInt64LittleEndian(bytes, value);
        return Store(key, RedisType.String, ObjectEncoding.Int, bytes, null, now, keepTtl);
    }

    /// <summary>Stores a collection object (list, hash, set...) under <paramref name="key"/>, replacing any old value.</summary>
    public KeyEntry SetValue(scoped ReadOnlySpan<byte> key, RedisType type, ObjectEncoding encoding, object value, long now, bool keepTtl = false) =>
        Store(key, type, encoding, [], value, now, keepTtl);

    /// <summary>Replaces the collection object of an existing key in place, keeping its TTL and access time: a compact
    /// encoding reallocated by a write (a listpack is a new array after each change) or converted to its big form
    /// (hashTypeConvert, zsetConvert...), with the encoding it has now.</summary>
    public void ReplaceValue(KeyEntry entry, ObjectEncoding encoding, object value)
    {
        ref var e = ref entry.Entry;
        e.Value = value;
        e.Meta = (e.Meta & ~(0xFu << KeyTable.EncodingShift)) | ((uint)encoding << KeyTable.EncodingShift);
    }

    /// <summary>Replaces the string value of an existing key in place, keeping its TTL and access time (Redis's
    /// dbReplaceValue, as APPEND, SETRANGE and INCRBYFLOAT use it).</summary>
    public void OverwriteString(KeyEntry entry, scoped ReadOnlySpan<byte> value, ObjectEncoding encoding)
    {
        ref var e = ref entry.Entry;
        Replace(ref e, e.Data.AsSpan(0, e.KeyLength), RedisType.String, encoding, value, null);
    }

    /// <summary>Replaces the value of an existing key with an int-encoded one in place, keeping its TTL (INCR...).</summary>
    public void OverwriteInt(KeyEntry entry, long value)
    {
        ref var e = ref entry.Entry;
        if (entry.IsInt)
        {
            // The common INCR case: the long is rewritten where it is, nothing is allocated.
            BinaryPrimitives.WriteInt64LittleEndian(e.Data.AsSpan(e.KeyLength), value);
            return;
        }
        Span<byte> bytes = stackalloc byte[sizeof(long)];
        BinaryPrimitives.WriteInt64LittleEndian(bytes, value);
        Replace(ref e, e.Data.AsSpan(0, e.KeyLength), RedisType.String, ObjectEncoding.Int, bytes, null);
    }

    /// <summary>
    /// Makes the key's string value raw and <paramref name="length"/> bytes long, keeping its first bytes and
    /// zero-filling any growth, and returns it to be written in place at once (Redis's dbUnshareStringValue then
    /// sdsgrowzero, as APPEND, SETRANGE, SETBIT and BITFIELD use them). The value keeps its array when its length does
    /// not change, or when it grows into the room a previous growth left.
    /// </summary>
    /// <remarks>
    /// A growth reserves room as Redis's sdsMakeRoomFor does (twice the new length below 1 MiB, 1 MiB more above), so
    /// that growing a string by small steps (SETBIT with rising offsets, APPEND of small pieces) costs amortised O(1)
    /// per byte, not a copy of the whole string each time; the length then lives in a <see cref="StringRoom"/> in the
    /// entry's Value, and the room after it stays zero (nothing writes past the length).
    /// </remarks>
    public Span<byte> ResizeString(KeyEntry entry, int length)
    {
        ref var e = ref entry.Entry;
        Span<byte> scratch = stackalloc byte[24];
        var old = entry.StringBytes(scratch);
        var capacity = e.Data!.Length - e.KeyLength;
        var fits = !entry.IsInt && !IsShared(ref e) && length >= old.Length && length <= capacity;
        if (!fits)
        {
            // Only a non-empty string grows greedily: one created at its size (SETRANGE or SETBIT on a missing key,
            // Redis's sdsnewlen) or copied (an int made raw at its size, a shared value) is allocated exactly.
            var room = length > old.Length && old.Length > 0 ? GreedyCapacity(length) : length;
            var data = new byte[e.KeyLength + room];
            e.Data.AsSpan(0, e.KeyLength).CopyTo(data);
            old[..Math.Min(old.Length, length)].CopyTo(data.AsSpan(e.KeyLength));
            e.Data = data;
            capacity = room;
        }
        if (length == capacity) e.Value = null;
        else if (e.Value is StringRoom grown) grown.Length = length;
        else e.Value = new StringRoom { Length = length };
        e.Meta = (e.Meta & ~(0xFu << KeyTable.EncodingShift)) | ((uint)ObjectEncoding.Raw << KeyTable.EncodingShift);
        return e.Data.AsSpan(e.KeyLength, length);
    }

    /// <summary>
    /// Replaces a string key's bytes with <paramref name="value"/> (raw), in an array with room for
    /// <paramref name="capacity"/> bytes: for a caller that follows Redis's sds allocation itself (the HyperLogLog's
    /// hllSparseSet reserves 3 bytes with sdsMakeRoomFor before each change, and keeps its room when it shrinks). The
    /// array is kept when it already has that capacity and no reply shares it.
    /// </summary>
    public void WriteString(KeyEntry entry, scoped ReadOnlySpan<byte> value, int capacity)
    {
        ref var e = ref entry.Entry;
        capacity = Math.Max(capacity, value.Length);
        if (entry.IsInt || IsShared(ref e) || e.Data!.Length - e.KeyLength != capacity)
        {
            var data = new byte[e.KeyLength + capacity];
            e.Data.AsSpan(0, e.KeyLength).CopyTo(data);
            e.Data = data;
            e.Value = null;
        }
        value.CopyTo(e.Data.AsSpan(e.KeyLength));
        e.Data.AsSpan(e.KeyLength + value.Length).Clear(); // the room after the length stays zero
        if (value.Length == capacity) e.Value = null;
        else if (e.Value is StringRoom room) room.Length = value.Length;
        else e.Value = new StringRoom { Length = value.Length };
        e.Meta = (e.Meta & ~(0xFu << KeyTable.EncodingShift)) | ((uint)ObjectEncoding.Raw << KeyTable.EncodingShift);
    }

    /// <summary>sdsMakeRoomFor's greedy room for a string growing to <paramref name="length"/> bytes: twice that below
    /// SDS_MAX_PREALLOC (1 MiB), 1 MiB more above, then all that the allocation's jemalloc size class holds (Redis
    /// records the usable size as the sds's alloc), at most what the sds header type can say.</summary>
    private static int GreedyCapacity(int length)
    {
        const int maxPrealloc = 1024 * 1024;
        var wanted = length < maxPrealloc ? 2L * length : (long)length + maxPrealloc;
        var (header, max) = wanted < 1 << 8 ? (3, 255L) : wanted < 1 << 16 ? (5, 65535L) : wanted < 1L << 32 ? (9, uint.MaxValue) : (17, long.MaxValue);
        var usable = Math.Min(Jemalloc.SizeClass(header + wanted + 1) - header - 1, max);
        return (int)Math.Min(usable, Array.MaxLength - 1024);
    }

    /// <summary>
    /// RENAME and MOVE: stores the value of <paramref name="source"/> (a key of <paramref name="sourceDb"/>), with
    /// its encoding and TTL, under <paramref name="key"/> in this database, replacing what is there, then deletes
    /// the source key. The source handle is dead afterwards.
    /// </summary>
    public void MoveFrom(Database sourceDb, KeyEntry source, scoped ReadOnlySpan<byte> key, long now)
    {
        ref var s = ref source.Entry;
        if (sourceDb == this && key.SequenceEqual(source.Key)) return;
        var expireAt = source.ExpireAt;
        // Stored first, deleted after: an insert never moves another slot, so the source is still readable here.
        var moved = Store(key, source.Type, source.Encoding, ValueBytes(source), CollectionOf(ref s), now, keepTtl: false);
        if (expireAt >= 0) SetExpire(moved, expireAt);
        sourceDb.Delete(source);
    }

    /// <summary>
    /// COPY: stores a copy of the value of <paramref name="source"/> (sharing nothing mutable), with its encoding and
    /// TTL, under <paramref name="key"/> in this database, replacing what is there. False (nothing stored) when the
    /// value is a collection that cannot be copied.
    /// </summary>
    public bool CopyFrom(KeyEntry source, scoped ReadOnlySpan<byte> key, long now)
    {
        ref var s = ref source.Entry;
        object? value = null;
        if (CollectionOf(ref s) is { } collection)
        {
            value = Duplicate(collection, source.Type);
            if (value == null) return false;
        }
        var expireAt = source.ExpireAt;
        var copy = Store(key, source.Type, source.Encoding, ValueBytes(source), value, now, keepTtl: false);
        if (expireAt >= 0) SetExpire(copy, expireAt);
        return true;
    }

    /// <summary>A copy of a collection value sharing nothing mutable with it, or null when it cannot be copied (COPY,
    /// a script's undo journal). A compact value (listpack, intset) is a plain array: the copy is a clone of it. A big
    /// hash is a bare member table (no wrapper object to carry IDeepCopyable).</summary>
    internal static object? Duplicate(object collection, RedisType type) => collection switch
    {
        IDeepCopyable copyable => copyable.DeepCopy(),
        byte[] compact => compact.Clone(),
        MemberTable<byte[]> table when type == RedisType.Hash => RedisHash.Duplicate(table),
        _ => null,
    };

    public bool Remove(scoped ReadOnlySpan<byte> key, long now)
    {
        var entry = Find(key, now);
        if (!entry.Exists) return false;
        Delete(entry);
        return true;
    }

    /// <summary>Redis's bare dbDelete: removes the key even when its time has passed, without the lazy expiry (and its
    /// propagated DEL) that a lookup would do first (SORT ... STORE of an empty result).</summary>
    public bool RemoveIgnoringExpiry(scoped ReadOnlySpan<byte> key)
    {
        var slot = _keys.Find(key);
        if (slot < 0) return false;
        Waiting?.Signal(this, key);
        _keys.Remove(slot);
        return true;
    }

    /// <summary>Deletes the key (and its TTL). The handle is dead afterwards.</summary>
    public void Delete(KeyEntry entry)
    {
        Waiting?.Signal(this, entry.Key);
        _keys.Remove(entry.Slot);
    }

    /// <summary>Sets an absolute expiry time (ms) on a key that is in this database.</summary>
    public void SetExpire(KeyEntry entry, long expireAt) => _keys.SetExpire(entry.Slot, expireAt);

    /// <summary>Drops the key's TTL; false when it had none.</summary>
    public bool Persist(KeyEntry entry) => _keys.ClearExpire(entry.Slot);

    public void Clear()
    {
        _keys.Clear();
        // signalFlushedDb: a waiter whose stream went away with the flush is told so (XREADGROUP).
        Waiting?.SignalAll(this);
    }

    /// <summary>Gives back the memory of slots freed by mass deletion. Moves slots: call it only between commands
    /// (the shard's periodic tick), when no <see cref="KeyEntry"/> is held.</summary>
    public bool Compact() => _keys.Compact();

    /// <summary>The collection object of a slot (null for strings, whose Value may hold the shared mark).</summary>
    private static object? CollectionOf(ref Entry e) => e.Value == SharedString || e.Value is StringRoom ? null : e.Value;

    /// <summary>What follows the key in the entry's array: a string's bytes (without the room after them) or its
    /// long; nothing for a collection.</summary>
    private static ReadOnlySpan<byte> ValueBytes(KeyEntry entry) =>
        entry.Type == RedisType.String && !entry.IsInt ? entry.RawBytes : entry.Entry.Data.AsSpan(entry.Entry.KeyLength);

    /// <summary>Redis's setKey/dbOverwrite: finds or adds the key's slot and puts the value in it. With
    /// <paramref name="adopted"/> (an array holding the key then the value) that array becomes the key's as it is.</summary>
    private KeyEntry Store(scoped ReadOnlySpan<byte> key, RedisType type, ObjectEncoding encoding, scoped ReadOnlySpan<byte> payload, object? value,
        long now, bool keepTtl, byte[]? adopted = null)
    {
        var meta = Meta(type, encoding, now);
        var hash = KeyTable.HashOf(key);
        var slot = _keys.Find(key, hash);
        if (slot < 0)
        {
            byte[] data;
            if (adopted != null) data = adopted;
            else
            {
                data = new byte[key.Length + payload.Length];
                key.CopyTo(data);
                payload.CopyTo(data.AsSpan(key.Length));
            }
            var added = new KeyEntry(_keys, _keys.Add(data, key.Length, hash, meta, value));
            Events?.KeyAdded(this, key, type); // dbAdd's "new" event
            Waiting?.Signal(this, key);
            return added;
        }
        Waiting?.Signal(this, key);
        ref var e = ref _keys.At(slot);
        if (!keepTtl) _keys.ClearExpire(slot);
        if (adopted != null)
        {
            e.Data = adopted;
            e.Value = value;
            e.Meta = (e.Meta & ~(KeyTable.TypeMask | (0xFu << KeyTable.EncodingShift))) | (uint)type | ((uint)encoding << KeyTable.EncodingShift);
        }
        else Replace(ref e, key, type, encoding, payload, value);
        e.Meta = (e.Meta & KeyTable.TtlFlag) | meta;
        return new KeyEntry(_keys, slot);
    }

    /// <summary>Puts a new value in an existing slot, keeping its TTL and access time. The key and value array is
    /// reused when the new value has the old one's length (no reference to it ever leaves storage), else replaced.</summary>
    private static void Replace(ref Entry e, scoped ReadOnlySpan<byte> key, RedisType type, ObjectEncoding encoding, scoped ReadOnlySpan<byte> payload, object? value)
    {
        var length = e.KeyLength + payload.Length;
        if (e.Data!.Length != length || IsShared(ref e))
        {
            var data = new byte[length];
            key.CopyTo(data);
            e.Data = data;
        }
        payload.CopyTo(e.Data.AsSpan(e.KeyLength));
        e.Value = value;
        e.Meta = (e.Meta & ~(KeyTable.TypeMask | (0xFu << KeyTable.EncodingShift))) | (uint)type | ((uint)encoding << KeyTable.EncodingShift);
    }

    private static uint Meta(RedisType type, ObjectEncoding encoding, long now) =>
        (uint)type | ((uint)encoding << KeyTable.EncodingShift) | (LruClock(now) << KeyTable.LruShift);

    // ---- expiry -------------------------------------------------------------------------------------------------

    /// <summary>Redis's active expire cycle for one database: sample keys with a TTL, delete the expired ones,
    /// repeat while more than a quarter of the sample was expired and the time budget lasts. The deleted keys are
    /// added to <paramref name="expired"/> when given.</summary>
    public int ActiveExpire(long now, Random rng, long deadlineTicks, List<byte[]>? expired = null)
    {
        const int SampleSize = 20;
        var total = 0;
        // db->avg_ttl, as activeExpireCycle keeps it: a running average of sampled TTLs, computed here by the owner
        // so INFO keyspace reads one number instead of walking a table another thread changes.
        var sampled = AverageTtl(now);
        AvgTtl = AvgTtl == 0 ? sampled : AvgTtl / 50 * 49 + sampled / 50;
        while (_keys.VolatileCount > 0)
        {
            var found = 0;
            var samples = Math.Min(SampleSize, _keys.VolatileCount);
            for (var i = 0; i < samples && _keys.VolatileCount > 0; i++)
            {
                var slot = _keys.VolatileAt(rng.Next(_keys.VolatileCount), out var expireAt);
                if (expireAt >= now) continue;
                expired?.Add(new KeyEntry(_keys, slot).Key.ToArray());
                Events?.KeyExpired(this, new KeyEntry(_keys, slot).Key);
                Waiting?.Signal(this, new KeyEntry(_keys, slot).Key);
                _keys.Remove(slot);
                Stats.ExpiredKeys++;
                found++;
            }
            total += found;
            if (found * 4 <= samples) break;
            if (System.Diagnostics.Stopwatch.GetTimestamp() > deadlineTicks) break;
        }
        return total;
    }

    /// <summary>INFO keyspace's avg_ttl (ms): the estimate the last active expire cycles made (Redis's db->avg_ttl).
    /// Written by the owning shard, read racily by INFO.</summary>
    public long AvgTtl;

    /// <summary>Average remaining TTL (ms) over a sample of keys with a TTL (one active expire cycle's sample).</summary>
    public long AverageTtl(long now)
    {
        var n = Math.Min(_keys.VolatileCount, 100);
        if (n == 0) return 0;
        // Wide enough for TTLs near LLONG_MAX (PEXPIREAT 9223372036854775807): a long sum would wrap to a negative
        // average.
        Int128 sum = 0;
        for (var i = 0; i < n; i++)
        {
            _keys.VolatileAt(i, out var expireAt);
            if (expireAt > now) sum += expireAt - now;
        }
        return (long)(sum / n);
    }

    // ---- whole-table walks --------------------------------------------------------------------------------------

    /// <summary>SCAN: visits one bucket, adding copies of its keys to <paramref name="output"/>; returns the next cursor.</summary>
    public ulong ScanStep(ulong cursor, List<byte[]> output) => _keys.ScanStep(cursor, output);
    public int ScanBucketCount => _keys.BucketCount;

    /// <summary>A random live key, or no key when the database is (or turns out to be) empty.</summary>
    public KeyEntry RandomKey(Random rng, long now)
    {
        // As Redis's dbRandomKey on a master: an expired pick is deleted and another one drawn, so this only
        // gives up when no live key is left (every retry removes a key, so it ends).
        while (_keys.Count > 0)
        {
            var slot = _keys.Random(rng);
            if (slot < 0) return default;
            var entry = new KeyEntry(_keys, slot);
            if (entry.IsExpiredAt(now))
            {
                Events?.KeyExpired(this, entry.Key);
                Waiting?.Signal(this, entry.Key);
                _keys.Remove(slot);
                Stats.ExpiredKeys++;
                continue;
            }
            return entry;
        }
        return default;
    }

    /// <summary>Every key (expired ones included), for <c>foreach</c>; nothing may be written to the database meanwhile.</summary>
    public EntryEnumerator AllKeys() => new(_keys);

    public ref struct EntryEnumerator
    {
        private readonly KeyTable _table;
        private int _slot;

        internal EntryEnumerator(KeyTable table)
        {
            _table = table;
            _slot = -1;
        }

        public readonly EntryEnumerator GetEnumerator() => this;

        public bool MoveNext()
        {
            if (_slot == int.MinValue) return false;
            _slot = _table.NextLive(_slot + 1);
            if (_slot >= 0) return true;
            _slot = int.MinValue;
            return false;
        }

        public readonly KeyEntry Current => new(_table, _slot);
    }
}

/// <summary>What a database does on its own that the layer above must know (to propagate it).</summary>
/// <summary>The waiters on a database's keys (blocked.c's blocking_keys and ready_keys): told of keys that may serve
/// them now. Implemented by the shard's blocking table.</summary>
public interface IReadyKeys
{
    /// <summary>Redis's signalKeyAsReady: queues <paramref name="key"/> for serving if clients wait on it.</summary>
    void Signal(Database db, ReadOnlySpan<byte> key);

    /// <summary>Every key waited on in <paramref name="db"/> may have changed (FLUSHDB, SWAPDB: Redis's
    /// scanDatabaseForReadyKeys and scanDatabaseForDeletedStreams).</summary>
    void SignalAll(Database db);
}

public interface IKeyspaceEvents
{
    /// <summary>The key <paramref name="key"/> was found expired and is being deleted.</summary>
    void KeyExpired(Database db, ReadOnlySpan<byte> key);

    /// <summary>A CLIENT PAUSE is in effect: expired keys are not deleted.</summary>
    bool ExpiryPaused { get; }

    /// <summary>A key that did not exist was added (Redis's dbAdd, as opposed to dbOverwrite).</summary>
    void KeyAdded(Database db, ReadOnlySpan<byte> key, RedisType type);

    /// <summary>A read lookup missed <paramref name="key"/> (lookupKey's keymiss branch).</summary>
    void KeyMissed(Database db, ReadOnlySpan<byte> key);
}

public sealed class DatabaseStats
{
    public long KeyspaceHits;
    public long KeyspaceMisses;
    public long ExpiredKeys;
    /// <summary>Redis's server.dirty, this shard's share: changes made by commands (rdb_changes_since_last_save sums
    /// the shards and subtracts what the last save had seen).</summary>
    public long Dirty;
}

/// <summary>In a grown string's <see cref="Entry.Value"/>: the string's length, its array holding spare room after
/// it (<see cref="Database.ResizeString"/>); <see cref="Shared"/>: a reply still references the array.</summary>
internal sealed class StringRoom
{
    public int Length;
    public bool Shared;
}
