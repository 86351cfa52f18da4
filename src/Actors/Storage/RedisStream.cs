using AkkaRedis.Net.Resp;
using LP = AkkaRedis.Actors.Storage.StreamListpack;

namespace AkkaRedis.Actors.Storage;

/// <summary>
/// A stream's value, Redis's <c>stream</c> struct (t_stream.c): entries in ID order, the IDs and counters that outlive
/// deleted entries (last_id, first_id, max_deleted_entry_id, entries_added) and the consumer groups.
/// </summary>
/// <remarks>
/// Stored as Redis stores it, so that replies that depend on the layout (<c>~</c> trimming, XINFO's radix-tree
/// counts), MEMORY USAGE and the RDB size come out the same: entries in nodes, each node one listpack in Redis's
/// byte format (<see cref="StreamListpack"/>) holding a master entry (valid count, deleted count, the master fields,
/// a 0 terminator) and then the entries, each as flags, ms and seq deltas from the node's master ID, the field count
/// and fields unless the SAMEFIELDS flag says they are the master's, the values, and lp-count (how many elements the
/// entry has, to walk it backwards). A deleted entry is only flagged until its whole node goes. A new node starts
/// when the tail's bytes plus the new entry would reach stream-node-max-bytes or it holds stream-node-max-entries
/// entries (deleted ones included), as streamAppendItem decides. Redis indexes the nodes in a rax keyed by the
/// master ID as 16 big-endian bytes; nodes are only ever appended at the tail and trimmed at the head (XDEL can
/// drop one in the middle), so here they are two parallel arrays in ID order, searched by binary search.
/// </remarks>
public sealed class RedisStream : IDeepCopyable
{
    /// <summary>STREAM_ITEM_FLAG_DELETED and STREAM_ITEM_FLAG_SAMEFIELDS.</summary>
    private const int FlagDeleted = 1, FlagSameFields = 2;
    /// <summary>STREAM_LISTPACK_MAX_SIZE: no node grows past 1 GB whatever stream-node-max-bytes says.</summary>
    public const long ListpackMaxSize = 1L << 30;
    /// <summary>STREAM_LISTPACK_MAX_PRE_ALLOCATE: the bytes Redis allocates for a new node up front.</summary>
    public const int MaxPreallocate = 4096;
    /// <summary>Redis's defaults for stream-node-max-bytes and stream-node-max-entries.</summary>
    public const long DefaultNodeMaxBytes = 4096, DefaultNodeMaxEntries = 100;

    // The nodes [_head, _end): master IDs (the rax keys) and listpacks.
    private StreamId[] _masters = [];
    private byte[][] _nodes = [];
    private int _head, _end;
    /// <summary>What Redis allocated for the tail node up front (lpNew(prealloc)), 0 once it was shrunk to fit.</summary>
    private int _tailPrealloc;
    private long _raxNodes = -1;

    /// <summary>Entries in the stream now.</summary>
    public long Length { get; private set; }

    /// <summary>last_id: the greatest ID ever added (or set by XSETID); 0-0 for a stream nothing was added to.</summary>
    public StreamId LastId { get; set; }

    /// <summary>first_id: the first entry's ID, 0-0 when the stream is empty.</summary>
    public StreamId FirstId { get; private set; }

    /// <summary>max_deleted_entry_id: the greatest ID removed by XDEL (or set by XSETID MAXDELETEDID).</summary>
    public StreamId MaxDeletedId { get; set; }

    /// <summary>entries_added: every entry ever added (or set by XSETID ENTRIESADDED).</summary>
    public ulong EntriesAdded { get; set; }

    /// <summary>cgroups: null until the first consumer group is created.</summary>
    public StreamGroups? Groups { get; set; }

    /// <summary>The number of nodes (the rax's numele).</summary>
    public int NodeCount => _end - _head;

    // ---- appending ----

    /// <summary>Adds an entry with the default node limits (tests, and callers that have no configuration).</summary>
    public void Append(StreamId id, byte[][] fieldsAndValues) =>
        Append(id, CommandArgs.Of(fieldsAndValues), 0, DefaultNodeMaxBytes, DefaultNodeMaxEntries);

