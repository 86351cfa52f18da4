using System.Buffers.Binary;

namespace AkkaRedis.Actors.Storage.Rdb;

/// <summary>
/// Streams in RDB (issue 12), as rdb.c's rdbSaveObject / rdbLoadObject stream branches: Redis 7.0 writes
/// RDB_TYPE_STREAM_LISTPACKS_2 (the rax of listpacks in Redis's own master-entry layout, then the 7.0 metadata, then
/// the consumer groups with their PEL and consumers); loading also accepts RDB_TYPE_STREAM_LISTPACKS (Redis 5-6.2)
/// and RDB_TYPE_STREAM_LISTPACKS_3 (7.2).
/// </summary>
/// <remarks>
/// A <see cref="RedisStream"/> keeps its nodes as Redis's listpack bytes already, cut where streamAppendItem cuts
/// them, so saving writes each node's bytes as they are and loading adopts the listpacks it read (after checking
/// them: every later read of the stream trusts their layout).
/// </remarks>
public static class RdbStream
{
    /// <summary>streamID as a rax key: ms then seq, 64-bit big endian each.</summary>
    private const int RawIdSize = 16;

    // ---- saving ----

    /// <summary>The value of a stream key after its type byte (rdbSaveObject's stream branch, type 19).</summary>
    public static void Write(RdbWriter writer, RedisStream stream, bool compress)
    {
        Span<byte> rawId = stackalloc byte[RawIdSize];
        writer.WriteLength((ulong)stream.NodeCount);
        for (var i = 0; i < stream.NodeCount; i++)
        {
            var lp = stream.Node(i, out var master);
            EncodeId(master, rawId);
            writer.WriteString(rawId, compress);
            writer.WriteString(lp, compress);
        }

        writer.WriteLength((ulong)stream.Length);
        WriteId(writer, stream.LastId);
        WriteId(writer, stream.FirstId);
        WriteId(writer, stream.MaxDeletedId);
        writer.WriteLength(stream.EntriesAdded);

        var groups = stream.Groups;
        writer.WriteLength((ulong)(groups?.Count ?? 0));
        if (groups == null) return;
        for (var g = 0; g < groups.Count; g++)
        {
            var group = groups[g];
            writer.WriteString(group.Name, compress);
            WriteId(writer, group.LastId);
            // entries_read goes out as an unsigned length: the unknown counter (-1) becomes 2^64-1, read back as -1.
            writer.WriteLength(unchecked((ulong)group.EntriesRead));

            // rdbSaveStreamPEL(cg->pel, nacks=1): raw ID, delivery time, delivery count; no owner (the consumers'
            // PELs below name their entries and the loader links them).
            writer.WriteLength((ulong)group.Pending.Count);
            foreach (var nack in group.Pending)
            {
                EncodeId(nack.Id, rawId);
                writer.WriteBytes(rawId);
                writer.WriteInt64(nack.DeliveryTime);
                writer.WriteLength(unchecked((ulong)nack.DeliveryCount));
            }

            // rdbSaveStreamConsumers: name, seen time, and the consumer's PEL as raw IDs only (nacks=0).
            writer.WriteLength((ulong)group.ConsumerCount);
            for (var c = 0; c < group.ConsumerCount; c++)
            {
                var consumer = group.Consumer(c);
                writer.WriteString(consumer.Name, compress);
                writer.WriteInt64(consumer.SeenTime);
                writer.WriteLength((ulong)consumer.Pending.Count);
                foreach (var nack in consumer.Pending)
                {
                    EncodeId(nack.Id, rawId);
                    writer.WriteBytes(rawId);
                }
            }
        }
    }

    private static void WriteId(RdbWriter writer, StreamId id)
    {
        writer.WriteLength(id.Ms);
        writer.WriteLength(id.Seq);
    }

    /// <summary>streamEncodeID: the 16-byte big-endian key a rax holds an ID under.</summary>
    private static void EncodeId(StreamId id, Span<byte> destination)
    {
        BinaryPrimitives.WriteUInt64BigEndian(destination, id.Ms);
        BinaryPrimitives.WriteUInt64BigEndian(destination[8..], id.Seq);
    }

    private static StreamId DecodeId(ReadOnlySpan<byte> raw) =>
        new(BinaryPrimitives.ReadUInt64BigEndian(raw), BinaryPrimitives.ReadUInt64BigEndian(raw[8..]));

    // ---- loading ----

