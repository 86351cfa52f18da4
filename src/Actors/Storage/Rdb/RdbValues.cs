using System.Buffers.Binary;
using AkkaRedis.Net.Resp;

namespace AkkaRedis.Actors.Storage.Rdb;

/// <summary>How values are saved: <paramref name="Compress"/> = rdbcompression; <paramref name="Now"/> for the LRU
/// idle time; <paramref name="SaveLru"/> / <paramref name="SaveLfu"/> as maxmemory-policy's MAXMEMORY_FLAG_LRU /
/// _LFU; <paramref name="ListFill"/> = list-max-listpack-size (how lists are cut into quicklist nodes).</summary>
public readonly record struct RdbSaveOptions(bool Compress, long Now, bool SaveLru, bool SaveLfu, int ListFill = -2);

/// <summary>The encoding thresholds a loaded value is converted by (hash-max-listpack-entries/-value,
/// set-max-intset-entries, zset-max-listpack-entries/-value), so OBJECT ENCODING after a load equals Redis's.</summary>
public readonly record struct RdbLoadLimits(
    int HashMaxListpackEntries, int HashMaxListpackValue, long SetMaxIntsetEntries, int ZsetMaxListpackEntries, int ZsetMaxListpackValue)
{
    /// <summary>Redis 7.0's defaults.</summary>
    public static RdbLoadLimits Default => new(512, 64, 512, 128, 64);
}

/// <summary>
/// One loaded value (rdbLoadObject's robj): its type and encoding (ours, chosen by Redis's rules) and the string's
/// bytes or integer, or the collection object, ready to be stored under a key.
/// </summary>
public readonly struct RdbValue
{
    public RedisType Type { get; }
    public ObjectEncoding Encoding { get; }
    /// <summary>A string's bytes (null for an integer string), or the collection object.</summary>
    public object? Object { get; }
    public long Integer { get; }
    public bool IsInteger { get; }

    private RdbValue(RedisType type, ObjectEncoding encoding, object? obj, long integer, bool isInteger)
    {
        Type = type;
        Encoding = encoding;
        Object = obj;
        Integer = integer;
        IsInteger = isInteger;
    }

    public static RdbValue String(byte[] bytes) => new(RedisType.String, RedisObject.StringEncodingOf(bytes), bytes, 0, false);
    public static RdbValue Int(long value) => new(RedisType.String, ObjectEncoding.Int, null, value, true);
    public static RdbValue Collection(RedisType type, ObjectEncoding encoding, object value) => new(type, encoding, value, 0, false);

    /// <summary>dbAdd / dbOverwrite: stores the value under <paramref name="key"/> (any old value and its TTL go;
    /// callers that must not replace check first, as RESTORE's BUSYKEY does). Strings take the encoding Redis's
    /// tryObjectEncoding gives a loaded string (int when canonical, embstr up to 44 bytes, raw).</summary>
    public KeyEntry StoreIn(Database db, ReadOnlySpan<byte> key, long now, bool replace)
    {
        if (Type != RedisType.String) return db.SetValue(key, Type, Encoding, Object!, now);
        return IsInteger ? db.SetInt(key, Integer, now) : db.SetString(key, (byte[])Object!, now);
    }
}

/// <summary>
/// Redis 7.0's value encodings in RDB and DUMP payloads (rdbSaveObject / rdbLoadObject), for every type but
/// streams (<see cref="RdbStream"/>). Writes what 7.0 writes: strings (integers as integers, LZF when asked),
/// lists as RDB_TYPE_LIST_QUICKLIST_2 cut into nodes as the quicklist would be, hashes and zsets as listpacks when
/// small, intsets. Reads everything 7.0 loads (also the ziplist/zipmap/quicklist-v1/ZSET-v1 encodings of older
/// RDBs, and 7.2's set listpack) and converts by the configured thresholds as rdbLoadObject does.
/// </summary>
public static class RdbValues
{
    /// <summary>packed_threshold: elements this long get a plain quicklist node of their own (7.0's default 1 GB).</summary>
    public const long PackedThreshold = 1L << 30;

    [ThreadStatic] private static RedisListpackWriter? _listpack;

    private static RedisListpackWriter ListpackWriter()
    {
        var lp = _listpack ??= new RedisListpackWriter();
        lp.Clear();
        return lp;
    }