    /// <summary>
    /// streamAppendItem: adds the entry whose fields and values are <paramref name="args"/>[<paramref name="first"/>..]
    /// after the last one (the caller checked that <paramref name="id"/> is greater than <see cref="LastId"/>), in
    /// the tail node or a new one, and advances <see cref="LastId"/>, <see cref="EntriesAdded"/> and
    /// <see cref="Length"/>.
    /// </summary>
    public void Append(StreamId id, CommandArgs args, int first, long nodeMaxBytes, long nodeMaxEntries)
    {
        var numFields = (args.Length - first) / 2;
        long totalLength = 0;
        for (var i = first; i < args.Length; i++) totalLength += args[i].Length;

        var tail = _end - 1;
        if (tail >= _head)
        {
            var lp = _nodes[tail];
            var maxBytes = nodeMaxBytes == 0 || nodeMaxBytes > ListpackMaxSize ? ListpackMaxSize : nodeMaxBytes;
            var newNode = LP.Bytes(lp) + totalLength >= maxBytes;
            if (!newNode && nodeMaxEntries != 0)
            {
                var countAt = LP.First;
                var all = LP.GetInteger(lp, countAt) + LP.GetInteger(lp, LP.Next(lp, countAt));
                newNode = all >= nodeMaxEntries;
            }
            if (newNode)
            {
                // The full node is shrunk to its size (lpShrinkToFit): it only changes again when entries are deleted.
                _nodes[tail] = LP.ShrinkToFit(lp);
                _tailPrealloc = 0;
                tail = -1;
            }
        }

        int flags;
        byte[] node;
        StreamId master;
        if (tail < _head)
        {
            // A new node: the master entry takes this entry's fields, so this one has SAMEFIELDS.
            _tailPrealloc = nodeMaxBytes > 0 && nodeMaxBytes < MaxPreallocate ? (int)nodeMaxBytes : MaxPreallocate;
            var estimate = LP.EmptyBytes + 8 + (int)Math.Min(totalLength * 2 + 16 * numFields + 32, MaxPreallocate);
            node = LP.New(estimate);
            LP.AppendInteger(ref node, 1);
            LP.AppendInteger(ref node, 0);
            LP.AppendInteger(ref node, numFields);
            for (var i = 0; i < numFields; i++) LP.Append(ref node, args[first + 2 * i]);
            LP.AppendInteger(ref node, 0);
            master = id;
            flags = FlagSameFields;
            AddNode(id, node);
            tail = _end - 1;
        }
        else
        {
            node = _nodes[tail];
            master = _masters[tail];
            var p = LP.First;
            LP.ReplaceInteger(ref node, p, LP.GetInteger(node, p) + 1);
            p = LP.Next(node, p); // deleted
            p = LP.Next(node, p); // master field count
            var masterFields = LP.GetInteger(node, p);
            flags = 0;
            if (masterFields == numFields)
            {
                p = LP.Next(node, p);
                var i = 0;
                for (; i < numFields; i++, p = LP.Next(node, p))
                    if (!SameBytes(node, p, args[first + 2 * i])) break;
                if (i == numFields) flags = FlagSameFields;
            }
        }

        LP.AppendInteger(ref node, flags);
        LP.AppendInteger(ref node, unchecked((long)(id.Ms - master.Ms)));
        LP.AppendInteger(ref node, unchecked((long)(id.Seq - master.Seq)));
        var same = flags == FlagSameFields;
        if (!same) LP.AppendInteger(ref node, numFields);
        for (var i = 0; i < numFields; i++)
        {
            if (!same) LP.Append(ref node, args[first + 2 * i]);
            LP.Append(ref node, args[first + 2 * i + 1]);
        }
        LP.AppendInteger(ref node, numFields + 3 + (same ? 0 : numFields + 1));
        _nodes[tail] = node;

        Length++;
        EntriesAdded++;
        LastId = id;
        if (Length == 1) FirstId = id;
    }

    /// <summary>The master field comparison of streamAppendItem: lpGet's text against the field's bytes (an
    /// integer-encoded field reads as its decimal text).</summary>
    private static bool SameBytes(byte[] lp, int p, ReadOnlySpan<byte> field) => LP.Equals(lp, p, field);

