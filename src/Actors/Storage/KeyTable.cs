using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace AkkaRedis.Actors.Storage;

/// <summary>
/// One key's slot in a <see cref="KeyTable"/>: a struct in a page of slots, not an object per key. For a string key
/// the key bytes and the value bytes share one array (<see cref="Data"/>, split at <see cref="KeyLength"/>); an
/// integer-encoded value is the 8 bytes of a long after the key; a collection keeps its key in <see cref="Data"/>
/// and its object in <see cref="Value"/>. 32 bytes per key, beside the one array.
/// </summary>
internal struct Entry
{
    /// <summary>Key bytes, then the string value's bytes (raw, embstr) or the long (int, little endian); null: a free slot.</summary>
    public byte[]? Data;
    /// <summary>The collection (list, hash, set...); null for strings.</summary>
    public object? Value;
    public int Hash;
    /// <summary>The next slot of the same bucket's chain (or of the free list), plus one; 0 ends the chain.</summary>
    public int Next;
    public int KeyLength;
    /// <summary>Type (bits 0-2), has-a-TTL flag (bit 3), encoding (bits 4-7), LRU clock (bits 8-31), packed as
    /// Redis packs type, encoding and lru into 32 bits of its robj.</summary>
    public uint Meta;
}

/// <summary>
/// The key table of one database: a chained hash table whose entries are struct slots in fixed-size pages (a page
/// never moves once allocated, so a slot's index and a ref to it stay valid until that key is deleted), bucket
/// heads in an int array of power-of-two size so that SCAN can use Redis's reverse-binary cursor (a key present for
/// a whole scan is returned even if the table grows or shrinks between calls), and a side table of TTLs for the
/// keys that have one (Redis's db->expires), dense so that active expiry samples it in O(1).
/// </summary>
/// <remarks>
/// Deleted slots go to a free list and are reused by later inserts; <see cref="Compact"/> moves live slots down and
/// returns emptied pages, and only runs from the shard's periodic tick (as Redis's tryResizeHashTables runs from
/// serverCron), never while a command may hold a <see cref="KeyEntry"/>.
/// </remarks>
public sealed class KeyTable
{
    private const int PageBits = 10;
    private const int PageSize = 1 << PageBits; // 1024 slots of 32 bytes: 32 KB, below the large object heap
    private const int PageMask = PageSize - 1;
    private const int MinBuckets = 16;

    internal const uint TypeMask = 0x7;
    internal const uint TtlFlag = 0x8;
    internal const int EncodingShift = 4;
    internal const int LruShift = 8;
    internal const uint LruMax = (1u << 24) - 1;

    private Entry[][] _pages = [];
    private int _used;       // slots handed out so far: live ones and free ones, all below this index
    private int _freeHead;   // first free slot plus one; 0: none
    private int _freeCount;
    private int[] _buckets = new int[MinBuckets]; // first slot of each chain plus one; 0: empty
    private int _count;

    private VolatileSlot[] _volatile = new VolatileSlot[16];
    private int _volatileCount;
    private Dictionary<int, int> _volatileIndex = new(); // slot -> its position in _volatile

    /// <summary>The point-in-time snapshot walking this table (BGSAVE, BGREWRITEAOF), null otherwise: told before a
    /// key it has not written yet may change or go (copy-on-write). One null check per lookup when none runs.</summary>
    internal TableSnapshot? Snapshot;

    private struct VolatileSlot
    {
        public int Slot;
        public long ExpireAt;
    }

    public int Count => _count;

    /// <summary>Slots handed out so far (live and free, all below this index): a snapshot's range.</summary>
    internal int UsedSlots => _used;

    /// <summary>Keys with a TTL.</summary>
    public int VolatileCount => _volatileCount;

    /// <summary>Number of buckets: SCAN's cursor space.</summary>
    public int BucketCount => _buckets.Length;

    /// <summary>Slots allocated in pages (live, free and not yet used), for tests and memory estimates.</summary>
    public int SlotCapacity
    {
        get
        {
            var pages = 0;
            foreach (var page in _pages)
                if (page != null) pages++;
            return pages * PageSize;
        }
    }

    /// <summary>Per-process random seed: as Redis seeds its siphash at start-up, so clients cannot choose keys that
    /// all land in one bucket on every server.</summary>
    private static readonly ulong Seed = (ulong)System.Random.Shared.NextInt64() | 1;

