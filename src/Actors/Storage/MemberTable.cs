using System.Numerics;
using System.Runtime.CompilerServices;

namespace AkkaRedis.Actors.Storage;

/// <summary>
/// The big form of a hash, set or sorted set (Redis's dict of a hashtable-encoded value): a chained hash table keyed
/// by byte strings, its slots in one array, bucket heads in a power-of-two int array so that HSCAN/SSCAN/ZSCAN use
/// Redis's reverse-binary cursor (<see cref="ScanCursor"/>): a member present for the whole scan is returned at
/// least once even if the table grows or shrinks between calls. Members are stored as the arrays given (never
/// copied, never mutated).
/// </summary>
/// <remarks>
/// A ref from <see cref="FindValue"/> and an enumeration are valid until the next write to the table: a removal
/// may compact the slot array, as Redis's rehashing moves entries between tables.
/// </remarks>
public sealed class MemberTable<TValue> : IMemberPrefetch
{
    private const int MinBuckets = 4;

    private struct Slot
    {
        /// <summary>null: a free slot.</summary>
        public byte[]? Member;
        public TValue Value;
        public int Hash;
        /// <summary>The next slot of the same bucket's chain (or of the free list), plus one; 0 ends the chain.</summary>
        public int Next;
    }

    /// <summary>How many member bytes a lookup's hint covers (a slot does not keep its member's length): most members
    /// are short (redis-benchmark's element:NNNNNNNNNNNN is 20 bytes).</summary>
    private const int TypicalMemberLength = 24;

    private Slot[] _slots;
    private int[] _buckets;
    private int _used;      // slots handed out so far (live and free), all below this index
    private int _freeHead;  // first free slot plus one; 0: none
    private int _freeCount;
    private int _count;

    public MemberTable(int capacity = 0)
    {
        _slots = new Slot[Math.Max(capacity, MinBuckets)];
        _buckets = new int[Math.Max(MinBuckets, (int)BitOperations.RoundUpToPowerOf2((uint)Math.Max(1, capacity)))];
    }

    public int Count => _count;

    /// <summary>Number of buckets: the SCAN cursor's space.</summary>
    public int BucketCount => _buckets.Length;

    /// <summary>Bytes of the table's own arrays (not the members or values), for tests and diagnostics.</summary>
    public long AllocatedBytes => (long)_slots.Length * Unsafe.SizeOf<Slot>() + (long)_buckets.Length * sizeof(int);

    public bool Contains(ReadOnlySpan<byte> member) => Find(member, KeyTable.HashOf(member)) >= 0;

    public bool TryGetValue(ReadOnlySpan<byte> member, out TValue value)
    {
        var slot = Find(member, KeyTable.HashOf(member));
        if (slot < 0)
        {
            value = default!;
            return false;
        }
        value = _slots[slot].Value;
        return true;
    }

    /// <summary>A ref to the member's value, to update it in place; <see cref="Unsafe.NullRef{T}"/> when absent
    /// (test with <see cref="Unsafe.IsNullRef{T}(ref readonly T)"/>).</summary>
    public ref TValue FindValue(ReadOnlySpan<byte> member)
    {
        var slot = Find(member, KeyTable.HashOf(member));
        if (slot < 0) return ref Unsafe.NullRef<TValue>();
        return ref _slots[slot].Value;
    }

    /// <summary>Adds <paramref name="member"/>; false, and nothing changed, when it is already there.</summary>
    public bool Add(byte[] member, TValue value)
    {
        var hash = KeyTable.HashOf(member);
        if (Find(member, hash) >= 0) return false;
        Insert(member, value, hash);
        return true;
    }

    /// <summary>Adds <paramref name="member"/> or overwrites its value; true when it was added.</summary>
    public bool Set(byte[] member, TValue value)
    {
        var hash = KeyTable.HashOf(member);
        var slot = Find(member, hash);
        if (slot >= 0)
        {
            _slots[slot].Value = value;
            return false;
        }
        Insert(member, value, hash);
        return true;
    }

    public bool Remove(ReadOnlySpan<byte> member) => Remove(member, out _, out _);

    public bool Remove(ReadOnlySpan<byte> member, out byte[] storedMember, out TValue value)
    {
        var hash = KeyTable.HashOf(member);
        ref var link = ref _buckets[hash & (_buckets.Length - 1)];
        while (link != 0)
        {
            ref var s = ref _slots[link - 1];
            if (s.Hash == hash && member.SequenceEqual(s.Member))
            {
                var slot = link - 1;
                storedMember = s.Member!;
                value = s.Value;
                link = s.Next;
                s = default;
                s.Next = _freeHead;
                _freeHead = slot + 1;
                _freeCount++;
                _count--;
                ShrinkIfSparse();
                return true;
            }
            link = ref s.Next;
        }
        storedMember = null!;
        value = default!;
        return false;
    }

    /// <summary>Visits the bucket at <paramref name="cursor"/>, adding its members to <paramref name="output"/>,
    /// and returns the next cursor (0 when the scan is complete): one step of Redis's dictScan.</summary>
    public ulong ScanStep(ulong cursor, List<(byte[] Member, TValue Value)> output)
    {
        var mask = (ulong)(_buckets.Length - 1);
        for (var i = _buckets[(int)(cursor & mask)] - 1; i >= 0;)
        {
            ref var s = ref _slots[i];
            output.Add((s.Member!, s.Value));
            i = s.Next - 1;
        }
        return ScanCursor.Next(cursor, _buckets.Length);
    }

