using System.Runtime.CompilerServices;

namespace AkkaRedis.Actors.Storage;

/// <summary>
/// Redis 7.0's hash type (t_hash.c) over its two forms, stored directly as the key's value object (no wrapper: a
/// small hash is one array): a <see cref="Listpack"/> <c>byte[]</c> of field, value, field, value... in insertion
/// order (OBJ_ENCODING_LISTPACK), or a <see cref="MemberTable{TValue}"/> of field to value (OBJ_ENCODING_HT).
/// Writes return the value object to store afterwards: a listpack is a new array after every change, and a
/// conversion returns the table; the caller stores it with <see cref="Database.ReplaceValue"/> under
/// <see cref="EncodingOf"/>. A hash never goes back from the table to a listpack (Redis converts one way only).
/// </summary>
/// <remarks>Stored values and fields are never written in place once stored (a new value replaces the array), so a
/// COPY may share them.</remarks>
public static class RedisHash
{
    /// <summary>The value of a new, empty hash (createHashObject: a listpack).</summary>
    public static byte[] CreateEmpty() => Listpack.Create();

    public static ObjectEncoding EncodingOf(object hash) => hash is byte[] ? ObjectEncoding.ListPack : ObjectEncoding.HashTable;

    /// <summary>hashTypeLength: the number of fields.</summary>
    public static int Length(object hash) => hash is byte[] lp ? Listpack.Count(lp) / 2 : ((MemberTable<byte[]>)hash).Count;

    /// <summary>hashTypeGetValue: the value of <paramref name="field"/>, false when there is none. The span points
    /// into storage: read it before the next write.</summary>
    public static bool TryGet(object hash, ReadOnlySpan<byte> field, out ReadOnlySpan<byte> value)
    {
        if (hash is byte[] lp)
        {
            var at = Listpack.Find(lp, field, stride: 2);
            if (at < 0)
            {
                value = default;
                return false;
            }
            value = Listpack.Read(lp, Listpack.Next(lp, at), out _);
            return true;
        }
        if (((MemberTable<byte[]>)hash).TryGetValue(field, out var stored))
        {
            value = stored;
            return true;
        }
        value = default;
        return false;
    }

    public static bool Contains(object hash, ReadOnlySpan<byte> field) =>
        hash is byte[] lp ? Listpack.Find(lp, field, stride: 2) >= 0 : ((MemberTable<byte[]>)hash).Contains(field);

    /// <summary>
    /// hashTypeSet: sets <paramref name="field"/> to <paramref name="value"/> and returns the hash to store from now
    /// on; <paramref name="added"/> is false when the field existed (its value is replaced). A listpack converts to
    /// the table first when the field or value is longer than <paramref name="maxValue"/> (hash-max-listpack-value:
    /// hashTypeSet checks it for HINCRBY*, the others already did in <see cref="NeedsTable"/>), and after the
    /// insert when it holds more than <paramref name="maxEntries"/> fields (hash-max-listpack-entries).
    /// </summary>
    public static object Set(object hash, ReadOnlySpan<byte> field, ReadOnlySpan<byte> value, int maxEntries, int maxValue, out bool added)
    {
        if (hash is byte[] lp)
        {
            if (field.Length > maxValue || value.Length > maxValue) hash = ToTable(lp);
            else
            {
                var at = Listpack.Find(lp, field, stride: 2);
                if (at >= 0)
                {
                    added = false;
                    return Listpack.Replace(lp, Listpack.Next(lp, at), value);
                }
                added = true;
                lp = Listpack.Insert(lp, Listpack.End(lp), field, value, pair: true);
                return Listpack.Count(lp) / 2 > maxEntries ? ToTable(lp) : lp;
            }
        }
        var table = (MemberTable<byte[]>)hash;
        ref var slot = ref table.FindValue(field);
        if (!Unsafe.IsNullRef(ref slot))
        {
            // A new array, never a write into the old one: a COPY may share it.
            if (!slot.AsSpan().SequenceEqual(value)) slot = value.ToArray();
            added = false;
            return table;
        }
        table.Add(field.ToArray(), value.ToArray());
        added = true;
        return table;
    }