    // ---- writing ------------------------------------------------------------------------------------------------

    /// <summary>rdbSaveKeyValuePair: [EXPIRETIME_MS ms] [IDLE secs] [FREQ f] type key value.</summary>
    public static void WriteKeyRecord(RdbWriter w, KeyEntry entry, in RdbSaveOptions options)
    {
        if (entry.HasExpire)
        {
            w.WriteByte(RdbFormat.OpExpireTimeMs);
            w.WriteInt64(entry.ExpireAt);
        }
        if (options.SaveLru)
        {
            w.WriteByte(RdbFormat.OpIdle);
            w.WriteLength((ulong)entry.IdleSeconds(options.Now));
        }
        if (options.SaveLfu)
        {
            w.WriteByte(RdbFormat.OpFreq);
            w.WriteByte((byte)LfuCounter(entry, options.Now));
        }
        w.WriteByte(TypeOf(entry));
        w.WriteString(entry.Key, options.Compress);
        WriteBody(w, entry, options.Compress, options.ListFill);
    }

    /// <summary>rdbSaveObjectType + rdbSaveObject: the type byte and the value (a DUMP payload's body).</summary>
    public static void WriteValue(RdbWriter w, KeyEntry entry, bool compress, int listFill = -2)
    {
        w.WriteByte(TypeOf(entry));
        WriteBody(w, entry, compress, listFill);
    }

    /// <summary>The access-frequency counter saved for LFU policies (LFUDecrAndReturn). Frequency is not tracked
    /// here: a new key's LFU_INIT_VAL decayed by one per idle minute (lfu-decay-time's default), as OBJECT FREQ
    /// reports it.</summary>
    public static int LfuCounter(KeyEntry entry, long now) => (int)Math.Max(0, 5 - entry.IdleSeconds(now) / 60);

    /// <summary>rdbSaveObjectType: the RDB type of the value's current encoding.</summary>
    public static byte TypeOf(KeyEntry entry) => entry.Type switch
    {
        RedisType.String => RdbFormat.TypeString,
        RedisType.List => RdbFormat.TypeListQuicklist2,
        RedisType.Set => entry.Encoding == ObjectEncoding.IntSet ? RdbFormat.TypeSetIntset : RdbFormat.TypeSet,
        RedisType.ZSet => entry.Value is byte[] ? RdbFormat.TypeZSetListpack : RdbFormat.TypeZSet2,
        RedisType.Hash => entry.Value is byte[] ? RdbFormat.TypeHashListpack : RdbFormat.TypeHash,
        RedisType.Stream => RdbFormat.TypeStreamListpacks2,
        _ => throw new InvalidOperationException($"No RDB type for {entry.Type}"),
    };

    private static void WriteBody(RdbWriter w, KeyEntry entry, bool compress, int listFill)
    {
        switch (entry.Type)
        {
            case RedisType.String:
                if (entry.IsInt) w.WriteLongString(entry.IntValue);
                else w.WriteString(entry.RawBytes, compress);
                break;
            case RedisType.List:
                WriteQuicklist(w, entry.As<RedisList>(), compress, listFill);
                break;
            case RedisType.Set:
                WriteSet(w, SetValue.Of(entry), compress);
                break;
            case RedisType.ZSet:
                if (entry.Value is byte[] zlp) WriteListpackOf(w, zlp, compress);
                else WriteSkipList(w, (RedisSortedSet)entry.Value, compress);
                break;
            case RedisType.Hash:
                if (entry.Value is byte[] hlp) WriteListpackOf(w, hlp, compress);
                else WriteHashTable(w, (MemberTable<byte[]>)entry.Value, compress);
                break;
            case RedisType.Stream:
                RdbStream.Write(w, entry.As<RedisStream>(), compress);
                break;
        }
    }

    /// <summary>Our listpack's entries as Redis's listpack bytes, saved as one string (hash/zset listpacks: the
    /// entries are field/value or member/score-text pairs, the score text being d2string's as zzlInsertAt's).</summary>
    private static void WriteListpackOf(RdbWriter w, byte[] ours, bool compress)
    {
        var lp = ListpackWriter();
        foreach (var e in Listpack.Entries(ours)) lp.Append(e);
        lp.WriteTo(w, compress);
    }