    /// <summary>A random member of a non-empty table: a uniformly chosen non-empty bucket, then a uniformly chosen
    /// element of its chain (Redis's dictGetRandomKey; chains are short, as the table keeps its fill near 1).</summary>
    public (byte[] Member, TValue Value) Random(Random rng)
    {
        if (_count == 0) throw new InvalidOperationException("empty table");
        int head;
        do head = _buckets[rng.Next(_buckets.Length)]; while (head == 0);
        var length = 0;
        for (var i = head - 1; i >= 0; i = _slots[i].Next - 1) length++;
        var slot = head - 1;
        for (var pick = rng.Next(length); pick > 0; pick--) slot = _slots[slot].Next - 1;
        return (_slots[slot].Member!, _slots[slot].Value);
    }

    public void Clear()
    {
        _slots = new Slot[MinBuckets];
        _buckets = new int[MinBuckets];
        _used = _freeHead = _freeCount = _count = 0;
    }

    /// <summary>Every member in slot order: <c>foreach (var (member, value) in table)</c>.</summary>
    public Enumerator GetEnumerator() => new(this);

    public struct Enumerator
    {
        private readonly MemberTable<TValue> _table;
        private int _slot;

        internal Enumerator(MemberTable<TValue> table)
        {
            _table = table;
            _slot = -1;
        }

        public bool MoveNext()
        {
            while (++_slot < _table._used)
                if (_table._slots[_slot].Member != null) return true;
            return false;
        }

        public readonly (byte[] Member, TValue Value) Current => (_table._slots[_slot].Member!, _table._slots[_slot].Value);
    }

    /// <summary>One stage of fetching a member's lookup path into the cache (0: its bucket, 1: the slot the bucket
    /// leads to, 2: that slot's member bytes or, when it holds another hash, the chain's next slot, 3: that one's
    /// member bytes), as <see cref="KeyTable.Prefetch"/> does for keys. Only hints.</summary>
    public void Prefetch(int hash, int stage)
    {
        var slots = _slots;
        if (ChainPrefetch.Bucket(_buckets, hash, stage, out var head) || head > slots.Length) return;
        ref var s = ref slots[head - 1];
        if (stage == 1) ChainPrefetch.Line(ref s);
        else if (s.Hash == hash || s.Next == 0 || s.Next > slots.Length)
        {
            if (stage == 2) ChainPrefetch.Bytes(s.Member, TypicalMemberLength);
        }
        else
        {
            ref var second = ref slots[s.Next - 1];
            if (stage == 2) ChainPrefetch.Line(ref second);
            else if (second.Hash == hash) ChainPrefetch.Bytes(second.Member, TypicalMemberLength);
        }
    }

    private int Find(ReadOnlySpan<byte> member, int hash)
    {
        for (var i = _buckets[hash & (_buckets.Length - 1)] - 1; i >= 0;)
        {
            ref var s = ref _slots[i];
            if (s.Hash == hash && member.SequenceEqual(s.Member)) return i;
            i = s.Next - 1;
        }
        return -1;
    }

    private void Insert(byte[] member, TValue value, int hash)
    {
        int slot;
        if (_freeHead != 0)
        {
            slot = _freeHead - 1;
            _freeHead = _slots[slot].Next;
            _freeCount--;
        }
        else
        {
            if (_used == _slots.Length) Array.Resize(ref _slots, _slots.Length * 2);
            slot = _used++;
        }
        ref var s = ref _slots[slot];
        s.Member = member;
        s.Value = value;
        s.Hash = hash;
        ref var head = ref _buckets[hash & (_buckets.Length - 1)];
        s.Next = head;
        head = slot + 1;
        // Redis expands a dict when it is full (fill ratio 1, dictExpandIfNeeded).
        if (++_count > _buckets.Length) Rehash(_buckets.Length * 2);
    }

    /// <summary>Below 10% fill Redis shrinks the dict (htNeedsResize); here the buckets shrink and, when most slots
    /// are free, the live slots move down into a smaller array.</summary>
    private void ShrinkIfSparse()
    {
        if (_buckets.Length > MinBuckets && _count * 10 < _buckets.Length)
        {
            CompactSlots();
            Rehash(Math.Max(MinBuckets, (int)BitOperations.RoundUpToPowerOf2((uint)Math.Max(1, _count))));
        }
        else if (_count == 0)
        {
            _used = _freeHead = _freeCount = 0;
        }
    }

    private void CompactSlots()
    {
        var slots = new Slot[Math.Max(MinBuckets, _count * 2)];
        var n = 0;
        for (var i = 0; i < _used; i++)
            if (_slots[i].Member != null) slots[n++] = _slots[i];
        _slots = slots;
        _used = n;
        _freeHead = _freeCount = 0;
    }

    private void Rehash(int bucketCount)
    {
        var buckets = new int[bucketCount];
        var mask = bucketCount - 1;
        for (var i = 0; i < _used; i++)
        {
            ref var s = ref _slots[i];
            if (s.Member == null) continue;
            ref var head = ref buckets[s.Hash & mask];
            s.Next = head;
            head = i + 1;
        }
        // Free slots keep their free-list links: Next is only rewritten for live slots above.
        _buckets = buckets;
    }
}

/// <summary>A collection's member table (<see cref="MemberTable{TValue}"/>), for batch prefetch hints
/// (Commands.KeyPrefetch) without knowing its value type.</summary>
public interface IMemberPrefetch
{
    void Prefetch(int hash, int stage);

    /// <summary>The member table of a hash, set or sorted set value in its table encoding; null for the compact ones
    /// (listpack, intset: one array, fetched with the key) and for other types.</summary>
    static IMemberPrefetch? Of(object? value) => value switch
    {
        MemberTable<byte[]> hash => hash,
        RedisSet set => set.Table,
        RedisSortedSet zset => zset.Table,
        _ => null,
    };
}
