using System.Collections;
using System.Runtime.CompilerServices;

namespace AkkaRedis.Actors.Storage;

// TEMPORARY stand-in with the announced API of the lead's MemberTable (lands on main soon): replaced at the merge.
public sealed class MemberTable<TValue>
{
    private readonly Dictionary<byte[], TValue> _d;
    private sealed class Cmp : IEqualityComparer<byte[]>, IAlternateEqualityComparer<ReadOnlySpan<byte>, byte[]>
    {
        public bool Equals(byte[]? x, byte[]? y) => x.AsSpan().SequenceEqual(y);
        public int GetHashCode(byte[] o) => GetHashCode((ReadOnlySpan<byte>)o);
        public bool Equals(ReadOnlySpan<byte> x, byte[] y) => x.SequenceEqual(y);
        public int GetHashCode(ReadOnlySpan<byte> o) { var h = new HashCode(); h.AddBytes(o); return h.ToHashCode(); }
        public byte[] Create(ReadOnlySpan<byte> o) => o.ToArray();
    }
    public MemberTable(int capacity = 0) => _d = new Dictionary<byte[], TValue>(capacity, new Cmp());
    public int Count => _d.Count;
    public int BucketCount { get { var n = 4; while (n < _d.Count) n *= 2; return n; } }
    public bool Contains(ReadOnlySpan<byte> member) => _d.GetAlternateLookup<ReadOnlySpan<byte>>().ContainsKey(member);
    public bool TryGetValue(ReadOnlySpan<byte> member, out TValue value) => _d.GetAlternateLookup<ReadOnlySpan<byte>>().TryGetValue(member, out value!);
    public ref TValue FindValue(ReadOnlySpan<byte> member)
    {
        var l = _d.GetAlternateLookup<ReadOnlySpan<byte>>();
        if (!l.TryGetValue(member, out var k, out _)) return ref Unsafe.NullRef<TValue>();
        return ref System.Runtime.InteropServices.CollectionsMarshal.GetValueRefOrNullRef(_d, k);
    }
    public bool Add(byte[] member, TValue value) => _d.TryAdd(member, value);
    public bool Set(byte[] member, TValue value)
    {
        var l = _d.GetAlternateLookup<ReadOnlySpan<byte>>();
        if (l.TryGetValue(member, out var k, out _)) { _d[k] = value; return false; }
        _d[member] = value; return true;
    }
    public bool Remove(ReadOnlySpan<byte> member) => _d.GetAlternateLookup<ReadOnlySpan<byte>>().Remove(member);
    public bool Remove(ReadOnlySpan<byte> member, out byte[] storedMember, out TValue value) => _d.GetAlternateLookup<ReadOnlySpan<byte>>().Remove(member, out storedMember!, out value!);
    public ulong ScanStep(ulong cursor, List<(byte[] Member, TValue Value)> output)
    {
        foreach (var kv in _d) output.Add((kv.Key, kv.Value));
        return 0;
    }
    public (byte[] Member, TValue Value) Random(Random rng)
    {
        var i = rng.Next(_d.Count);
        foreach (var kv in _d) if (i-- == 0) return (kv.Key, kv.Value);
        throw new InvalidOperationException();
    }
    public Enumerator GetEnumerator() => new(_d.GetEnumerator());
    public struct Enumerator
    {
        private Dictionary<byte[], TValue>.Enumerator _e;
        internal Enumerator(Dictionary<byte[], TValue>.Enumerator e) => _e = e;
        public bool MoveNext() => _e.MoveNext();
        public (byte[] Member, TValue Value) Current => (_e.Current.Key, _e.Current.Value);
    }
    public void Clear() => _d.Clear();
    public long AllocatedBytes => 0;
}
