namespace AkkaRedis.Actors.Storage;

/// <summary>
/// A stream's consumer groups: Redis's <c>cgroups</c> rax of streamCG, kept in the rax's order (the byte order of the
/// names, a shorter name before its extensions), which is the order XINFO GROUPS lists them in.
/// </summary>
public sealed class StreamGroups
{
    private readonly NamedList<StreamGroup> _groups = new();

    public int Count => _groups.Count;

    /// <summary>The groups in name order.</summary>
    public StreamGroup this[int index] => _groups[index];

    /// <summary>streamLookupCG.</summary>
    public StreamGroup? Find(ReadOnlySpan<byte> name) => _groups.Find(name);

    /// <summary>streamCreateCG: the new group, or null when one of that name exists (BUSYGROUP).</summary>
    public StreamGroup? TryCreate(ReadOnlySpan<byte> name, StreamId lastId, long entriesRead)
    {
        var index = _groups.Search(name);
        if (index >= 0) return null;
        var group = new StreamGroup(name.ToArray(), lastId, entriesRead);
        _groups.Insert(~index, group);
        return group;
    }

    /// <summary>XGROUP DESTROY: false when there is no such group.</summary>
    public bool Remove(ReadOnlySpan<byte> name)
    {
        var index = _groups.Search(name);
        if (index < 0) return false;
        _groups.RemoveAt(index);
        return true;
    }

    /// <summary>COPY: every group, consumer and NACK copied (the copies share nothing with the original).</summary>
    public StreamGroups DeepCopy()
    {
        var copy = new StreamGroups();
        for (var i = 0; i < _groups.Count; i++) copy._groups.Insert(i, _groups[i].DeepCopy());
        return copy;
    }

    /// <summary>
    /// What Redis 7.0's objectComputeSize adds for a stream's consumer groups (MEMORY USAGE): per group
    /// sizeof(streamCG), its PEL's rax and a streamNACK per pending entry; per consumer sizeof(streamConsumer), its
    /// name and its PEL's rax (the NACKs are shared with the group's PEL, counted once). The cgroups rax itself is
    /// not counted, as in Redis.
    /// </summary>
    public long MemoryUsage()
    {
        const long SizeOfGroup = 40, SizeOfConsumer = 24, SizeOfNack = 24; // streamCG, streamConsumer, streamNACK
        long size = 0;
        for (var i = 0; i < _groups.Count; i++)
        {
            var group = _groups[i];
            size += SizeOfGroup + group.Pending.RaxMemoryUsage() + SizeOfNack * group.Pending.Count;
            for (var j = 0; j < group.ConsumerCount; j++)
            {
                var consumer = group.Consumer(j);
                size += SizeOfConsumer + consumer.Name.Length + consumer.Pending.RaxMemoryUsage();
            }
        }
        return size;
    }
}

/// <summary>A consumer group, Redis's streamCG: the last delivered ID, its logical read counter, the group's pending
/// entries (PEL) and its consumers (in name order).</summary>
public sealed class StreamGroup : INamed
{
    /// <summary>SCG_INVALID_ENTRIES_READ: the read counter is unknown (XINFO shows nil).</summary>
    public const long InvalidEntriesRead = -1;

    private readonly NamedList<StreamConsumer> _consumers = new();

    internal StreamGroup(byte[] name, StreamId lastId, long entriesRead)
    {
        Name = name;
        LastId = lastId;
        EntriesRead = entriesRead;
    }

    public byte[] Name { get; }

    /// <summary>last_id: the last entry delivered to the group ("&gt;" reads after it).</summary>
    public StreamId LastId { get; set; }

    /// <summary>entries_read: how many entries the group has read, counting from the stream's first ever entry;
    /// <see cref="InvalidEntriesRead"/> when unknown.</summary>
    public long EntriesRead { get; set; }

    /// <summary>The group's PEL: every entry delivered and not acknowledged, whoever owns it.</summary>
    public PendingEntries Pending { get; } = new();

    public int ConsumerCount => _consumers.Count;

    /// <summary>The consumers in name order.</summary>
    public StreamConsumer Consumer(int index) => _consumers[index];

    /// <summary>streamLookupConsumer (without refreshing the seen time: the caller does that when Redis does).</summary>
    public StreamConsumer? FindConsumer(ReadOnlySpan<byte> name) => _consumers.Find(name);

    /// <summary>streamCreateConsumer: the new consumer, or null when one of that name exists.</summary>
    public StreamConsumer? TryCreateConsumer(ReadOnlySpan<byte> name, long now)
    {
        var index = _consumers.Search(name);
        if (index >= 0) return null;
        var consumer = new StreamConsumer(name.ToArray(), now);
        _consumers.Insert(~index, consumer);
        return consumer;
    }

