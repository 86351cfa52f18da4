namespace AkkaRedis.Actors.Storage.Rdb;

/// <summary>
/// Streams in RDB (issue 12): Redis 7.0 writes RDB_TYPE_STREAM_LISTPACKS_2 (the rax of listpacks in Redis's own
/// master-entry layout, then the 7.0 metadata, then the consumer groups with their PEL and consumers); loading also
/// accepts RDB_TYPE_STREAM_LISTPACKS (Redis 5-6.2) and RDB_TYPE_STREAM_LISTPACKS_3 (7.2).
/// </summary>
public static class RdbStream
{
    /// <summary>The value of a stream key after its type byte (rdbSaveObject's stream branch).</summary>
    public static void Write(RdbWriter writer, RedisStream stream, bool compress) =>
        throw new NotImplementedException("RDB stream encoding: issue 12, i12-stream");

    /// <summary>A stream value of RDB type <paramref name="type"/> (rdbLoadObject's stream branch).</summary>
    public static RedisStream Read(ref RdbReader reader, byte type) =>
        throw new NotImplementedException("RDB stream decoding: issue 12, i12-stream");
}