    /// <summary>RDB_TYPE_HASH: the pair count, then each field and value as a string, in table order.</summary>
    private static void WriteHashTable(RdbWriter w, MemberTable<byte[]> table, bool compress)
    {
        w.WriteLength((ulong)table.Count);
        foreach (var (field, value) in table)
        {
            w.WriteString(field, compress);
            w.WriteString(value, compress);
        }
    }

    /// <summary>RDB_TYPE_ZSET_2: the count, then member and binary score from the greatest to the smallest, as
    /// rdbSaveObject walks the skip list backwards (so loading inserts at the head).</summary>
    private static void WriteSkipList(RdbWriter w, RedisSortedSet set, bool compress)
    {
        w.WriteLength((ulong)set.Count);
        for (var node = set.Last; node != null; node = node.Backward)
        {
            w.WriteString(node.Member, compress);
            w.WriteBinaryDouble(node.Score);
        }
    }

    /// <summary>RDB_TYPE_SET_INTSET (the intset blob as a string: u32 width, u32 count, the values, which is our
    /// layout after its one-byte width) or RDB_TYPE_SET (the count, then each member as a string).</summary>
    private static void WriteSet(RdbWriter w, SetValue set, bool compress)
    {
        if (set.IsIntSet)
        {
            var ours = (byte[])set.Value;
            var width = IntSet.Width(ours);
            var blob = new byte[8 + ours.Length - 1];
            BinaryPrimitives.WriteUInt32LittleEndian(blob, (uint)width);
            BinaryPrimitives.WriteUInt32LittleEndian(blob.AsSpan(4), (uint)IntSet.Count(ours));
            ours.AsSpan(1).CopyTo(blob.AsSpan(8));
            w.WriteString(blob, compress);
            return;
        }
        w.WriteLength((ulong)set.Count);
        foreach (var member in set)
        {
            if (member.IsInteger) w.WriteLongString(member.Integer);
            else w.WriteString(member.Bytes, compress);
        }
    }

    /// <summary>RDB_TYPE_LIST_QUICKLIST_2: the node count, then per node its container (2 = packed listpack,
    /// 1 = plain element) and its bytes as a string. The list is cut into nodes as quicklistPushTail would cut it
    /// (list-max-listpack-size), so a list built by RPUSH dumps byte for byte as Redis's.</summary>
    private static void WriteQuicklist(RdbWriter w, RedisList list, bool compress, int fill)
    {
        // First pass: node boundaries (count the nodes, which come first).
        var nodes = 0;
        ForEachNode(list, fill, (_, _, _) => nodes++);
        w.WriteLength((ulong)nodes);
        var lp = ListpackWriter();
        ForEachNode(list, fill, (start, count, plain) =>
        {
            if (plain)
            {
                w.WriteLength(RdbFormat.QuicklistNodePlain);
                w.WriteString(list[start], compress);
                return;
            }
            w.WriteLength(RdbFormat.QuicklistNodePacked);
            lp.Clear();
            for (var i = start; i < start + count; i++) lp.Append(list[i]);
            lp.WriteTo(w, compress);
        });
    }

    /// <summary>Calls <paramref name="node"/> with (first index, element count, plain) for each quicklist node the
    /// list would have if built by pushes at the tail.</summary>
    public static void ForEachNode(RedisList list, int fill, Action<int, int, bool> node)
    {
        long size = 0;
        var count = 0;
        var start = 0;
        for (var i = 0; i < list.Count; i++)
        {
            var element = list[i];
            if (element.Length >= PackedThreshold)
            {
                if (count > 0) node(start, count, false);
                node(i, 1, true);
                count = 0;
                continue;
            }
            if (count > 0 && !QuicklistAllowInsert(size, count, fill, element.Length))
            {
                node(start, count, false);
                count = 0;
            }
            if (count == 0)
            {
                start = i;
                size = 7; // an empty listpack: header and terminator
            }
            size += ListpackEntrySize(element);
            count++;
        }
        if (count > 0) node(start, count, false);
    }

    private static readonly long[] OptimizationLevel = [4096, 8192, 16384, 32768, 65536];