    /// <summary>The consumer of that name, created when missing (<paramref name="created"/>); either way seen now
    /// (streamLookupConsumer with SLC_DEFAULT, then streamCreateConsumer).</summary>
    public StreamConsumer GetOrCreateConsumer(ReadOnlySpan<byte> name, long now, out bool created)
    {
        var index = _consumers.Search(name);
        created = index < 0;
        if (!created)
        {
            var existing = _consumers[index];
            existing.SeenTime = now;
            return existing;
        }
        var consumer = new StreamConsumer(name.ToArray(), now);
        _consumers.Insert(~index, consumer);
        return consumer;
    }

    /// <summary>streamDelConsumer: removes the consumer and its pending entries from the group's PEL; returns how
    /// many it had.</summary>
    public long DeleteConsumer(StreamConsumer consumer)
    {
        var pending = consumer.Pending.Count;
        foreach (var nack in consumer.Pending) Pending.Remove(nack.Id);
        _consumers.RemoveAt(_consumers.Search(consumer.Name));
        return pending;
    }

    /// <summary>
    /// An entry delivered to <paramref name="consumer"/> by XREADGROUP (streamReplyWithRange's PEL update): a new
    /// NACK, or, when the entry is pending already (the group's last ID was set back), the existing one moved to this
    /// consumer with its delivery count reset to 1.
    /// </summary>
    public StreamNack Deliver(StreamId id, StreamConsumer consumer, long now)
    {
        if (Pending.TryGet(id, out var nack))
        {
            nack.Consumer!.Pending.Remove(id);
            nack.Consumer = consumer;
            nack.DeliveryTime = now;
            nack.DeliveryCount = 1;
        }
        else
        {
            nack = new StreamNack(id, now, 1, consumer);
            Pending.Add(nack);
        }
        consumer.Pending.Add(nack);
        return nack;
    }

    /// <summary>XACK / a claimed entry that no longer exists: drops the NACK from both PELs.</summary>
    public bool Acknowledge(StreamId id)
    {
        if (!Pending.TryGet(id, out var nack)) return false;
        Remove(nack);
        return true;
    }

    public void Remove(StreamNack nack)
    {
        Pending.Remove(nack.Id);
        nack.Consumer?.Pending.Remove(nack.Id);
    }

    /// <summary>XCLAIM FORCE for an entry that is not pending: a NACK without a consumer (streamCreateNACK(NULL):
    /// delivered now, once), which the claim then gives to its consumer.</summary>
    public StreamNack AddUnowned(StreamId id, long now)
    {
        var nack = new StreamNack(id, now, 1, null);
        Pending.Add(nack);
        return nack;
    }

    /// <summary>Moves a NACK to <paramref name="consumer"/>'s PEL (XCLAIM, XAUTOCLAIM).</summary>
    public static void Transfer(StreamNack nack, StreamConsumer consumer)
    {
        if (nack.Consumer == consumer) return;
        nack.Consumer?.Pending.Remove(nack.Id);
        consumer.Pending.Add(nack);
        nack.Consumer = consumer;
    }

    internal StreamGroup DeepCopy()
    {
        var copy = new StreamGroup(Name, LastId, EntriesRead);
        for (var i = 0; i < _consumers.Count; i++)
        {
            var c = _consumers[i];
            copy._consumers.Insert(i, new StreamConsumer(c.Name, c.SeenTime));
        }
        foreach (var nack in Pending)
        {
            var owner = nack.Consumer == null ? null : copy.FindConsumer(nack.Consumer.Name);
            var n = new StreamNack(nack.Id, nack.DeliveryTime, nack.DeliveryCount, owner);
            copy.Pending.Add(n);
            owner?.Pending.Add(n);
        }
        return copy;
    }
}

/// <summary>A consumer of a group, Redis 7.0's streamConsumer: its name, when it was last seen (read or claimed) and
/// its own PEL, which shares the NACKs of the group's PEL.</summary>
public sealed class StreamConsumer : INamed
{
    internal StreamConsumer(byte[] name, long seenTime)
    {
        Name = name;
        SeenTime = seenTime;
    }

    public byte[] Name { get; }

    /// <summary>seen_time (ms): XINFO CONSUMERS' idle is now minus this.</summary>
    public long SeenTime { get; set; }

    public PendingEntries Pending { get; } = new();
}

/// <summary>A pending entry, Redis's streamNACK: when it was last delivered, how many times, and to which consumer
/// (null only for a moment inside XCLAIM FORCE).</summary>
public sealed class StreamNack
{
    public StreamNack(StreamId id, long deliveryTime, long deliveryCount, StreamConsumer? consumer)
    {
        Id = id;
        DeliveryTime = deliveryTime;
        DeliveryCount = deliveryCount;
        Consumer = consumer;
    }