    /// <summary>A stream value of RDB type <paramref name="type"/> (rdbLoadObject's stream branch).</summary>
    public static RedisStream Read(ref RdbReader reader, byte type)
    {
        if (type is not (RdbFormat.TypeStreamListpacks or RdbFormat.TypeStreamListpacks2 or RdbFormat.TypeStreamListpacks3))
            throw new RdbFormatException($"Unknown RDB encoding type {type}");

        var nodeCount = reader.ReadLength(out var encoded);
        if (encoded) throw new RdbFormatException("Stream listpacks len loading failed.");
        // Each node takes at least 17 bytes of input (16-byte key and its length): a count beyond what is left is a
        // corrupt payload, not a reason to allocate.
        if (nodeCount > (ulong)reader.Remaining) throw RdbReader.Truncated();
        var masters = new StreamId[Math.Max(4, (int)nodeCount)];
        var nodes = new byte[masters.Length][];
        long valid = 0;
        StreamId? lastLive = null;
        for (var i = 0; i < (int)nodeCount; i++)
        {
            var key = reader.ReadStringSpan();
            if (key.Length != RawIdSize) throw new RdbFormatException("Stream node key entry is not the size of a stream ID");
            var master = DecodeId(key);
            // The rax keeps its keys in order and unique: a saved rax lists them ascending.
            if (i > 0 && master <= masters[i - 1]) throw new RdbFormatException("Listpack re-added with existing key or out of order");
            // The listpack is kept as the node: an array of its own.
            var lp = reader.ReadString();
            valid += ValidateNode(lp, master, ref lastLive);
            masters[i] = master;
            nodes[i] = lp;
        }

        var length = ReadLong(ref reader);
        var lastId = ReadId(ref reader);
        StreamId? firstId;
        StreamId maxDeletedId;
        ulong entriesAdded;
        if (type != RdbFormat.TypeStreamListpacks)
        {
            firstId = ReadId(ref reader);
            maxDeletedId = ReadId(ref reader);
            entriesAdded = ReadULong(ref reader);
        }
        else
        {
            // A 5.0-6.2 stream has no 7.0 counters: as Redis does on load, every entry counts as added, no tombstone
            // is known, and the first ID is computed from the entries.
            maxDeletedId = StreamId.Min;
            entriesAdded = (ulong)length;
            firstId = null;
        }
        if (length != valid) throw new RdbFormatException("Stream length inconsistent with rax entries");
        if (lastLive > lastId) throw new RdbFormatException("Stream last ID smaller than its last entry");

        var stream = RedisStream.FromNodes(masters, nodes, (int)nodeCount, length, lastId, firstId, maxDeletedId, entriesAdded);

        ReadGroups(ref reader, type, stream);
        return stream;
    }

    private static void ReadGroups(ref RdbReader reader, byte type, RedisStream stream)
    {
        var groupCount = ReadULong(ref reader);
        if (groupCount == 0) return;
        var groups = stream.Groups = new StreamGroups();
        for (ulong g = 0; g < groupCount; g++)
        {
            // Names are copied by the group and consumer tables: read in place.
            var name = reader.ReadStringSpan();
            var lastId = ReadId(ref reader);
            // Before 7.0 groups had no read counter: Redis estimates it from the group's last ID.
            var entriesRead = type == RdbFormat.TypeStreamListpacks
                ? stream.EstimateDistanceFromFirstEverEntry(lastId)
                : unchecked((long)ReadULong(ref reader));
            var group = groups.TryCreate(name, lastId, entriesRead)
                ?? throw new RdbFormatException($"Duplicated consumer group name {CString(name)}");

            // The group's PEL: owners are unknown until the consumers' PELs are read.
            var pelSize = ReadULong(ref reader);
            for (ulong n = 0; n < pelSize; n++)
            {
                var id = DecodeId(reader.ReadBytes(RawIdSize));
                var deliveryTime = reader.ReadInt64();
                var deliveryCount = unchecked((long)ReadULong(ref reader));
                if (group.Pending.TryGet(id, out _)) throw new RdbFormatException("Duplicated global PEL entry loading stream consumer group");
                group.Pending.Add(new StreamNack(id, deliveryTime, deliveryCount, null));
            }

            var consumerCount = ReadULong(ref reader);
            for (ulong c = 0; c < consumerCount; c++)
            {
                var consumerName = reader.ReadStringSpan();
                var seenTime = reader.ReadInt64();
                // 7.2 adds active-time; 7.0 has no such field (XINFO's idle is from seen-time), so it is skipped.
                if (type == RdbFormat.TypeStreamListpacks3) reader.ReadInt64();
                var consumer = group.TryCreateConsumer(consumerName, seenTime)
                    ?? throw new RdbFormatException("Duplicate stream consumer detected.");
                var owned = ReadULong(ref reader);
                for (ulong n = 0; n < owned; n++)
                {
                    var id = DecodeId(reader.ReadBytes(RawIdSize));
                    if (!group.Pending.TryGet(id, out var nack)) throw new RdbFormatException("Consumer entry not found in group global PEL");
                    // Redis would let a later consumer take the NACK over and leave it in both PELs; one owner is
                    // what every PEL operation here relies on.
                    if (nack.Consumer != null) throw new RdbFormatException("Duplicated consumer PEL entry loading a stream consumer group");
                    nack.Consumer = consumer;
                    consumer.Pending.Add(nack);
                }
            }

            // Redis checks this only with sanitize-dump-payload; a NACK without an owner breaks XCLAIM, XPENDING and
            // XINFO here, so it is always refused.
            foreach (var nack in group.Pending)
                if (nack.Consumer == null) throw new RdbFormatException("Stream CG PEL entry without consumer");
        }
    }