    /// <summary>_quicklistNodeAllowInsert (7.0): may an element of <paramref name="elementLength"/> bytes join a
    /// node of <paramref name="nodeBytes"/> listpack bytes and <paramref name="nodeCount"/> elements? The new size
    /// is estimated as node size + element length + SIZE_ESTIMATE_OVERHEAD (8); quicklistNodeExceedsLimit: a
    /// negative fill is a size class (beyond -5 the largest), a positive one a count (0 means 1) under
    /// SIZE_SAFETY_LIMIT.</summary>
    public static bool QuicklistAllowInsert(long nodeBytes, long nodeCount, int fill, long elementLength)
    {
        if (elementLength >= PackedThreshold) return false;
        var newSize = nodeBytes + elementLength + 8;
        if (fill < 0)
        {
            var level = Math.Min(-(long)fill - 1, OptimizationLevel.Length - 1);
            return newSize <= OptimizationLevel[level];
        }
        if (newSize > 8192) return false; // SIZE_SAFETY_LIMIT
        return nodeCount + 1 <= (fill == 0 ? 1 : fill);
    }

    /// <summary>lpBytes of the Redis listpack holding our listpack's entries: the 6 header bytes, each entry as
    /// lpAppend encodes it, the end byte.</summary>
    public static long RedisListpackBytes(byte[] ours)
    {
        long bytes = RedisListpack.HeaderSize + 1;
        foreach (var entry in Listpack.Entries(ours)) bytes += ListpackEntrySize(entry);
        return bytes;
    }

    /// <summary>An entry's bytes in a Redis listpack (encoding, data and backlen), as lpAppend would encode it.</summary>
    public static long ListpackEntrySize(ReadOnlySpan<byte> element)
    {
        long encoded;
        if (element.Length <= 20 && RedisNumbers.TryParseLong(element, out var v))
        {
            encoded = v is >= 0 and <= 127 ? 1
                : v is >= -4096 and <= 4095 ? 2
                : v is >= short.MinValue and <= short.MaxValue ? 3
                : v is >= -8388608 and <= 8388607 ? 4
                : v is >= int.MinValue and <= int.MaxValue ? 5 : 9;
        }
        else encoded = (element.Length < 64 ? 1 : element.Length < 4096 ? 2 : 5) + element.Length;
        return encoded + RedisListpack.BacklenSize((int)Math.Min(encoded, int.MaxValue));
    }

    // ---- reading ------------------------------------------------------------------------------------------------

    /// <summary>rdbLoadObject with Redis 7.0's default thresholds.</summary>
    public static RdbValue ReadValue(ref RdbReader r, byte type) => ReadValue(ref r, type, RdbLoadLimits.Default);

    /// <summary>rdbLoadObject: a value of RDB type <paramref name="type"/>, converted by <paramref name="limits"/>.
    /// Throws <see cref="RdbEmptyKeyException"/> for an empty collection and <see cref="RdbFormatException"/> for
    /// anything corrupt.</summary>
    public static RdbValue ReadValue(ref RdbReader r, byte type, in RdbLoadLimits limits)
    {
        switch (type)
        {
            case RdbFormat.TypeString:
                return r.ReadStringOrInteger(out var bytes, out var integer) ? RdbValue.String(bytes.ToArray()) : RdbValue.Int(integer);
            case RdbFormat.TypeList:
                return ReadPlainList(ref r);
            case RdbFormat.TypeListQuicklist:
            case RdbFormat.TypeListQuicklist2:
                return ReadQuicklist(ref r, type == RdbFormat.TypeListQuicklist2);
            case RdbFormat.TypeListZiplist:
            {
                var list = new RedisList();
                AppendZiplist(r.ReadStringSpan(), list);
                return NonEmptyList(list);
            }
            case RdbFormat.TypeSet:
                return ReadPlainSet(ref r, limits);
            case RdbFormat.TypeSetIntset:
                return ReadIntset(r.ReadStringSpan(), limits);
            case RdbFormat.TypeSetListpack:
            {
                var members = new List<byte[]>();
                Span<byte> scratch = stackalloc byte[24];
                var reader = new RedisListpackReader(r.ReadStringSpan());
                while (reader.MoveNext()) members.Add(reader.AsBytes(scratch).ToArray());
                return BuildSet(members, limits);
            }
            case RdbFormat.TypeZSet:
            case RdbFormat.TypeZSet2:
                return ReadPlainZSet(ref r, type == RdbFormat.TypeZSet2, limits);
            case RdbFormat.TypeZSetZiplist:
            case RdbFormat.TypeZSetListpack:
                return ReadPackedZSet(r.ReadStringSpan(), type == RdbFormat.TypeZSetListpack, limits);
            case RdbFormat.TypeHash:
                return ReadPlainHash(ref r, limits);
            case RdbFormat.TypeHashZipmap:
                return BuildHash(ReadZipmap(r.ReadStringSpan()), limits, checkValues: true);
            case RdbFormat.TypeHashZiplist:
            case RdbFormat.TypeHashListpack:
                return BuildHash(ReadPacked(r.ReadStringSpan(), type == RdbFormat.TypeHashListpack, "Hash"), limits,
                    checkValues: type == RdbFormat.TypeHashZiplist);
            case RdbFormat.TypeStreamListpacks:
            case RdbFormat.TypeStreamListpacks2:
            case RdbFormat.TypeStreamListpacks3:
                return RdbValue.Collection(RedisType.Stream, ObjectEncoding.Stream, RdbStream.Read(ref r, type));
            case RdbFormat.TypeModulePreGa:
            case RdbFormat.TypeModule2:
                throw new RdbFormatException("The RDB file contains module data I can't load: no matching module");
            default:
                throw new RdbFormatException($"Unknown RDB encoding type {type}");
        }
    }

