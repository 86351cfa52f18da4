using AkkaRedis.Net.Resp;

namespace AkkaRedis.Actors.Storage;

/// <summary>
/// The big form of a hashtable-encoded set: a <see cref="MemberTable{TValue}"/> of members with no value (O(1)
/// SADD/SISMEMBER/SREM, Redis's dict with NULL values). It also models the bucket arrays Redis's dict would have for
/// the same history (<see cref="RedisSlots"/>, which MEMORY USAGE reports): grown as _dictExpandIfNeeded grows it,
/// shrunk as setTypeRemove's dictResize shrinks it, and both tables counted while Redis would still be rehashing
/// incrementally (one bucket per operation, skipping at most ten empty ones: _dictRehashStep).
/// </summary>
public sealed class RedisSet : IDeepCopyable
{
    private long _slots;
    /// <summary>While a modelled rehash runs: the old table's size, and how many of its buckets are not yet moved.</summary>
    private long _oldSlots;
    private double _oldLeft;

    public RedisSet(int capacity = 0)
    {
        Table = new MemberTable<byte>(capacity);
        _slots = DictSlotsFor(capacity);
    }

    public MemberTable<byte> Table { get; }

    /// <summary>dictSlots: the buckets of both of Redis's tables.</summary>
    public long RedisSlots => _slots + _oldSlots;

    public int Count => Table.Count;

    public bool Contains(ReadOnlySpan<byte> member)
    {
        if (Table.Count > 0) RehashStep();
        return Table.Contains(member);
    }

    public bool Add(ReadOnlySpan<byte> member)
    {
        RehashStep();
        if (Table.Contains(member)) return false;
        if (_oldSlots == 0 && Table.Count >= _slots) Resize(DictSlotsFor(Table.Count + 1));
        Table.Add(member.ToArray(), 0);
        return true;
    }

    public bool Remove(ReadOnlySpan<byte> member)
    {
        RehashStep();
        if (!Table.Remove(member)) return false;
        // htNeedsResize (DICT_HT_INITIAL_SIZE < slots, used*100/slots < HASHTABLE_MIN_FILL) then dictResize, which
        // refuses while rehashing.
        if (_oldSlots == 0 && _slots > 4 && Table.Count * 100L / _slots < 10) Resize(DictSlotsFor(Table.Count));
        return true;
    }

    /// <summary>dictGetRandomKey (which also takes a rehash step).</summary>
    public byte[] RandomMember(Random rng)
    {
        RehashStep();
        return Table.Random(rng).Member;
    }

    private void Resize(long slots)
    {
        if (slots == _slots) return;
        if (Table.Count > 0)
        {
            _oldSlots = _slots;
            _oldLeft = _slots;
        }
        _slots = slots;
    }

    /// <summary>_dictRehashStep: one non-empty bucket moved after at most ten empty ones, modelled by the expected
    /// distance to the next non-empty bucket at the old table's fill.</summary>
    private void RehashStep()
    {
        if (_oldSlots == 0) return;
        var nonEmpty = 1 - Math.Exp(-(double)Math.Max(Table.Count, 1) / _oldSlots);
        _oldLeft -= Math.Min(11, 1 / nonEmpty);
        if (_oldLeft <= 0) _oldSlots = 0;
    }

    /// <summary>_dictNextExp: the smallest power of two >= size, at least DICT_HT_INITIAL_SIZE (4).</summary>
    public static long DictSlotsFor(long size)
    {
        long slots = 4;
        while (slots < size) slots *= 2;
        return slots;
    }

    public object DeepCopy()
    {
        // setTypeDup adds the members to a new dict expanded to the size: no rehash pending.
        var copy = new RedisSet(Table.Count);
        foreach (var (member, _) in Table) copy.Table.Add(member, 0); // members are never written: sharing is safe
        return copy;
    }
}

/// <summary>
/// A set value as a key holds it, in one of its three forms, with Redis's t_set.c rules over them:
/// <list type="bullet">
/// <item>encoding <c>intset</c>: an <see cref="IntSet"/> byte[] while every member is an integer (string2ll-exact)
/// and there are at most set-max-intset-entries of them;</item>
/// <item>encoding <c>hashtable</c>, small: a <see cref="Listpack"/> byte[] of the members. Redis 7.0 keeps these in a
/// dict; nothing observable depends on that (member order in replies is unspecified for hashtables, random picks
/// are random), and a listpack costs a few dozen bytes where a dict costs a few hundred: 1,000,000 three-member
/// sets must fit in about Redis's memory;</item>
/// <item>encoding <c>hashtable</c>, big (more than <see cref="CompactMaxEntries"/> members or one longer than
/// <see cref="CompactMaxMemberLength"/>): a <see cref="RedisSet"/>.</item>
/// </list>
/// Conversions go one way (intset → hashtable, small → big), except where Redis builds a set afresh (the STORE
/// commands, SPOP's "remaining" path), which start from <see cref="NewIntSet"/> or <see cref="CreateFor"/>.
/// A handler loads the value (<see cref="Of"/>), changes it, and saves it back (<see cref="Save"/>), which replaces
/// the key's value only when the array or the encoding changed.
/// </summary>
public struct SetValue
{
    /// <summary>The hidden small hashtable form holds at most this many members...</summary>
    public const int CompactMaxEntries = 64;
    /// <summary>... of at most this many bytes each (a linear search over a few short entries is as fast as a hash).</summary>
    public const int CompactMaxMemberLength = 64;

