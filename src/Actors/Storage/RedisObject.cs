namespace AkkaRedis.Actors.Storage;

public enum RedisType : byte { String, List, Set, ZSet, Hash, Stream }

public enum ObjectEncoding : byte { Raw, Int, EmbStr, ListPack, QuickList, HashTable, IntSet, SkipList, Stream }

/// <summary>
/// Redis's object.c helpers over the types and encodings a key's value can have. (The values themselves live in
/// <see cref="KeyTable"/> slots, read through <see cref="KeyEntry"/> handles.)
/// </summary>
public static class RedisObject
{
    /// <summary>The encoding Redis would pick for a freshly created string value.</summary>
    public static ObjectEncoding StringEncodingOf(ReadOnlySpan<byte> value, bool allowIntEncoding = true)
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
