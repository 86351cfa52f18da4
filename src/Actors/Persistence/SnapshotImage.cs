using AkkaRedis.Actors.Storage;
using AkkaRedis.Actors.Storage.Rdb;

namespace AkkaRedis.Actors.Persistence;

/// <summary>What a snapshot is taken for: only one runs at a time, as Redis has one child at a time.</summary>
public enum SnapshotPurpose
{
    /// <summary>BGSAVE (and save points): an RDB file.</summary>
    Rdb,
    /// <summary>BGREWRITEAOF: the AOF's new base (RDB preamble, or commands).</summary>
    AofRewrite,
}

/// <summary>
/// A point-in-time snapshot of the whole keyspace as the shards wrote it: per database index (its index at the
/// start), the key records of every shard in RDB's key-record encoding (rdbSaveKeyValuePair), and the counts at the
/// start for RESIZEDB. Filled by the Persistence actor from the shards' chunks; read-only once handed to the
/// snapshot's owner (onDone), which may then write it from any thread.
/// </summary>
public sealed class SnapshotImage
{
    public SnapshotImage(long id, SnapshotPurpose purpose, int databases)
    {
        Id = id;
        Purpose = purpose;
        Keys = new long[databases];
        Expires = new long[databases];
        Chunks = new List<byte[]>[databases];
        for (var i = 0; i < databases; i++) Chunks[i] = new List<byte[]>();
    }

    public long Id { get; }
    public SnapshotPurpose Purpose { get; }

    /// <summary>Unix ms when every shard was held and marked: the snapshot's moment.</summary>
    public long StartedMs { get; internal set; }

    /// <summary>Keys per database at the start (expired ones not yet deleted included: RESIZEDB is a hint).</summary>
    public long[] Keys { get; }

    /// <summary>Keys with a TTL per database at the start.</summary>
    public long[] Expires { get; }

    /// <summary>Key records per database index, in the order they arrived (any order is valid within a database).</summary>
    public List<byte[]>[] Chunks { get; }

    /// <summary>Records written in all (equals the sum of <see cref="Keys"/>).</summary>
    public long Records { get; internal set; }

    /// <summary>Bytes of records written early by copy-on-write (rdb_last_cow_size).</summary>
    public long CowBytes { get; internal set; }

    /// <summary>Bytes of records held in <see cref="Chunks"/>.</summary>
    public long RecordBytes
    {
        get
        {
            long total = 0;
            foreach (var list in Chunks)
            foreach (var chunk in list) total += chunk.Length;
            return total;
        }
    }

    /// <summary>Whether database <paramref name="db"/> has any record (RDB writes a SELECTDB only for those).</summary>
    public bool HasRecords(int db) => Chunks[db].Count > 0;
}

/// <summary>
/// The interim RDB writing of snapshots, until the rdb piece's RdbFile and the codec's RdbValues land on main (issue
/// 12): a version-10 file (header, aux fields, SELECTDB/RESIZEDB per database, records, EOF, checksum 0 = "saved
/// with checksum disabled", which Redis's loader and redis-check-rdb accept), and records of strings and lists in
/// encodings Redis 7.0 still loads (RDB_TYPE_STRING raw, RDB_TYPE_LIST).
/// </summary>
public static class SnapshotRdb
{
    /// <summary>Writes <paramref name="image"/> as a whole RDB file into <paramref name="output"/>;
    /// <paramref name="aofBase"/>: the aof-base aux field says it is an AOF's preamble; <paramref name="checksum"/>
    /// (rdbchecksum): the CRC64 of every byte before it ends the file, else 0 ("checksum disabled").</summary>
    public static void Write(SnapshotImage image, Stream output, bool aofBase, bool checksum)
    {
        ulong crc = 0;
        void Out(ReadOnlySpan<byte> bytes)
        {
            if (checksum) crc = Crc64.Compute(crc, bytes);
            output.Write(bytes);
        }

        var w = new RdbWriter(4096);
        w.WriteBytes("REDIS0010"u8);
        Aux(w, "redis-ver", "7.0.15");
        Aux(w, "redis-bits", "64");
        Aux(w, "ctime", (image.StartedMs / 1000).ToString(System.Globalization.CultureInfo.InvariantCulture));
        Aux(w, "used-mem", GC.GetTotalMemory(false).ToString(System.Globalization.CultureInfo.InvariantCulture));
        Aux(w, "aof-base", aofBase ? "1" : "0");
        for (var db = 0; db < image.Chunks.Length; db++)
        {
            if (!image.HasRecords(db)) continue;
            w.WriteByte(RdbFormat.OpSelectDb);
            w.WriteLength((ulong)db);
            w.WriteByte(RdbFormat.OpResizeDb);
            w.WriteLength((ulong)image.Keys[db]);
            w.WriteLength((ulong)image.Expires[db]);
            Out(w.Written);
            w.Clear();
            foreach (var chunk in image.Chunks[db]) Out(chunk);
        }
        w.WriteByte(RdbFormat.OpEof);
        Out(w.Written);
        Span<byte> trailer = stackalloc byte[8];
        System.Buffers.Binary.BinaryPrimitives.WriteUInt64LittleEndian(trailer, crc);
        output.Write(trailer);
    }

    private static void Aux(RdbWriter w, string name, string value)
    {
        w.WriteByte(RdbFormat.OpAux);
        w.WriteString(System.Text.Encoding.ASCII.GetBytes(name), compress: false);
        w.WriteString(System.Text.Encoding.ASCII.GetBytes(value), compress: false);
    }

    /// <summary>One key's record: [EXPIRETIME_MS ms] type key value, strings and lists only.</summary>
    public static SnapshotRecordWriter RecordWriter(bool compress) => (w, entry) =>
    {
        if (entry.HasExpire)
        {
            w.WriteByte(RdbFormat.OpExpireTimeMs);
            w.WriteInt64(entry.ExpireAt);
        }
        switch (entry.Type)
        {
            case RedisType.String:
                w.WriteByte(RdbFormat.TypeString);
                w.WriteString(entry.Key, compress);
                Span<byte> scratch = stackalloc byte[24];
                w.WriteString(entry.StringBytes(scratch), compress);
                break;
            case RedisType.List when entry.Value is RedisList list:
                w.WriteByte(RdbFormat.TypeList);
                w.WriteString(entry.Key, compress);
                w.WriteLength((ulong)list.Count);
                for (var i = 0; i < list.Count; i++) w.WriteString(list[i], compress);
                break;
            default:
                throw new NotSupportedException($"the interim snapshot writer has no encoding for {entry.Type} ({entry.Value?.GetType().Name})");
        }
    };
}