    private static StreamId ReadId(ref RdbReader reader)
    {
        var ms = ReadULong(ref reader);
        return new StreamId(ms, ReadULong(ref reader));
    }

    /// <summary>rdbLoadLen for a plain number (no string encoding).</summary>
    private static ulong ReadULong(ref RdbReader reader)
    {
        var value = reader.ReadLength(out var encoded);
        if (encoded) throw new RdbFormatException("Stream object metadata loading failed.");
        return value;
    }

    private static long ReadLong(ref RdbReader reader)
    {
        var value = ReadULong(ref reader);
        if (value > long.MaxValue) throw new RdbFormatException("Stream object metadata loading failed.");
        return (long)value;
    }

    private static string CString(ReadOnlySpan<byte> name) => System.Text.Encoding.UTF8.GetString(name);

    // ---- listpack checks ----

    /// <summary>STREAM_ITEM_FLAG_DELETED | STREAM_ITEM_FLAG_SAMEFIELDS: the only flags an entry can have.</summary>
    private const long KnownFlags = 3, FlagDeleted = 1, FlagSameFields = 2;

    /// <summary>
    /// streamValidateListpackIntegrity with deep checks, and the order streamAppendItem guarantees: the listpack's
    /// header and every element are well formed; the master entry (live count, deleted count, fields, 0 terminator)
    /// is followed by exactly live + deleted entries, each with known flags, a field count unless it has the master's
    /// fields, its values and an lp-count that matches; no entry is below the node's master ID and the live entries
    /// ascend, across nodes too (<paramref name="lastLive"/>, updated); the flags agree with the counts and at least
    /// one entry is live (an empty node is removed, never saved). Deleted entries need not ascend: XSETID may set the
    /// last ID below a tombstone still in its node, and the next XADD lands after it. Numbers must be
    /// integer-encoded, as lpAppendInteger writes them. Returns the node's live entries.
    /// </summary>
    private static long ValidateNode(byte[] lp, StreamId master, ref StreamId? lastLive)
    {
        var walker = new NodeWalker(lp);
        var liveCount = walker.Integer();
        var deletedCount = walker.Integer();
        var masterFields = walker.Integer();
        if (liveCount < 1 || deletedCount < 0 || masterFields < 0) throw Corrupt();
        for (var i = 0; i < masterFields; i++) walker.Skip();
        if (walker.Integer() != 0) throw Corrupt();

        long live = 0, deleted = 0;
        for (var n = liveCount + deletedCount; n > 0; n--)
        {
            var flags = walker.Integer();
            if ((flags & ~KnownFlags) != 0) throw Corrupt();
            var id = new StreamId(master.Ms + unchecked((ulong)walker.Integer()), master.Seq + unchecked((ulong)walker.Integer()));
            if (id < master) throw new RdbFormatException("Stream entry IDs out of order");
            long fields = masterFields, extra = 3;
            if ((flags & FlagSameFields) == 0)
            {
                fields = walker.Integer();
                if (fields < 0) throw Corrupt();
                for (var i = 0; i < fields; i++) walker.Skip();
                extra += fields + 1;
            }
            for (var i = 0; i < fields; i++) walker.Skip();
            if (walker.Integer() != fields + extra) throw Corrupt();
            if ((flags & FlagDeleted) != 0)
            {
                deleted++;
                continue;
            }
            if (lastLive is { } previous && id <= previous) throw new RdbFormatException("Stream entry IDs out of order");
            lastLive = id;
            live++;
        }
        if (!walker.Finished() || live != liveCount || deleted != deletedCount) throw Corrupt();
        walker.CheckCount();
        return live;
    }

    private static RdbFormatException Corrupt() => new("Stream listpack integrity check failed.");

    /// <summary>The node's elements in order through <see cref="RedisListpackReader"/> (bounds and back-lengths
    /// checked as lpValidateNext does), counted for the header check.</summary>
    private ref struct NodeWalker
    {
        private RedisListpackReader _reader;
        private int _elements;

        public NodeWalker(byte[] lp)
        {
            try
            {
                _reader = new RedisListpackReader(lp);
            }
            catch (RdbFormatException)
            {
                throw Corrupt();
            }
            if (lp.Length == RedisListpack.HeaderSize + 1) throw new RdbFormatException("Empty listpack inside stream");
        }

        /// <summary>Whether the listpack ends here (the end byte, and nothing after it).</summary>
        public bool Finished() => !Next();

        private bool Next()
        {
            if (!_reader.MoveNext()) return false;
            _elements++;
            return true;
        }

        public void Skip()
        {
            if (!Next()) throw Corrupt();
        }

        /// <summary>An integer element (stream counters, flags, deltas are always integer-encoded).</summary>
        public long Integer()
        {
            if (!Next() || !_reader.IsInteger) throw Corrupt();
            return _reader.Integer;
        }

        /// <summary>The header's element count, unless it saturated (LP_HDR_NUMELE_UNKNOWN), is the real one.</summary>
        public readonly void CheckCount()
        {
            if (_reader.HeaderCount != RedisListpack.UnknownCount && _reader.HeaderCount != _elements) throw Corrupt();
        }
    }
}