    /// <summary>hashTypeTryConversion's test for one argument: a field or value longer than hash-max-listpack-value
    /// makes a listpack hash a table before anything is inserted.</summary>
    public static bool NeedsTable(ReadOnlySpan<byte> fieldOrValue, int maxValue) => fieldOrValue.Length > maxValue;

    /// <summary>hashTypeDelete: removes <paramref name="field"/>, returns the hash to store (a listpack is a new
    /// array); <paramref name="removed"/> is false when there was no such field.</summary>
    public static object Delete(object hash, ReadOnlySpan<byte> field, out bool removed)
    {
        if (hash is byte[] lp)
        {
            var at = Listpack.Find(lp, field, stride: 2);
            removed = at >= 0;
            return removed ? Listpack.Remove(lp, at, entries: 2) : lp;
        }
        var table = (MemberTable<byte[]>)hash;
        removed = table.Remove(field);
        return table;
    }

    /// <summary>hashTypeConvertListpack: the table holding the listpack's pairs, sized for them at once.</summary>
    public static MemberTable<byte[]> ToTable(byte[] lp)
    {
        var table = new MemberTable<byte[]>(Listpack.Count(lp) / 2);
        var at = Listpack.First;
        var end = Listpack.End(lp);
        while (at < end)
        {
            var field = Listpack.Read(lp, at, out at).ToArray();
            var value = Listpack.Read(lp, at, out at).ToArray();
            table.Add(field, value);
        }
        return table;
    }

    /// <summary>COPY's hashTypeDup: the same encoding, nothing shared that is ever written (stored arrays are
    /// replaced, not written, so the table's copy shares them).</summary>
    public static object Duplicate(object hash)
    {
        if (hash is byte[] lp) return lp.Clone();
        var table = (MemberTable<byte[]>)hash;
        var copy = new MemberTable<byte[]>(table.Count);
        foreach (var (field, value) in table) copy.Add(field, value);
        return copy;
    }

    /// <summary>A random field and value (hashTypeRandomElement; dictGetFairRandomKey for the table).</summary>
    public static void Random(object hash, Random rng, out ReadOnlySpan<byte> field, out ReadOnlySpan<byte> value)
    {
        if (hash is byte[] lp)
        {
            var at = Listpack.Seek(lp, rng.Next(Listpack.Count(lp) / 2) * 2);
            field = Listpack.Read(lp, at, out at);
            value = Listpack.Read(lp, at, out _);
            return;
        }
        var (f, v) = ((MemberTable<byte[]>)hash).Random(rng);
        field = f;
        value = v;
    }

    /// <summary>The pairs in storage order (insertion order for a listpack): <c>foreach (var p in RedisHash.Pairs(h))</c>
    /// with <c>p.Field</c> and <c>p.Value</c> pointing into storage.</summary>
    public static PairEnumerator Pairs(object hash) => new(hash);

    public readonly ref struct Pair(ReadOnlySpan<byte> field, ReadOnlySpan<byte> value)
    {
        public ReadOnlySpan<byte> Field { get; } = field;
        public ReadOnlySpan<byte> Value { get; } = value;
    }

    public ref struct PairEnumerator
    {
        private readonly byte[]? _lp;
        private int _next;
        private MemberTable<byte[]>.Enumerator _table;
        private ReadOnlySpan<byte> _field, _value;

        internal PairEnumerator(object hash)
        {
            if (hash is byte[] lp)
            {
                _lp = lp;
                _next = Listpack.First;
            }
            else _table = ((MemberTable<byte[]>)hash).GetEnumerator();
        }

        public readonly PairEnumerator GetEnumerator() => this;

        public bool MoveNext()
        {
            if (_lp != null)
            {
                if (_next >= Listpack.End(_lp)) return false;
                _field = Listpack.Read(_lp, _next, out _next);
                _value = Listpack.Read(_lp, _next, out _next);
                return true;
            }
            if (!_table.MoveNext()) return false;
            var (field, value) = _table.Current;
            _field = field;
            _value = value;
            return true;
        }

        public readonly Pair Current => new(_field, _value);
    }
}
