namespace AkkaRedis.Actors.Storage;

/// <summary>
/// A stream's value, Redis's <c>stream</c> struct: entries in ID order, the IDs and counters that outlive deleted
/// entries (last_id, first_id, max_deleted_entry_id, entries_added) and the consumer groups.
/// </summary>
/// <remarks>
/// Scaffolding: a plain sorted list of entries, so that the commands with and without consumer groups can be
/// built side by side. The read API (IDs and counters, <see cref="TryGet"/>, <see cref="GetRange"/>,
/// <see cref="StreamEntry"/>) is what the consumer-group code relies on; the storage behind it is to become compact
/// (Redis's listpack nodes).
/// </remarks>
public sealed class RedisStream : IDeepCopyable
{
    private readonly List<(StreamId Id, byte[][] Pairs)> _entries = [];

    /// <summary>Entries in the stream now.</summary>
    public long Length => _entries.Count;

    /// <summary>last_id: the greatest ID ever added (or set by XSETID); 0-0 for a stream nothing was added to.</summary>
    public StreamId LastId { get; set; }

    /// <summary>first_id: the first entry's ID, 0-0 when the stream is empty.</summary>
    public StreamId FirstId => _entries.Count == 0 ? StreamId.Min : _entries[0].Id;

    /// <summary>max_deleted_entry_id: the greatest ID removed by XDEL (or set by XSETID MAXDELETEDID).</summary>
    public StreamId MaxDeletedId { get; set; }

    /// <summary>entries_added: every entry ever added (or set by XSETID ENTRIESADDED).</summary>
    public ulong EntriesAdded { get; set; }

    /// <summary>cgroups: null until the first consumer group is created.</summary>
    public StreamGroups? Groups { get; set; }

    /// <summary>Adds an entry after the last one (the caller checked that <paramref name="id"/> is greater than
    /// <see cref="LastId"/>) and advances <see cref="LastId"/> and <see cref="EntriesAdded"/>.</summary>
    public void Append(StreamId id, byte[][] fieldsAndValues)
    {
        _entries.Add((id, fieldsAndValues));
        LastId = id;
        EntriesAdded++;
    }

    /// <summary>Removes one entry; false when there is none with that ID.</summary>
    public bool Delete(StreamId id)
    {
        var i = IndexOf(id);
        if (i < 0) return false;
        _entries.RemoveAt(i);
        return true;
    }

    public bool TryGet(StreamId id, out StreamEntry entry)
    {
        var i = IndexOf(id);
        entry = i >= 0 ? new StreamEntry(_entries[i].Id, _entries[i].Pairs) : default;
        return i >= 0;
    }

    /// <summary>The entries with IDs in [<paramref name="start"/>, <paramref name="end"/>], from the last one down
    /// when <paramref name="reverse"/>: <c>foreach (var e in stream.GetRange(a, b))</c>. The stream must not change
    /// while it is walked.</summary>
    public RangeEnumerator GetRange(StreamId start, StreamId end, bool reverse = false)
    {
        if (start > end) return new RangeEnumerator(this, 0, -1, reverse);
        var from = LowerBound(start);
        var to = LowerBound(end);
        if (to < _entries.Count && _entries[to].Id == end) to++;
        return new RangeEnumerator(this, from, to - 1, reverse);
    }

    /// <summary>XINFO STREAM's radix-tree-keys and radix-tree-nodes (the rax of listpack nodes).</summary>
    public long RadixTreeKeys => _entries.Count == 0 ? 0 : 1;
    public long RadixTreeNodes => _entries.Count == 0 ? 1 : 2;

    public object DeepCopy()
    {
        var copy = new RedisStream { LastId = LastId, MaxDeletedId = MaxDeletedId, EntriesAdded = EntriesAdded, Groups = Groups?.DeepCopy() };
        copy._entries.AddRange(_entries);
        return copy;
    }

    private int IndexOf(StreamId id)
    {
        var i = LowerBound(id);
        return i < _entries.Count && _entries[i].Id == id ? i : -1;
    }

    /// <summary>The index of the first entry whose ID is >= <paramref name="id"/>.</summary>
    private int LowerBound(StreamId id)
    {
        int lo = 0, hi = _entries.Count;
        while (lo < hi)
        {
            var mid = (lo + hi) >>> 1;
            if (_entries[mid].Id < id) lo = mid + 1;
            else hi = mid;
        }
        return lo;
    }

    public ref struct RangeEnumerator
    {
        private readonly RedisStream _stream;
        private readonly int _first, _last;
        private readonly bool _reverse;
        private int _next;
        private StreamEntry _current;

        internal RangeEnumerator(RedisStream stream, int first, int last, bool reverse)
        {
            _stream = stream;
            _first = first;
            _last = last;
            _reverse = reverse;
            _next = reverse ? last : first;
        }

        public readonly RangeEnumerator GetEnumerator() => this;
        public readonly StreamEntry Current => _current;

        public bool MoveNext()
        {
            if (_next < _first || _next > _last) return false;
            var (id, pairs) = _stream._entries[_next];
            _current = new StreamEntry(id, pairs);
            _next += _reverse ? -1 : 1;
            return true;
        }
    }
}

/// <summary>One stream entry as read from its stream: the ID and the field/value pairs (views valid until the stream
/// changes).</summary>
public readonly ref struct StreamEntry
{
    private readonly byte[][] _pairs;

    internal StreamEntry(StreamId id, byte[][] fieldsAndValues)
    {
        Id = id;
        _pairs = fieldsAndValues;
    }

    public StreamId Id { get; }
    public int PairCount => _pairs.Length / 2;

    public FieldEnumerator GetEnumerator() => new(_pairs);

    public ref struct FieldEnumerator
    {
        private readonly byte[][] _pairs;
        private int _index;

        internal FieldEnumerator(byte[][] pairs)
        {
            _pairs = pairs;
            _index = -2;
        }

        public bool MoveNext() => (_index += 2) < _pairs.Length;
        public readonly StreamField Current => new(_pairs[_index], _pairs[_index + 1]);
    }
}

/// <summary>A field and its value in a <see cref="StreamEntry"/>.</summary>
public readonly ref struct StreamField(ReadOnlySpan<byte> name, ReadOnlySpan<byte> value)
{
    public ReadOnlySpan<byte> Name { get; } = name;
    public ReadOnlySpan<byte> Value { get; } = value;
}