    /// <summary>The loader's fast path: a string value goes straight from the input into the key's slot (no
    /// intermediate array); other types through <see cref="ReadValue(ref RdbReader, byte, in RdbLoadLimits)"/>.</summary>
    public static KeyEntry ReadInto(ref RdbReader r, byte type, Database db, ReadOnlySpan<byte> key, long now, in RdbLoadLimits limits)
    {
        if (type != RdbFormat.TypeString) return ReadValue(ref r, type, limits).StoreIn(db, key, now, replace: true);
        return r.ReadStringOrInteger(out var bytes, out var integer) ? db.SetString(key, bytes, now) : db.SetInt(key, integer, now);
    }

    /// <summary>A collection's declared length, refused when the input cannot hold that many elements (each takes
    /// at least one byte), so a corrupt length never makes us allocate or loop beyond the input.</summary>
    private static int ReadCount(ref RdbReader r, int bytesPerElement)
    {
        var count = r.ReadLength();
        if (count == 0) throw new RdbEmptyKeyException();
        if ((long)count * bytesPerElement > r.Remaining) throw RdbReader.Truncated();
        return count;
    }

    // Lists.

    private static RdbValue NonEmptyList(RedisList list) =>
        list.Count == 0 ? throw new RdbEmptyKeyException() : RdbValue.Collection(RedisType.List, ObjectEncoding.QuickList, list);

    private static RdbValue ReadPlainList(ref RdbReader r)
    {
        var count = ReadCount(ref r, 1);
        var list = new RedisList(count);
        for (var i = 0; i < count; i++) list.PushTail(r.ReadString());
        return NonEmptyList(list);
    }

    /// <summary>RDB_TYPE_LIST_QUICKLIST (nodes are ziplists) and _2 (each node has a container: plain element or
    /// listpack). Empty nodes are skipped, as Redis does; an empty list in the end is an empty key.</summary>
    private static RdbValue ReadQuicklist(ref RdbReader r, bool v2)
    {
        var nodes = ReadCount(ref r, 2);
        var list = new RedisList();
        for (var n = 0; n < nodes; n++)
        {
            var container = RdbFormat.QuicklistNodePacked;
            if (v2)
            {
                var c = r.ReadLength();
                if (c != RdbFormat.QuicklistNodePacked && c != RdbFormat.QuicklistNodePlain)
                    throw new RdbFormatException("Quicklist integrity check failed.");
                container = c;
            }
            if (container == RdbFormat.QuicklistNodePlain)
            {
                list.PushTail(r.ReadString());
                continue;
            }
            var blob = r.ReadStringSpan();
            if (v2)
            {
                var reader = new RedisListpackReader(blob);
                Span<byte> scratch = stackalloc byte[24];
                while (reader.MoveNext()) list.PushTail(reader.AsBytes(scratch).ToArray());
            }
            else AppendZiplist(blob, list);
        }
        return NonEmptyList(list);
    }

    private static void AppendZiplist(ReadOnlySpan<byte> zl, RedisList list)
    {
        var reader = new RedisZiplistReader(zl);
        Span<byte> scratch = stackalloc byte[24];
        while (reader.MoveNext()) list.PushTail(reader.AsBytes(scratch).ToArray());
    }

