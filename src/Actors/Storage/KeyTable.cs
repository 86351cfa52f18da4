using System.Numerics;

using System.Runtime.CompilerServices;

namespace AkkaRedis.Actors.Storage;

/// <summary>
/// A chained hash table of <see cref="RedisObject"/>s keyed by their key bytes, with power-of-two bucket counts so
/// that SCAN can use Redis's reverse-binary cursor: a key present for a whole scan is returned even if the table
/// grows or shrinks between calls.
/// </summary>
public sealed class KeyTable
{
    private const int MinBuckets = 16;
    private RedisObject?[] _buckets = new RedisObject?[MinBuckets];
    private int _count;

    public int Count => _count;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static int HashOf(ReadOnlySpan<byte> key)
    {
        var h = new HashCode();
        h.AddBytes(key);
        return h.ToHashCode();
    }

    public RedisObject? Find(ReadOnlySpan<byte> key)
    {
        var hash = HashOf(key);
        for (var o = _buckets[hash & (_buckets.Length - 1)]; o != null; o = o.Next)
            if (o.Hash == hash && key.SequenceEqual(o.Key)) return o;
        return null;
    }

    /// <summary>Inserts <paramref name="obj"/>, replacing any object with the same key; returns the replaced one.</summary>
    public RedisObject? Put(RedisObject obj)
    {
        var hash = HashOf(obj.Key);
        obj.Hash = hash;
        ref var slot = ref _buckets[hash & (_buckets.Length - 1)];
        RedisObject? prev = null;
        for (var o = slot; o != null; prev = o, o = o.Next)
        {
            if (o.Hash != hash || !o.Key.AsSpan().SequenceEqual(obj.Key)) continue;
            obj.Next = o.Next;
            if (prev == null) slot = obj;
            else prev.Next = obj;
            o.Next = null;
            return o;
        }
        obj.Next = slot;
        slot = obj;
        if (++_count > _buckets.Length) Resize(_buckets.Length * 2);
        return null;
    }

    public RedisObject? Remove(ReadOnlySpan<byte> key)
    {
        var hash = HashOf(key);
        ref var slot = ref _buckets[hash & (_buckets.Length - 1)];
        RedisObject? prev = null;
        for (var o = slot; o != null; prev = o, o = o.Next)
        {
            if (o.Hash != hash || !key.SequenceEqual(o.Key)) continue;
            if (prev == null) slot = o.Next;
            else prev.Next = o.Next;
            o.Next = null;
            _count--;
            if (_buckets.Length > MinBuckets && _count * 10 < _buckets.Length) Resize(Math.Max(MinBuckets, (int)BitOperations.RoundUpToPowerOf2((uint)Math.Max(1, _count))));
            return o;
        }
        return null;
    }

    public void Clear()
    {
        _buckets = new RedisObject?[MinBuckets];
        _count = 0;
    }

    private void Resize(int size)
    {
        var buckets = new RedisObject?[size];
        foreach (var head in _buckets)
        {
            for (var o = head; o != null;)
            {
                var next = o.Next;
                ref var slot = ref buckets[o.Hash & (size - 1)];
                o.Next = slot;
                slot = o;
                o = next;
            }
        }
        _buckets = buckets;
    }

    /// <summary>Visits one bucket at <paramref name="cursor"/> and returns the next cursor (0 when the scan is complete).</summary>
    public ulong ScanStep(ulong cursor, List<RedisObject> output)
    {
        var mask = (ulong)(_buckets.Length - 1);
        for (var o = _buckets[(int)(cursor & mask)]; o != null; o = o.Next) output.Add(o);
        cursor |= ~mask;
        cursor = ReverseBits(cursor);
        cursor++;
        cursor = ReverseBits(cursor);
        return cursor;
    }

    /// <summary>Number of buckets: SCAN's cursor space.</summary>
    public int BucketCount => _buckets.Length;

    private static ulong ReverseBits(ulong v)
    {
        v = ((v >> 1) & 0x5555555555555555UL) | ((v & 0x5555555555555555UL) << 1);
        v = ((v >> 2) & 0x3333333333333333UL) | ((v & 0x3333333333333333UL) << 2);
        v = ((v >> 4) & 0x0F0F0F0F0F0F0F0FUL) | ((v & 0x0F0F0F0F0F0F0F0FUL) << 4);
        v = ((v >> 8) & 0x00FF00FF00FF00FFUL) | ((v & 0x00FF00FF00FF00FFUL) << 8);
        v = ((v >> 16) & 0x0000FFFF0000FFFFUL) | ((v & 0x0000FFFF0000FFFFUL) << 16);
        return (v >> 32) | (v << 32);
    }

    /// <summary>A uniformly chosen bucket's random element, as Redis's dictGetRandomKey; null when empty.</summary>
    public RedisObject? Random(Random rng)
    {
        if (_count == 0) return null;
        RedisObject? head;
        do head = _buckets[rng.Next(_buckets.Length)]; while (head == null);
        var len = 0;
        for (var o = head; o != null; o = o.Next) len++;
        var pick = rng.Next(len);
        var e = head;
        while (pick-- > 0) e = e!.Next;
        return e;
    }

    public IEnumerable<RedisObject> All()
    {
        foreach (var head in _buckets)
            for (var o = head; o != null; o = o.Next)
                yield return o;
    }
}