    private void AddNode(StreamId master, byte[] node)
    {
        if (_end == _nodes.Length)
        {
            if (_head > 0 && _head >= _nodes.Length / 2)
            {
                // Trimmed at the head: slide the live nodes down instead of growing.
                var live = _end - _head;
                Array.Copy(_nodes, _head, _nodes, 0, live);
                Array.Copy(_masters, _head, _masters, 0, live);
                Array.Clear(_nodes, live, _end - live);
                _head = 0;
                _end = live;
            }
            else
            {
                var size = Math.Max(4, _nodes.Length * 2);
                Array.Resize(ref _nodes, size);
                Array.Resize(ref _masters, size);
            }
        }
        _masters[_end] = master;
        _nodes[_end] = node;
        _end++;
        _raxNodes = -1;
    }

    private void RemoveNode(int index)
    {
        if (index == _end - 1) _tailPrealloc = 0;
        if (index == _head)
        {
            _nodes[_head++] = null!;
        }
        else
        {
            Array.Copy(_nodes, index + 1, _nodes, index, _end - index - 1);
            Array.Copy(_masters, index + 1, _masters, index, _end - index - 1);
            _nodes[--_end] = null!;
        }
        if (_head == _end) _head = _end = 0;
        _raxNodes = -1;
    }

    // ---- deleting ----

    /// <summary>Removes one entry; false when there is none with that ID.</summary>
    public bool Delete(StreamId id)
    {
        var node = FindNode(id);
        if (node < 0) return false;
        var lp = _nodes[node];
        var master = ReadMaster(lp);
        for (var p = master.FirstEntry; !LP.IsEnd(lp, p);)
        {
            var e = ReadEntryHeader(lp, p, _masters[node], master.FieldCount);
            // Tombstones are skipped before the ID is compared (streamIteratorGetID with skip_tombstones): one may
            // sit above later live entries when XSETID set the last ID below it.
            if ((e.Flags & FlagDeleted) != 0)
            {
                p = e.Next;
                continue;
            }
            if (e.Id > id) break;
            if (e.Id == id)
            {
                RemoveEntry(node, p, e.Flags);
                if (Length == 0) FirstId = StreamId.Min;
                else if (id == FirstId) FirstId = FirstValidId();
                return true;
            }
            p = e.Next;
        }
        return false;
    }

    /// <summary>XDEL's deletion: <see cref="Delete"/>, raising <see cref="MaxDeletedId"/> to the ID.</summary>
    public bool DeleteAndRecord(StreamId id)
    {
        if (!Delete(id)) return false;
        if (id > MaxDeletedId) MaxDeletedId = id;
        return true;
    }

    /// <summary>streamIteratorRemoveEntry: flags the entry deleted and moves it from the valid to the deleted count;
    /// the last valid entry of a node takes the whole node with it.</summary>
    private void RemoveEntry(int node, int flagsAt, int flags)
    {
        var lp = _nodes[node];
        Length--;
        var count = LP.GetInteger(lp, LP.First);
        if (count == 1)
        {
            RemoveNode(node);
            return;
        }
        LP.ReplaceInteger(ref lp, flagsAt, flags | FlagDeleted);
        LP.ReplaceInteger(ref lp, LP.First, count - 1);
        var deletedAt = LP.Next(lp, LP.First);
        LP.ReplaceInteger(ref lp, deletedAt, LP.GetInteger(lp, deletedAt) + 1);
        _nodes[node] = lp;
    }

    // ---- trimming ----