    // Sets.

    private static RdbValue ReadPlainSet(ref RdbReader r, in RdbLoadLimits limits)
    {
        var count = ReadCount(ref r, 1);
        var members = new List<byte[]>(count);
        for (var i = 0; i < count; i++) members.Add(r.ReadString());
        return BuildSet(members, limits);
    }

    /// <summary>RDB_TYPE_SET loading: an intset while every member is an integer and there are at most
    /// set-max-intset-entries, else a hashtable (here its small form, a listpack, when it fits). Duplicates are
    /// corrupt ("Duplicate set members detected").</summary>
    private static RdbValue BuildSet(List<byte[]> members, in RdbLoadLimits limits)
    {
        if (members.Count == 0) throw new RdbEmptyKeyException();
        if (members.Count <= limits.SetMaxIntsetEntries)
        {
            var values = new long[members.Count];
            var allIntegers = true;
            for (var i = 0; i < values.Length && allIntegers; i++) allIntegers = RedisNumbers.TryParseLong(members[i], out values[i]);
            if (allIntegers)
            {
                Array.Sort(values);
                for (var i = 1; i < values.Length; i++)
                    if (values[i] == values[i - 1]) throw new RdbFormatException("Duplicate set members detected");
                var width = 2;
                foreach (var v in values) width = Math.Max(width, IntSet.WidthOf(v));
                return RdbValue.Collection(RedisType.Set, ObjectEncoding.IntSet, OurIntset(values, width));
            }
        }
        return HashTableSet(members);
    }

    private static RdbValue HashTableSet(List<byte[]> members)
    {
        var seen = new HashSet<byte[]>(members.Count, ByteArrayComparer.Instance);
        var small = members.Count <= SetValue.CompactMaxEntries;
        foreach (var m in members)
        {
            if (!seen.Add(m)) throw new RdbFormatException("Duplicate set members detected");
            if (m.Length > SetValue.CompactMaxMemberLength) small = false;
        }
        if (small) return RdbValue.Collection(RedisType.Set, ObjectEncoding.HashTable, Listpack.From(members));
        var set = new RedisSet(members.Count);
        foreach (var m in members) set.Add(m);
        return RdbValue.Collection(RedisType.Set, ObjectEncoding.HashTable, set);
    }

    /// <summary>Our intset layout: the width byte, then the values little endian.</summary>
    private static byte[] OurIntset(long[] sorted, int width)
    {
        var bytes = new byte[1 + sorted.Length * width];
        bytes[0] = (byte)width;
        var span = bytes.AsSpan(1);
        for (var i = 0; i < sorted.Length; i++)
        {
            switch (width)
            {
                case 2: BinaryPrimitives.WriteInt16LittleEndian(span[(i * 2)..], (short)sorted[i]); break;
                case 4: BinaryPrimitives.WriteInt32LittleEndian(span[(i * 4)..], (int)sorted[i]); break;
                default: BinaryPrimitives.WriteInt64LittleEndian(span[(i * 8)..], sorted[i]); break;
            }
        }
        return bytes;
    }

    /// <summary>RDB_TYPE_SET_INTSET: kept as it is (its width too, as Redis keeps the blob) unless it has more than
    /// set-max-intset-entries members, when it becomes a hashtable.</summary>
    private static RdbValue ReadIntset(ReadOnlySpan<byte> blob, in RdbLoadLimits limits)
    {
        var values = RedisIntsetFormat.Read(blob);
        if (values.Length > limits.SetMaxIntsetEntries)
        {
            var members = new List<byte[]>(values.Length);
            foreach (var v in values) members.Add(RedisNumbers.LongToBytes(v));
            return HashTableSet(members);
        }
        return RdbValue.Collection(RedisType.Set, ObjectEncoding.IntSet, OurIntset(values, (int)BinaryPrimitives.ReadUInt32LittleEndian(blob)));
    }

    // Sorted sets.

    private static RdbValue ReadPlainZSet(ref RdbReader r, bool binary, in RdbLoadLimits limits)
    {
        var count = ReadCount(ref r, 2);
        var items = new List<(byte[] Member, double Score)>(count);
        for (var i = 0; i < count; i++)
        {
            var member = r.ReadString();
            var score = binary ? r.ReadBinaryDouble() : r.ReadTextDouble();
            items.Add((member, score));
        }
        return BuildZSet(items, limits, sorted: false, checkValues: true);
    }