    /// <summary>
    /// The key's hash: 8 bytes at a time, each mixed by a multiply and a rotate (the wyhash/FxHash family), finished
    /// with a murmur-style avalanche so the low bits that pick the bucket depend on every byte. HashCode.AddBytes
    /// took about 70 ns for a 16-byte key here, a third of a SET's time in the table.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static int HashOf(ReadOnlySpan<byte> key)
    {
        const ulong K = 0x9E3779B97F4A7C15;
        var h = Seed ^ ((ulong)key.Length * K);
        ref var start = ref MemoryMarshal.GetReference(key);
        var i = 0;
        for (; i + 8 <= key.Length; i += 8)
            h = (BitOperations.RotateLeft(h, 23) ^ Unsafe.ReadUnaligned<ulong>(ref Unsafe.Add(ref start, i))) * K;
        if (i < key.Length)
        {
            ulong tail = 0;
            for (var j = key.Length - 1; j >= i; j--) tail = (tail << 8) | Unsafe.Add(ref start, j);
            h = (BitOperations.RotateLeft(h, 23) ^ tail) * K;
        }
        h ^= h >> 33;
        h *= 0xFF51AFD7ED558CCD;
        h ^= h >> 33;
        return (int)h;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal ref Entry At(int slot) => ref _pages[slot >> PageBits][slot & PageMask];

    /// <summary>The slot holding <paramref name="key"/>, or -1.</summary>
    public int Find(ReadOnlySpan<byte> key) => Find(key, HashOf(key));

    /// <summary>The value object stored under <paramref name="key"/> (null: none, or a string), expired or not, for
    /// prefetch hints only: unlike <see cref="Find(ReadOnlySpan{byte}, int)"/> it tells no snapshot under way.</summary>
    public object? PeekValue(ReadOnlySpan<byte> key)
    {
        var slot = Locate(key, HashOf(key));
        return slot < 0 ? null : At(slot).Value;
    }

    public int Find(ReadOnlySpan<byte> key, int hash)
    {
        var slot = Locate(key, hash);
        // Every lookup that may lead to a change passes here (reads too: cheaper than telling them apart).
        if (slot >= 0) Snapshot?.Preserve(slot);
        return slot;
    }

    /// <summary>The slot holding <paramref name="key"/>, or -1; nothing else.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private int Locate(ReadOnlySpan<byte> key, int hash)
    {
        for (var i = _buckets[hash & (_buckets.Length - 1)] - 1; i >= 0;)
        {
            ref var e = ref At(i);
            if (e.Hash == hash && e.KeyLength == key.Length && key.SequenceEqual(e.Data.AsSpan(0, e.KeyLength))) return i;
            i = e.Next - 1;
        }
        return -1;
    }

    /// <summary>
    /// A hint for a lookup of <paramref name="hash"/> that comes soon, by stages (<see cref="ChainPrefetch"/>): 0 its
    /// bucket head, 1 the first slot of its chain, 2 that slot's key array or, when the slot holds another hash (at up
    /// to one key per bucket, a third of the lookups or more), the chain's second slot, 3 that one's key array. A
    /// batch of lookups (a pipeline of GETs on random keys) requests each stage for all its keys before the next.
    /// </summary>
    public void Prefetch(int hash, int stage)
    {
        if (ChainPrefetch.Bucket(_buckets, hash, stage, out var head)) return;
        ref var e = ref At(head - 1);
        if (stage == 1) ChainPrefetch.Line(ref e);
        else if (e.Hash == hash || e.Next == 0)
        {
            if (stage == 2) ChainPrefetch.Bytes(e.Data, e.KeyLength);
        }
        else
        {
            ref var second = ref At(e.Next - 1);
            if (stage == 2) ChainPrefetch.Line(ref second);
            else if (second.Hash == hash) ChainPrefetch.Bytes(second.Data, second.KeyLength);
        }
    }

    /// <summary>Adds a key that is not in the table: <paramref name="data"/> starts with its
    /// <paramref name="keyLength"/> key bytes. Returns its slot.</summary>
    internal int Add(byte[] data, int keyLength, int hash, uint meta, object? value)
    {
        int slot;
        if (_freeHead != 0)
        {
            slot = _freeHead - 1;
            _freeHead = At(slot).Next;
            _freeCount--;
        }
        else
        {
            slot = _used;
            if ((slot >> PageBits) == _pages.Length)
            {
                // Grow the page directory, never the pages: existing slots stay where they are.
                var pages = new Entry[Math.Max(4, _pages.Length * 2)][];
                _pages.CopyTo(pages, 0);
                _pages = pages;
            }
            _pages[slot >> PageBits] ??= new Entry[PageSize];
            _used++;
        }
        Snapshot?.Added(slot);
        ref var e = ref At(slot);
        e.Data = data;
        e.Value = value;
        e.Hash = hash;
        e.KeyLength = keyLength;
        e.Meta = meta & ~TtlFlag;
        ref var head = ref _buckets[hash & (_buckets.Length - 1)];
        e.Next = head;
        head = slot + 1;
        if (++_count > _buckets.Length) ResizeBuckets(_buckets.Length * 2);
        return slot;
    }

    /// <summary>Deletes the key in <paramref name="slot"/> (and its TTL); the slot goes to the free list.</summary>
    internal void Remove(int slot)
    {
        Snapshot?.Preserve(slot); // expiry, eviction and bare deletes reach a slot without a lookup
        ref var e = ref At(slot);
        ref var link = ref _buckets[e.Hash & (_buckets.Length - 1)];
        while (link - 1 != slot) link = ref At(link - 1).Next;
        link = e.Next;
        if ((e.Meta & TtlFlag) != 0) ClearExpire(slot);
        e = default;
        e.Next = _freeHead;
        _freeHead = slot + 1;
        _freeCount++;
        _count--;
        // Redis shrinks a dict below 10% fill (htNeedsResize); the bucket array is only heads, so shrinking it
        // moves no slot.
        if (_buckets.Length > MinBuckets && _count * 10 < _buckets.Length)
            ResizeBuckets(Math.Max(MinBuckets, (int)BitOperations.RoundUpToPowerOf2((uint)Math.Max(1, _count))));
    }

    public void Clear()
    {
        if (Snapshot is { } snapshot)
        {
            // FLUSHDB/FLUSHALL during a snapshot: the old contents go, untouched, to a table only the snapshot reads
            // (as the forked child keeps the old pages), and this one starts empty.
            var orphan = new KeyTable
            {
                _pages = _pages, _used = _used, _freeHead = _freeHead, _freeCount = _freeCount, _buckets = _buckets,
                _count = _count, _volatile = _volatile, _volatileCount = _volatileCount, _volatileIndex = _volatileIndex,
            };
            Snapshot = null;
            snapshot.Orphaned(orphan);
            _volatileIndex = new();
        }
        _pages = [];
        _used = 0;
        _freeHead = 0;
        _freeCount = 0;
        _buckets = new int[MinBuckets];
        _count = 0;
        _volatile = new VolatileSlot[16];
        _volatileCount = 0;
        _volatileIndex.Clear();
    }

    private void ResizeBuckets(int size)
    {
        var buckets = new int[size];
        for (var i = 0; i < _used; i++)
        {
            ref var e = ref At(i);
            if (e.Data == null) continue;
            ref var head = ref buckets[e.Hash & (size - 1)];
            e.Next = head;
            head = i + 1;
        }
        _buckets = buckets;
    }

    // ---- TTLs ---------------------------------------------------------------------------------------------------

    internal long ExpireAtOf(int slot) => _volatile[_volatileIndex[slot]].ExpireAt;

    internal void SetExpire(int slot, long expireAt)
    {
        ref var e = ref At(slot);
        if ((e.Meta & TtlFlag) != 0)
        {
            _volatile[_volatileIndex[slot]].ExpireAt = expireAt;
            return;
        }
        if (_volatileCount == _volatile.Length) Array.Resize(ref _volatile, _volatile.Length * 2);
        _volatile[_volatileCount] = new VolatileSlot { Slot = slot, ExpireAt = expireAt };
        _volatileIndex[slot] = _volatileCount++;
        e.Meta |= TtlFlag;
    }

    /// <summary>Drops the TTL of the key in <paramref name="slot"/>; false when it had none.</summary>
    internal bool ClearExpire(int slot)
    {
        ref var e = ref At(slot);
        if ((e.Meta & TtlFlag) == 0) return false;
        e.Meta &= ~TtlFlag;
        _volatileIndex.Remove(slot, out var i);
        var last = _volatile[--_volatileCount];
        if (i != _volatileCount)
        {
            _volatile[i] = last;
            _volatileIndex[last.Slot] = i;
        }
        if (_volatile.Length > 64 && _volatileCount * 8 < _volatile.Length) Array.Resize(ref _volatile, _volatile.Length / 2);
        return true;
    }

    /// <summary>The slot of the <paramref name="index"/>th key with a TTL (0 &lt;= index &lt; VolatileCount), and its
    /// expire time: random indexes sample the keys with a TTL uniformly, as Redis's dictGetRandomKey on db->expires.</summary>
    internal int VolatileAt(int index, out long expireAt)
    {
        var v = _volatile[index];
        expireAt = v.ExpireAt;
        return v.Slot;
    }

    // ---- iteration ----------------------------------------------------------------------------------------------

    /// <summary>Visits one bucket at <paramref name="cursor"/>, adding a copy of each key to
    /// <paramref name="output"/>, and returns the next cursor (0 when the scan is complete): Redis's dictScan.</summary>
    public ulong ScanStep(ulong cursor, List<byte[]> output)
    {
        var mask = (ulong)(_buckets.Length - 1);
        for (var i = _buckets[(int)(cursor & mask)] - 1; i >= 0;)
        {
            ref var e = ref At(i);
            output.Add(e.Data.AsSpan(0, e.KeyLength).ToArray());
            i = e.Next - 1;
        }
        return ScanCursor.Next(cursor, _buckets.Length);
    }

    /// <summary>A uniformly chosen non-empty bucket's random element, as Redis's dictGetRandomKey; -1 when empty.</summary>
    public int Random(Random rng)
    {
        if (_count == 0) return -1;
        int head;
        do head = _buckets[rng.Next(_buckets.Length)]; while (head == 0);
        var len = 0;
        for (var i = head - 1; i >= 0; i = At(i).Next - 1) len++;
        var pick = rng.Next(len);
        var slot = head - 1;
        while (pick-- > 0) slot = At(slot).Next - 1;
        return slot;
    }

    /// <summary>The next live slot at or after <paramref name="slot"/>, or -1: walks every key (KEYS).</summary>
    internal int NextLive(int slot)
    {
        for (; slot < _used; slot++)
            if (At(slot).Data != null) return slot;
        return -1;
    }

    // ---- compaction ---------------------------------------------------------------------------------------------

    /// <summary>
    /// When most slots are free (after mass deletion), moves the live slots of the highest indexes into the free
    /// slots below and gives the emptied pages back. Moves slots: only call it when no <see cref="KeyEntry"/> is
    /// held (from the shard's periodic tick). Returns whether it compacted.
    /// </summary>
    public bool Compact()
    {
        // Worth it once at least half the slots in use are free and that frees at least one page.
        if (_freeCount == 0 || _freeCount * 2 < _used || _used - _count < PageSize) return false;
        // Live slots end up exactly in [0, _count): every live slot at or above _count moves to a free slot below it.
        var target = 0;
        for (var source = _count; source < _used; source++)
        {
            if (At(source).Data == null) continue;
            while (At(target).Data != null) target++;
            Move(source, target);
        }
        _used = _count;
        _freeHead = 0;
        _freeCount = 0;
        var pages = (_used + PageMask) >> PageBits;
        var directory = new Entry[Math.Max(4, (int)BitOperations.RoundUpToPowerOf2((uint)Math.Max(1, pages)))][];
        Array.Copy(_pages, directory, pages);
        _pages = directory;
        return true;
    }

    private void Move(int from, int to)
    {
        ref var e = ref At(from);
        ref var link = ref _buckets[e.Hash & (_buckets.Length - 1)];
        while (link - 1 != from) link = ref At(link - 1).Next;
        link = to + 1;
        At(to) = e;
        if ((e.Meta & TtlFlag) != 0)
        {
            _volatileIndex.Remove(from, out var i);
            _volatileIndex[to] = i;
            _volatile[i].Slot = to;
        }
        e = default;
        Snapshot?.Moved(from, to);
    }
}