    /// <summary>
    /// streamTrim: removes entries from the head, down to <paramref name="maxLen"/> entries (MAXLEN) or up to the
    /// first ID not below <paramref name="minId"/> (MINID). Whole nodes go while they can; with
    /// <paramref name="approx"/> (<c>~</c>) that is all, else the entries of the next node are flagged deleted one
    /// by one. A nonzero <paramref name="limit"/> stops before a node whose entries would take the count past it.
    /// Returns the number of entries removed.
    /// </summary>
    public long Trim(bool byMinId, long maxLen, StreamId minId, bool approx, long limit)
    {
        long deleted = 0;
        while (_head < _end)
        {
            if (!byMinId && Length <= maxLen) break;
            var lp = _nodes[_head];
            var entries = LP.GetInteger(lp, LP.First);
            if (limit != 0 && deleted + entries > limit) break;

            bool removeNode;
            if (!byMinId) removeNode = Length - entries >= maxLen;
            else removeNode = LastEntryId(_head) < minId;
            if (removeNode)
            {
                RemoveNode(_head);
                Length -= entries;
                deleted += entries;
                continue;
            }
            if (approx) break;

            // Flag entries of this node deleted until the condition holds.
            var master = ReadMaster(lp);
            long fromNode = 0;
            for (var p = master.FirstEntry; !LP.IsEnd(lp, p);)
            {
                var e = ReadEntryHeader(lp, p, _masters[_head], master.FieldCount);
                if (byMinId ? e.Id >= minId : Length <= maxLen) break;
                if ((e.Flags & FlagDeleted) == 0)
                {
                    LP.ReplaceInteger(ref lp, p, e.Flags | FlagDeleted); // flags stay one byte: p and e.Next hold
                    fromNode++;
                    Length--;
                }
                p = e.Next;
            }
            deleted += fromNode;
            LP.ReplaceInteger(ref lp, LP.First, entries - fromNode);
            var deletedAt = LP.Next(lp, LP.First);
            LP.ReplaceInteger(ref lp, deletedAt, LP.GetInteger(lp, deletedAt) + fromNode);
            _nodes[_head] = lp;
            break;
        }
        if (Length == 0) FirstId = StreamId.Min;
        else if (deleted != 0) FirstId = FirstValidId();
        return deleted;
    }

    // ---- reading ----

    /// <summary>streamLastValidID: the last entry that is not deleted (0-0 for an empty stream). Every node holds a
    /// valid entry (a node goes with its last one), so it is in the tail node.</summary>
    public StreamId LastValidId()
    {
        foreach (var e in GetRange(StreamId.Min, StreamId.Max, reverse: true)) return e.Id;
        return StreamId.Min;
    }

    private StreamId FirstValidId()
    {
        foreach (var e in GetRange(StreamId.Min, StreamId.Max)) return e.Id;
        return StreamId.Min;
    }

    /// <summary>streamGetEdgeID(first, with tombstones): the first node's first entry, deleted or not; the maximum ID
    /// for an empty stream.</summary>
    public StreamId FirstEntryId()
    {
        if (_head == _end) return StreamId.Max;
        var lp = _nodes[_head];
        return ReadEntryHeader(lp, ReadMaster(lp).FirstEntry, _masters[_head], 0).Id;
    }

    /// <summary>lpGetEdgeStreamID(lp, last): the ID of the node's last entry, deleted or not.</summary>
    private StreamId LastEntryId(int node)
    {
        var lp = _nodes[node];
        var countAt = LP.Prev(lp, LP.Bytes(lp) - 1);
        var p = countAt;
        for (var n = LP.GetInteger(lp, countAt); n > 0; n--) p = LP.Prev(lp, p);
        var master = _masters[node];
        var msAt = LP.Next(lp, p);
        var ms = master.Ms + (ulong)LP.GetInteger(lp, msAt);
        var seq = master.Seq + (ulong)LP.GetInteger(lp, LP.Next(lp, msAt));
        return new StreamId(ms, seq);
    }

    public bool TryGet(StreamId id, out StreamEntry entry)
    {
        foreach (var e in GetRange(id, id))
        {
            entry = e;
            return true;
        }
        entry = default;
        return false;
    }

    /// <summary>The entries with IDs in [<paramref name="start"/>, <paramref name="end"/>], from the last one down
    /// when <paramref name="reverse"/>: <c>foreach (var e in stream.GetRange(a, b))</c>. The stream must not change
    /// while it is walked.</summary>
    public RangeEnumerator GetRange(StreamId start, StreamId end, bool reverse = false)
    {
        if (start > end || _head == _end) return new RangeEnumerator(this, start, end, reverse, reverse ? _head - 1 : _end);
        var seek = FindNode(reverse ? end : start);
        if (seek < 0) seek = reverse ? _head - 1 : _head; // before the first master: start at the head (or nothing)
        return new RangeEnumerator(this, start, end, reverse, seek);
    }