    private static RdbValue ReadPackedZSet(ReadOnlySpan<byte> blob, bool listpack, in RdbLoadLimits limits)
    {
        var entries = ReadPacked(blob, listpack, "Zset");
        var items = new List<(byte[] Member, double Score)>(entries.Count / 2);
        for (var i = 0; i < entries.Count; i += 2)
        {
            if (!RedisNumbers.TryParseDouble(entries[i + 1], out var score) && !TryParseNaN(entries[i + 1], out score))
                throw new RdbFormatException("Zset listpack integrity check failed.");
            items.Add((entries[i], score));
        }
        return BuildZSet(items, limits, sorted: true, checkValues: false);
    }

    private static bool TryParseNaN(ReadOnlySpan<byte> text, out double score)
    {
        score = double.NaN;
        return text.SequenceEqual("nan"u8) || text.SequenceEqual("-nan"u8);
    }

    /// <summary>zset loading: NaN scores and duplicate members are corrupt; a listpack when within
    /// zset-max-listpack-entries (and, for the plain encodings, every member within zset-max-listpack-value), else
    /// a skip list. A listpack input must already be in (score, member) order.</summary>
    private static RdbValue BuildZSet(List<(byte[] Member, double Score)> items, in RdbLoadLimits limits, bool sorted, bool checkValues)
    {
        if (items.Count == 0) throw new RdbEmptyKeyException();
        var maxLength = 0;
        foreach (var (member, score) in items)
        {
            if (double.IsNaN(score)) throw new RdbFormatException("Zset with NAN score detected");
            maxLength = Math.Max(maxLength, member.Length);
        }
        static int Compare((byte[] Member, double Score) a, (byte[] Member, double Score) b) =>
            a.Score != b.Score ? a.Score.CompareTo(b.Score) : a.Member.AsSpan().SequenceCompareTo(b.Member);
        if (sorted)
        {
            for (var i = 1; i < items.Count; i++)
                if (Compare(items[i - 1], items[i]) >= 0) throw new RdbFormatException("Zset listpack integrity check failed.");
        }
        else items.Sort(Compare);
        var members = new List<byte[]>(items.Count);
        foreach (var item in items) members.Add(item.Member);
        if (HasDuplicate(members, stride: 1)) throw new RdbFormatException("Duplicate zset fields detected");

        if (items.Count <= limits.ZsetMaxListpackEntries && (!checkValues || maxLength <= limits.ZsetMaxListpackValue))
        {
            var zitems = new List<ZItem>(items.Count);
            foreach (var (member, score) in items) zitems.Add(new ZItem(member, 0, member.Length, score));
            return RdbValue.Collection(RedisType.ZSet, ObjectEncoding.ListPack, ZSetListpack.FromSorted(zitems));
        }
        var set = new RedisSortedSet(items.Count);
        for (var i = items.Count - 1; i >= 0; i--) set.Add(items[i].Member, items[i].Score);
        return RdbValue.Collection(RedisType.ZSet, ObjectEncoding.SkipList, set);
    }

    // Hashes.

    private static RdbValue ReadPlainHash(ref RdbReader r, in RdbLoadLimits limits)
    {
        var count = ReadCount(ref r, 2);
        var entries = new List<byte[]>(count * 2);
        for (var i = 0; i < count; i++)
        {
            entries.Add(r.ReadString());
            entries.Add(r.ReadString());
        }
        return BuildHash(entries, limits, checkValues: true);
    }

    /// <summary>hash loading: duplicate fields are corrupt; a listpack when within hash-max-listpack-entries (and,
    /// for the plain, ziplist and zipmap encodings, every field and value within hash-max-listpack-value; a
    /// listpack input is only checked for its length, as 7.0 does), else a table.</summary>
    private static RdbValue BuildHash(List<byte[]> entries, in RdbLoadLimits limits, bool checkValues)
    {
        var pairs = entries.Count / 2;
        if (pairs == 0) throw new RdbEmptyKeyException();
        var small = pairs <= limits.HashMaxListpackEntries;
        if (small && checkValues)
            foreach (var e in entries)
                if (e.Length > limits.HashMaxListpackValue) { small = false; break; }
        if (small)
        {
            if (HasDuplicate(entries, stride: 2)) throw new RdbFormatException("Duplicate hash fields detected");
            return RdbValue.Collection(RedisType.Hash, ObjectEncoding.ListPack, Listpack.From(entries));
        }
        var table = new MemberTable<byte[]>(pairs);
        for (var i = 0; i < entries.Count; i += 2)
            if (!table.Add(entries[i], entries[i + 1])) throw new RdbFormatException("Duplicate hash fields detected");
        return RdbValue.Collection(RedisType.Hash, ObjectEncoding.HashTable, table);
    }