    public ObjectEncoding Encoding;
    public object Value;

    public SetValue(ObjectEncoding encoding, object value)
    {
        Encoding = encoding;
        Value = value;
    }

    public static SetValue Of(KeyEntry obj) => new(obj.Encoding, obj.Value);

    /// <summary>setTypeCreate: an intset when the first member is an integer, else a hashtable.</summary>
    public static SetValue CreateFor(ReadOnlySpan<byte> member) =>
        TryInteger(member, out _) ? NewIntSet() : new SetValue(ObjectEncoding.HashTable, Listpack.Create());

    /// <summary>createIntsetObject: what the STORE commands start their result from.</summary>
    public static SetValue NewIntSet() => new(ObjectEncoding.IntSet, IntSet.Create());

    /// <summary>Stores a new set under <paramref name="key"/> (replacing what is there, its TTL dropped: setKey).</summary>
    public KeyEntry StoreAs(Database db, ReadOnlySpan<byte> key, long now) => db.SetValue(key, RedisType.Set, Encoding, Value, now);

    /// <summary>Writes a changed form back into the key (dbReplaceValue, TTL kept); nothing when unchanged.</summary>
    public readonly void Save(Database db, KeyEntry obj)
    {
        if (!ReferenceEquals(obj.Value, Value) || obj.Encoding != Encoding) db.ReplaceValue(obj, Encoding, Value);
    }

    /// <summary>isSdsRepresentableAsLongLong: the member as intsets hold it.</summary>
    public static bool TryInteger(ReadOnlySpan<byte> member, out long value) => RedisNumbers.TryParseLong(member, out value);

    public readonly bool IsIntSet => Encoding == ObjectEncoding.IntSet;

    public readonly int Count => Value switch
    {
        RedisSet big => big.Count,
        byte[] bytes when Encoding == ObjectEncoding.IntSet => IntSet.Count(bytes),
        byte[] lp => Listpack.Count(lp),
        _ => 0,
    };

    public readonly bool Contains(ReadOnlySpan<byte> member)
    {
        if (Value is RedisSet big) return big.Contains(member);
        var bytes = (byte[])Value;
        if (Encoding == ObjectEncoding.IntSet) return TryInteger(member, out var v) && IntSet.Contains(bytes, v);
        return Listpack.Find(bytes, member) >= 0;
    }

    /// <summary>setTypeAdd, with setTypeConvert when the member does not fit the form (a non-integer in an intset,
    /// more than set-max-intset-entries integers). True when the member was not there.</summary>
    public bool Add(ReadOnlySpan<byte> member, long maxIntsetEntries)
    {
        if (Value is RedisSet big) return big.Add(member);
        var bytes = (byte[])Value;
        if (Encoding == ObjectEncoding.IntSet)
        {
            if (TryInteger(member, out var v))
            {
                var grown = IntSet.Add(bytes, v, out var added);
                if (!added) return false;
                Value = grown;
                if (IntSet.Count(grown) > maxIntsetEntries) ConvertToHashTable(0);
                return true;
            }
            ConvertToHashTable(1);
            return Add(member, maxIntsetEntries);
        }
        if (Listpack.Find(bytes, member) >= 0) return false;
        if (Listpack.Count(bytes) >= CompactMaxEntries || member.Length > CompactMaxMemberLength)
        {
            Value = ToBig(bytes, 1);
            return ((RedisSet)Value).Add(member);
        }
        Value = Listpack.Insert(bytes, Listpack.End(bytes), member);
        return true;
    }

    /// <summary>setTypeRemove. True when the member was there.</summary>
    public bool Remove(ReadOnlySpan<byte> member)
    {
        if (Value is RedisSet big) return big.Remove(member);
        var bytes = (byte[])Value;
        if (Encoding == ObjectEncoding.IntSet)
        {
            if (!TryInteger(member, out var v)) return false;
            Value = IntSet.Remove(bytes, v, out var removed);
            return removed;
        }
        var at = Listpack.Find(bytes, member);
        if (at < 0) return false;
        Value = Listpack.Remove(bytes, at);
        return true;
    }