    /// <summary>raxSeek "&lt;=": the last node whose master ID is not above <paramref name="id"/>, or -1.</summary>
    private int FindNode(StreamId id)
    {
        int lo = _head, hi = _end;
        while (lo < hi)
        {
            var mid = (lo + hi) >>> 1;
            if (_masters[mid] <= id) lo = mid + 1;
            else hi = mid;
        }
        return lo - 1 >= _head ? lo - 1 : -1;
    }

    internal readonly record struct MasterEntry(int FieldCount, int FieldsAt, int FirstEntry);

    /// <summary>The master entry: the field count, where the fields start, and where the first entry starts.</summary>
    internal static MasterEntry ReadMaster(byte[] lp)
    {
        var p = LP.Next(lp, LP.Next(lp, LP.First)); // skip count and deleted
        var fieldCount = (int)LP.GetInteger(lp, p);
        p = LP.Next(lp, p);
        var fieldsAt = p;
        for (var i = 0; i < fieldCount; i++) p = LP.Next(lp, p);
        return new MasterEntry(fieldCount, fieldsAt, LP.Next(lp, p)); // past the 0 terminator
    }

    internal readonly record struct EntryHeader(int Flags, StreamId Id, int FieldCount, int ValuesAt, int Next);

    /// <summary>Reads the entry whose flags element is at <paramref name="p"/>: flags, ID, field count, where its
    /// fields/values start, and where the next entry starts.</summary>
    internal static EntryHeader ReadEntryHeader(byte[] lp, int p, StreamId master, int masterFields)
    {
        var flags = (int)LP.GetInteger(lp, p);
        p = LP.Next(lp, p);
        var ms = master.Ms + (ulong)LP.GetInteger(lp, p);
        p = LP.Next(lp, p);
        var seq = master.Seq + (ulong)LP.GetInteger(lp, p);
        p = LP.Next(lp, p);
        int fields, elements;
        if ((flags & FlagSameFields) != 0)
        {
            fields = masterFields;
            elements = fields;
        }
        else
        {
            fields = (int)LP.GetInteger(lp, p);
            p = LP.Next(lp, p);
            elements = fields * 2;
        }
        var valuesAt = p;
        for (var i = 0; i < elements; i++) p = LP.Next(lp, p);
        return new EntryHeader(flags, new StreamId(ms, seq), fields, valuesAt, LP.Next(lp, p)); // past lp-count
    }

    // ---- introspection ----

    /// <summary>XINFO STREAM's radix-tree-keys: the rax's numele, one key per node.</summary>
    public long RadixTreeKeys => _end - _head;

    /// <summary>
    /// XINFO STREAM's radix-tree-nodes: the rax's numnodes for the nodes' master IDs as 16 big-endian bytes. A rax
    /// holding fixed-length keys is a compressed trie: the root, one node per byte position where keys branch, one
    /// compressed node per run of single-child bytes after a branch (or after the root), and one leaf per key; an
    /// empty rax is its root alone. That is the shape raxInsert builds and raxRemove restores by recompressing; it is
    /// computed from the keys when asked (a walk over the nodes, cached until they change).
    /// </summary>
    public long RadixTreeNodes
    {
        get
        {
            if (_raxNodes >= 0) return _raxNodes;
            return _raxNodes = RaxShape.CountNodes(_masters.AsSpan(_head, _end - _head));
        }
    }

    /// <summary>The nodes in order, for MEMORY USAGE and DEBUG OBJECT: each listpack's bytes (lpBytes) and the
    /// bytes Redis would have allocated for it (the tail's up-front allocation while it is still in place).</summary>
    public NodeEnumerator Nodes() => new(this);

    public ref struct NodeEnumerator
    {
        private readonly RedisStream _s;
        private int _i;

        internal NodeEnumerator(RedisStream s)
        {
            _s = s;
            _i = s._head - 1;
        }

        public readonly NodeEnumerator GetEnumerator() => this;
        public bool MoveNext() => ++_i < _s._end;

        /// <summary>(lpBytes, preallocated bytes or 0).</summary>
        public readonly (int Bytes, int Prealloc) Current =>
            (LP.Bytes(_s._nodes[_i]), _i == _s._end - 1 ? _s._tailPrealloc : 0);
    }

