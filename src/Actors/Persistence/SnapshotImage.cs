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

    /// <summary>The function libraries' code at the start (FUNCTION2 records, or FUNCTION LOAD in a command base).</summary>
    public IReadOnlyList<byte[]> Functions { get; internal set; } = [];

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

    /// <summary>Why a key could not be written (the snapshot failed), or null.</summary>
    public Exception? Error { get; internal set; }

    /// <summary>The image as <see cref="RdbFile.Write"/>'s database parts, in database order.</summary>
    public IReadOnlyList<RdbDbPart> Parts()
    {
        var parts = new List<RdbDbPart>();
        for (var db = 0; db < Chunks.Length; db++)
            if (Keys[db] > 0) parts.Add(new RdbDbPart(db, Keys[db], Expires[db], Chunks[db].Select(c => (ReadOnlyMemory<byte>)c).ToList()));
        return parts;
    }
}