    /// <summary>Whether two of the entries at 0, stride, 2*stride... are equal: pairwise for the few entries of a
    /// listpack (no allocation per loaded key), a hash set beyond that.</summary>
    private static bool HasDuplicate(List<byte[]> entries, int stride)
    {
        var count = (entries.Count + stride - 1) / stride;
        if (count <= 32)
        {
            for (var i = 0; i < entries.Count; i += stride)
            for (var j = i + stride; j < entries.Count; j += stride)
                if (entries[i].AsSpan().SequenceEqual(entries[j])) return true;
            return false;
        }
        var seen = new HashSet<byte[]>(count, ByteArrayComparer.Instance);
        for (var i = 0; i < entries.Count; i += stride)
            if (!seen.Add(entries[i])) return true;
        return false;
    }

    /// <summary>The entries of a pair-structured listpack or ziplist (hash, zset): an even, non-zero count.</summary>
    private static List<byte[]> ReadPacked(ReadOnlySpan<byte> blob, bool listpack, string what)
    {
        var entries = new List<byte[]>();
        Span<byte> scratch = stackalloc byte[24];
        if (listpack)
        {
            var reader = new RedisListpackReader(blob);
            while (reader.MoveNext()) entries.Add(reader.AsBytes(scratch).ToArray());
            if (reader.HeaderCount != RedisListpack.UnknownCount && reader.HeaderCount != entries.Count)
                throw new RdbFormatException($"{what} listpack integrity check failed.");
        }
        else
        {
            var reader = new RedisZiplistReader(blob);
            while (reader.MoveNext()) entries.Add(reader.AsBytes(scratch).ToArray());
        }
        if (entries.Count % 2 != 0) throw new RdbFormatException($"{what} {(listpack ? "listpack" : "ziplist")} integrity check failed.");
        if (entries.Count == 0) throw new RdbEmptyKeyException();
        return entries;
    }

    /// <summary>A zipmap (RDB_TYPE_HASH_ZIPMAP, Redis 2.x): zmlen byte, then per pair: length, field, length, free
    /// byte, value, free bytes; 0xFF ends it. Lengths are one byte below 254, else 254 and a u32.</summary>
    private static List<byte[]> ReadZipmap(ReadOnlySpan<byte> zm)
    {
        var entries = new List<byte[]>();
        var p = 1;
        int Length(ReadOnlySpan<byte> z, ref int at)
        {
            if (at >= z.Length) throw Corrupt();
            var b = z[at++];
            if (b < 254) return b;
            if (b != 254 || at + 4 > z.Length) throw Corrupt();
            var len = BinaryPrimitives.ReadUInt32LittleEndian(z[at..]);
            at += 4;
            if (len > int.MaxValue) throw Corrupt();
            return (int)len;
        }
        static RdbFormatException Corrupt() => new("Zipmap integrity check failed.");
        if (zm.Length < 2) throw Corrupt();
        while (true)
        {
            if (p >= zm.Length) throw Corrupt();
            if (zm[p] == 0xFF)
            {
                if (p != zm.Length - 1) throw Corrupt();
                break;
            }
            var fieldLength = Length(zm, ref p);
            if (fieldLength > zm.Length - p) throw Corrupt();
            entries.Add(zm.Slice(p, fieldLength).ToArray());
            p += fieldLength;
            var valueLength = Length(zm, ref p);
            if (p >= zm.Length) throw Corrupt();
            var free = zm[p++];
            if (valueLength > zm.Length - p || free > zm.Length - p - valueLength) throw Corrupt();
            entries.Add(zm.Slice(p, valueLength).ToArray());
            p += valueLength + free;
        }
        if (entries.Count == 0) throw new RdbEmptyKeyException();
        return entries;
    }
}