    /// <summary>Node <paramref name="index"/> (0 = the head) as rdbSaveObject writes it: its master ID (the rax
    /// key) and its listpack's lpBytes bytes.</summary>
    public ReadOnlySpan<byte> Node(int index, out StreamId master)
    {
        var lp = _nodes[_head + index];
        master = _masters[_head + index];
        return lp.AsSpan(0, LP.Bytes(lp));
    }

    /// <summary>
    /// A stream rebuilt from its saved parts (rdbLoadObject's stream branch): the nodes in ID order, each a listpack
    /// the loader validated (see <c>Rdb.RdbStream</c>), and the metadata as saved. The nodes are taken as they are,
    /// so the node cuts stay those of the server that wrote them, as in Redis. A null <paramref name="firstId"/>
    /// (an RDB older than 7.0) is computed as Redis does then: streamGetEdgeID(first, skipping tombstones), the
    /// maximum ID for an empty stream.
    /// </summary>
    internal static RedisStream FromNodes(StreamId[] masters, byte[][] nodes, int count, long length, StreamId lastId,
        StreamId? firstId, StreamId maxDeletedId, ulong entriesAdded)
    {
        var stream = new RedisStream
        {
            _masters = masters, _nodes = nodes, _end = count, Length = length, LastId = lastId,
            MaxDeletedId = maxDeletedId, EntriesAdded = entriesAdded,
        };
        stream.FirstId = firstId ?? (length == 0 ? StreamId.Max : stream.FirstValidId());
        return stream;
    }

    /// <summary>
    /// streamEstimateDistanceFromFirstEverEntry: the read counter a group whose last ID is <paramref name="id"/>
    /// would have, or <see cref="StreamGroup.InvalidEntriesRead"/> when it cannot be known (XREADGROUP's counter,
    /// XINFO's lag, and a Redis 5-6.2 RDB's groups, which were saved without one).
    /// </summary>
    public long EstimateDistanceFromFirstEverEntry(StreamId id)
    {
        var added = (long)EntriesAdded;
        if (added == 0) return 0;
        if (Length == 0 && id <= LastId) return added;
        var cmpLast = id.CompareTo(LastId);
        if (cmpLast == 0) return added;
        if (cmpLast > 0) return StreamGroup.InvalidEntriesRead;
        var cmpFirst = id.CompareTo(FirstId);
        if (MaxDeletedId.IsZero || MaxDeletedId < FirstId)
        {
            // No tombstone ahead of the first entry: the counters are exact from there.
            if (cmpFirst < 0) return added - Length;
            if (cmpFirst == 0) return added - Length + 1;
        }
        return StreamGroup.InvalidEntriesRead;
    }

    public object DeepCopy()
    {
        // streamDup copies each listpack into an allocation of its size.
        var copy = new RedisStream
        {
            LastId = LastId, FirstId = FirstId, MaxDeletedId = MaxDeletedId, EntriesAdded = EntriesAdded,
            Length = Length, Groups = Groups?.DeepCopy(),
        };
        var n = _end - _head;
        copy._masters = new StreamId[Math.Max(n, 4)];
        copy._nodes = new byte[Math.Max(n, 4)][];
        Array.Copy(_masters, _head, copy._masters, 0, n);
        for (var i = 0; i < n; i++) copy._nodes[i] = _nodes[_head + i].AsSpan(0, LP.Bytes(_nodes[_head + i])).ToArray();
        copy._end = n;
        return copy;
    }

