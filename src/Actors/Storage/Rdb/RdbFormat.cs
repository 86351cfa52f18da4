namespace AkkaRedis.Actors.Storage.Rdb;

/// <summary>rdb.h's constants: the version, value types, opcodes and length/string encodings.</summary>
public static class RdbFormat
{
    /// <summary>RDB_VERSION of Redis 7.0 (also the version field of a DUMP payload).</summary>
    public const int Version = 10;

    public const byte Len32 = 0x80;
    public const byte Len64 = 0x81;
}