    /// <summary>setTypeConvert(OBJ_ENCODING_HT): the intset's members as strings, in the small form when they (and
    /// <paramref name="extra"/> members about to be added) fit it.</summary>
    private void ConvertToHashTable(int extra)
    {
        var intset = (byte[])Value;
        var count = IntSet.Count(intset);
        Encoding = ObjectEncoding.HashTable;
        Span<byte> digits = stackalloc byte[24];
        if (count + extra <= CompactMaxEntries)
        {
            var members = new byte[count][];
            for (var i = 0; i < count; i++) members[i] = digits[..RedisNumbers.FormatLong(IntSet.Get(intset, i), digits)].ToArray();
            Value = Listpack.From(members);
            return;
        }
        var big = new RedisSet(count + extra);
        for (var i = 0; i < count; i++) big.Add(digits[..RedisNumbers.FormatLong(IntSet.Get(intset, i), digits)]);
        Value = big;
    }

    private static RedisSet ToBig(byte[] lp, int extra)
    {
        var big = new RedisSet(Listpack.Count(lp) + extra);
        foreach (var member in Listpack.Entries(lp)) big.Add(member);
        return big;
    }

    /// <summary>Members in the form's order: ascending for an intset (as Redis's iterator), unspecified otherwise.</summary>
    public readonly SetEnumerator GetEnumerator() => new(this);

    /// <summary>Every member as a new array (set algebra, SPOP/SRANDMEMBER sampling).</summary>
    public readonly List<byte[]> ToList()
    {
        var list = new List<byte[]>(Count);
        foreach (var m in this) list.Add(m.ToArray());
        return list;
    }

    /// <summary>setTypeRandomElement: a uniformly drawn member (the set is not empty).</summary>
    public readonly byte[] RandomMember(Random rng)
    {
        if (Value is RedisSet big) return big.RandomMember(rng);
        var bytes = (byte[])Value;
        if (Encoding == ObjectEncoding.IntSet) return Format(IntSet.Get(bytes, rng.Next(IntSet.Count(bytes))));
        return Listpack.Read(bytes, Listpack.Seek(bytes, rng.Next(Listpack.Count(bytes))), out _).ToArray();
    }

    public static byte[] Format(long value)
    {
        Span<byte> digits = stackalloc byte[24];
        return digits[..RedisNumbers.FormatLong(value, digits)].ToArray();
    }
}

/// <summary>One member as an enumerator yields it: an intset's integer, or a string member's bytes.</summary>
public readonly ref struct SetMember
{
    public readonly bool IsInteger;
    public readonly long Integer;
    public readonly ReadOnlySpan<byte> Bytes;

    public SetMember(long integer)
    {
        IsInteger = true;
        Integer = integer;
        Bytes = default;
    }

    public SetMember(ReadOnlySpan<byte> bytes)
    {
        IsInteger = false;
        Integer = 0;
        Bytes = bytes;
    }

    public byte[] ToArray() => IsInteger ? SetValue.Format(Integer) : Bytes.ToArray();

    /// <summary>The member's bytes; an integer is formatted into <paramref name="scratch"/> (24 bytes).</summary>
    public ReadOnlySpan<byte> Span(Span<byte> scratch) => IsInteger ? scratch[..RedisNumbers.FormatLong(Integer, scratch)] : Bytes;

    /// <summary>As a bulk string (addReplyBulkLongLong for an intset's integer).</summary>
    public void WriteTo(RespWriter reply)
    {
        if (IsInteger) reply.BulkInteger(Integer);
        else reply.Bulk(Bytes);
    }
}

/// <summary>setTypeIterator over any of the forms; nothing may change the set meanwhile.</summary>
public ref struct SetEnumerator
{
    private readonly byte[]? _intset;
    private readonly byte[]? _listpack;
    private MemberTable<byte>.Enumerator _table;
    private readonly bool _isTable;
    private int _index;
    private int _offset;
    private SetMember _current;

    internal SetEnumerator(SetValue set)
    {
        _index = -1;
        _offset = Listpack.First;
        if (set.Value is RedisSet big)
        {
            _isTable = true;
            _table = big.Table.GetEnumerator();
        }
        else if (set.Encoding == ObjectEncoding.IntSet) _intset = (byte[])set.Value;
        else _listpack = (byte[])set.Value;
    }

    public readonly SetEnumerator GetEnumerator() => this;

    public bool MoveNext()
    {
        if (_isTable)
        {
            if (!_table.MoveNext()) return false;
            _current = new SetMember(_table.Current.Member);
            return true;
        }
        if (_intset != null)
        {
            if (++_index >= IntSet.Count(_intset)) return false;
            _current = new SetMember(IntSet.Get(_intset, _index));
            return true;
        }
        if (_offset >= Listpack.End(_listpack!)) return false;
        _current = new SetMember(Listpack.Read(_listpack!, _offset, out _offset));
        return true;
    }

    public readonly SetMember Current => _current;
}