    public ref struct RangeEnumerator
    {
        private readonly RedisStream _stream;
        private readonly StreamId _start, _end;
        private readonly bool _reverse;
        private int _node;
        private byte[]? _lp;
        private MasterEntry _master;
        private int _pos;
        private StreamEntry _current;

        internal RangeEnumerator(RedisStream stream, StreamId start, StreamId end, bool reverse, int node)
        {
            _stream = stream;
            _start = start;
            _end = end;
            _reverse = reverse;
            _node = node;
        }

        public readonly RangeEnumerator GetEnumerator() => this;
        public readonly StreamEntry Current => _current;

        public bool MoveNext()
        {
            var s = _stream;
            while (true)
            {
                if (_lp == null)
                {
                    if (_node < s._head || _node >= s._end) return false;
                    _lp = s._nodes[_node];
                    _master = ReadMaster(_lp);
                    _pos = _reverse ? LP.Bytes(_lp) - 1 : _master.FirstEntry;
                }
                var lp = _lp;
                int at;
                if (!_reverse)
                {
                    if (LP.IsEnd(lp, _pos))
                    {
                        _node++;
                        _lp = null;
                        continue;
                    }
                    at = _pos;
                }
                else
                {
                    // Back from the entry (or the end byte) at _pos: the previous element is an entry's lp-count,
                    // or the master entry's 0 terminator when there is none.
                    var countAt = LP.Prev(lp, _pos);
                    var n = LP.GetInteger(lp, countAt);
                    if (n == 0)
                    {
                        _node--;
                        _lp = null;
                        continue;
                    }
                    at = countAt;
                    for (; n > 0; n--) at = LP.Prev(lp, at);
                }
                var e = ReadEntryHeader(lp, at, s._masters[_node], _master.FieldCount);
                _pos = _reverse ? at : e.Next;
                if ((e.Flags & FlagDeleted) != 0) continue;
                if (!_reverse)
                {
                    if (e.Id < _start) continue;
                    if (e.Id > _end)
                    {
                        _node = s._end;
                        _lp = null;
                        return false;
                    }
                }
                else
                {
                    if (e.Id > _end) continue;
                    if (e.Id < _start)
                    {
                        _node = s._head - 1;
                        _lp = null;
                        return false;
                    }
                }
                _current = new StreamEntry(e.Id, lp, e.ValuesAt, e.FieldCount,
                    (e.Flags & FlagSameFields) != 0 ? _master.FieldsAt : -1);
                return true;
            }
        }
    }
}

/// <summary>One stream entry as read from its stream: the ID and the field/value pairs (views valid until the stream
/// changes; an integer-encoded field or value is formatted into a per-thread scratch ring, valid for the next few dozen
/// such reads).</summary>
public readonly ref struct StreamEntry
{
    private readonly byte[] _lp;
    private readonly int _valuesAt;
    private readonly int _masterFieldsAt;

    internal StreamEntry(StreamId id, byte[] lp, int valuesAt, int pairCount, int masterFieldsAt)
    {
        Id = id;
        _lp = lp;
        _valuesAt = valuesAt;
        PairCount = pairCount;
        _masterFieldsAt = masterFieldsAt;
    }

    public StreamId Id { get; }
    public int PairCount { get; }

    public FieldEnumerator GetEnumerator() => new(_lp, _valuesAt, PairCount, _masterFieldsAt);

    public ref struct FieldEnumerator
    {
        private readonly byte[] _lp;
        private int _left;
        private int _at;
        // Where the next field name is, in the master entry (SAMEFIELDS), or -1 when names precede values.
        private int _masterAt;
        private StreamField _current;

        internal FieldEnumerator(byte[] lp, int valuesAt, int pairs, int masterFieldsAt)
        {
            _lp = lp;
            _at = valuesAt;
            _left = pairs;
            _masterAt = masterFieldsAt;
        }

        public bool MoveNext()
        {
            if (_left-- <= 0) return false;
            ReadOnlySpan<byte> name;
            if (_masterAt >= 0)
            {
                name = StreamListpack.Text(_lp, _masterAt);
                _masterAt = StreamListpack.Next(_lp, _masterAt);
            }
            else
            {
                name = StreamListpack.Text(_lp, _at);
                _at = StreamListpack.Next(_lp, _at);
            }
            var value = StreamListpack.Text(_lp, _at);
            _at = StreamListpack.Next(_lp, _at);
            _current = new StreamField(name, value);
            return true;
        }

        public readonly StreamField Current => _current;
    }
}

/// <summary>A field and its value in a <see cref="StreamEntry"/>.</summary>
public readonly ref struct StreamField(ReadOnlySpan<byte> name, ReadOnlySpan<byte> value)
{
    public ReadOnlySpan<byte> Name { get; } = name;
    public ReadOnlySpan<byte> Value { get; } = value;
}
