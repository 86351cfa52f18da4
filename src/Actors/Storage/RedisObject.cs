namespace AkkaRedis.Actors.Storage;

public enum RedisType : byte { String, List, Set, ZSet, Hash, Stream }

public enum ObjectEncoding : byte { Raw, Int, EmbStr, ListPack, QuickList, HashTable, IntSet, SkipList, Stream }

/// <summary>
/// One key and its value. The object is also its own hash-table entry (<see cref="Next"/>, <see cref="Hash"/>)
/// and its own slot in the database's table of keys with a TTL, so a key costs a single object beside its bytes.
/// </summary>
public sealed class RedisObject
{
    public RedisObject(byte[] key, RedisType type, ObjectEncoding encoding, object value)
    {
        Key = key;
        Type = type;
        Encoding = encoding;
        Value = value;
    }

    public readonly byte[] Key;
    public RedisType Type;
    public ObjectEncoding Encoding;
    /// <summary>byte[] for strings; the collection object for the other types.</summary>
    public object Value;
    /// <summary>Absolute unix time in ms, or -1 for no TTL.</summary>
    public long ExpireAt = -1;
    /// <summary>Unix ms of the last access (OBJECT IDLETIME).</summary>
    public long LastAccess;

    internal int Hash;
    internal RedisObject? Next;
    internal int VolatileIndex = -1;

    public bool HasExpire => ExpireAt >= 0;
    public byte[] Bytes => (byte[])Value;

    public static RedisObject NewString(byte[] key, byte[] value, bool allowIntEncoding = true)
    {
        var obj = new RedisObject(key, RedisType.String, ObjectEncoding.Raw, value);
        obj.Encoding = StringEncodingOf(value, allowIntEncoding);
        return obj;
    }

    /// <summary>A new string key: the one copy of a request's key and value into storage.</summary>
    public static RedisObject NewString(ReadOnlySpan<byte> key, ReadOnlySpan<byte> value, bool allowIntEncoding = true) =>
        NewString(key.ToArray(), value.ToArray(), allowIntEncoding);

    /// <summary>The encoding Redis would pick for a freshly created string value.</summary>
    public static ObjectEncoding StringEncodingOf(byte[] value, bool allowIntEncoding = true)
    {
        if (allowIntEncoding && value.Length <= 20 && Net.Resp.RedisNumbers.TryParseLong(value, out _)) return ObjectEncoding.Int;
        return value.Length <= 44 ? ObjectEncoding.EmbStr : ObjectEncoding.Raw;
    }

    public static string TypeName(RedisType type) => type switch
    {
        RedisType.String => "string",
        RedisType.List => "list",
        RedisType.Set => "set",
        RedisType.ZSet => "zset",
        RedisType.Hash => "hash",
        RedisType.Stream => "stream",
        _ => "none",
    };

    public static string EncodingName(ObjectEncoding encoding) => encoding switch
    {
        ObjectEncoding.Raw => "raw",
        ObjectEncoding.Int => "int",
        ObjectEncoding.EmbStr => "embstr",
        ObjectEncoding.ListPack => "listpack",
        ObjectEncoding.QuickList => "quicklist",
        ObjectEncoding.HashTable => "hashtable",
        ObjectEncoding.IntSet => "intset",
        ObjectEncoding.SkipList => "skiplist",
        ObjectEncoding.Stream => "stream",
        _ => "unknown",
    };
}