    /// <summary>Set once; the setter is for <see cref="PendingEntries"/>'s lookup probe only.</summary>
    public StreamId Id { get; internal set; }
    public long DeliveryTime { get; set; }
    public long DeliveryCount { get; set; }
    public StreamConsumer? Consumer { get; set; }
}

/// <summary>
/// A PEL: NACKs ordered by entry ID (Redis's rax keyed by the big-endian ID), with the range walks XPENDING,
/// XAUTOCLAIM and XREADGROUP's history need. A red-black tree (SortedSet): appends, acknowledgements from the front
/// and lookups are all O(log n).
/// </summary>
public sealed class PendingEntries
{
    private static readonly IComparer<StreamNack> ById = Comparer<StreamNack>.Create((a, b) => a.Id.CompareTo(b.Id));

    [ThreadStatic] private static StreamNack? _probe;

    private readonly SortedSet<StreamNack> _set = new(ById);

    public int Count => _set.Count;
    public StreamNack? First => _set.Count == 0 ? null : _set.Min;
    public StreamNack? Last => _set.Count == 0 ? null : _set.Max;

    public bool TryGet(StreamId id, out StreamNack nack) => _set.TryGetValue(Probe(id), out nack!);

    /// <summary>Adds or replaces the NACK of its ID.</summary>
    public void Add(StreamNack nack)
    {
        if (!_set.Add(nack))
        {
            _set.Remove(nack);
            _set.Add(nack);
        }
    }

    public bool Remove(StreamId id) => _set.Remove(Probe(id));

    /// <summary>The first NACK whose ID is &gt;= <paramref name="from"/> (raxSeek "&gt;="), or null.</summary>
    public StreamNack? FirstAtOrAfter(StreamId from)
    {
        if (_set.Count == 0 || _set.Max!.Id < from) return null;
        if (_set.Min!.Id >= from) return _set.Min;
        return _set.GetViewBetween(new StreamNack(from, 0, 0, null), _set.Max).Min;
    }

    /// <summary>The NACKs with IDs in [<paramref name="start"/>, <paramref name="end"/>], in ID order. The PEL must
    /// not change while it is walked.</summary>
    public IEnumerable<StreamNack> Range(StreamId start, StreamId end)
    {
        if (_set.Count == 0 || start > end || _set.Max!.Id < start || _set.Min!.Id > end) return [];
        if (start <= _set.Min.Id && end >= _set.Max.Id) return _set;
        return _set.GetViewBetween(new StreamNack(start, 0, 0, null), new StreamNack(end, 0, 0, null));
    }

    public SortedSet<StreamNack>.Enumerator GetEnumerator() => _set.GetEnumerator();

    /// <summary>Redis 7.0's streamRadixTreeMemoryUsage for this PEL's rax.</summary>
    public long RaxMemoryUsage() => RaxShape.MemoryUsage(Count, RaxNodeCount());

    /// <summary>The nodes of the rax Redis would hold this PEL's IDs in.</summary>
    public long RaxNodeCount()
    {
        var ids = new StreamId[Count];
        var i = 0;
        foreach (var nack in _set) ids[i++] = nack.Id;
        return RaxShape.CountNodes(ids);
    }

    private static StreamNack Probe(StreamId id)
    {
        // The comparer reads only the ID; a probe per thread spares an allocation per lookup (a shard's data is
        // only ever touched by one thread at a time, and lookups do not nest).
        var probe = _probe ??= new StreamNack(id, 0, 0, null);
        probe.Id = id;
        return probe;
    }
}

/// <summary>Items with byte-string names kept sorted as a rax orders them (memcmp, a prefix first), found by a binary
/// search on the name's bytes without copying them. Groups and consumers are few per stream.</summary>
internal sealed class NamedList<T> where T : class, INamed
{
    private readonly List<T> _items = [];

    public int Count => _items.Count;
    public T this[int index] => _items[index];

    public T? Find(ReadOnlySpan<byte> name)
    {
        var i = Search(name);
        return i >= 0 ? _items[i] : null;
    }

    /// <summary>The index of the item of that name, or the bitwise complement of where it would go.</summary>
    public int Search(ReadOnlySpan<byte> name)
    {
        int lo = 0, hi = _items.Count - 1;
        while (lo <= hi)
        {
            var mid = (lo + hi) >>> 1;
            var cmp = _items[mid].Name.AsSpan().SequenceCompareTo(name);
            if (cmp == 0) return mid;
            if (cmp < 0) lo = mid + 1;
            else hi = mid - 1;
        }
        return ~lo;
    }

    public void Insert(int index, T item) => _items.Insert(index, item);
    public void RemoveAt(int index) => _items.RemoveAt(index);
}

/// <summary>A group or a consumer: what <see cref="NamedList{T}"/> sorts by.</summary>
internal interface INamed
{
    byte[] Name { get; }
}
