using System.Buffers.Binary;
using System.Security.Cryptography;
using AkkaRedis.Actors.Storage;

namespace AkkaRedis.Actors.Commands;

/// <summary>
/// DEBUG DIGEST and DEBUG DIGEST-VALUE, computed exactly as Redis 7.0's debug.c computes them (xorDigest, mixDigest,
/// xorObjectDigest, computeDatasetDigest), so that the same content gives the same 40 hex digits on both servers.
/// Unordered things (the keys of a database, later set members and hash fields) are combined with <see cref="Xor"/>,
/// ordered things (a key then its value, list elements) with <see cref="Mix"/>.
/// A new type is one more case in <see cref="XorValue"/> and one small Mix function reading its elements.
/// </summary>
public static class DebugDigest
{
    public const int Size = 20;

    /// <summary>xorDigest: digest ^= SHA1(data). Commutative, so the order of what is xored in does not matter.</summary>
    public static void Xor(Span<byte> digest, ReadOnlySpan<byte> data)
    {
        Span<byte> hash = stackalloc byte[Size];
        SHA1.HashData(data, hash);
        for (var i = 0; i < Size; i++) digest[i] ^= hash[i];
    }

    /// <summary>mixDigest: digest = SHA1(digest ^ SHA1(data)). Order-dependent: "a" then "b" differs from "b" then
    /// "a", and "fo" then "obar" differs from "foo" then "bar".</summary>
    public static void Mix(Span<byte> digest, ReadOnlySpan<byte> data)
    {
        Xor(digest, data);
        Span<byte> copy = stackalloc byte[Size];
        digest.CopyTo(copy);
        SHA1.HashData(copy, digest);
    }

    /// <summary>mixDigest over a uint32 in network byte order (Redis's htonl(x) mixed as 4 bytes).</summary>
    private static void MixNetworkUInt32(Span<byte> digest, uint value)
    {
        Span<byte> bytes = stackalloc byte[4];
        BinaryPrimitives.WriteUInt32BigEndian(bytes, value);
        Mix(digest, bytes);
    }

    /// <summary>Redis's OBJ_* type codes (server.h), which the digest mixes in: OBJ_MODULE is 5, so a stream is 6.</summary>
    public static uint TypeCode(RedisType type) => type switch
    {
        RedisType.String => 0,
        RedisType.List => 1,
        RedisType.Set => 2,
        RedisType.ZSet => 3,
        RedisType.Hash => 4,
        RedisType.Stream => 6,
        _ => throw new ArgumentOutOfRangeException(nameof(type)),
    };

    /// <summary>xorObjectDigest: the value's type, its content, and a marker when the key has a TTL (the TTL's
    /// value is not part of the digest, only whether there is one). The key's name is not mixed in here.</summary>
    public static void XorValue(Span<byte> digest, KeyEntry obj)
    {
        MixNetworkUInt32(digest, TypeCode(obj.Type));
        switch (obj.Type)
        {
            case RedisType.String:
                MixString(digest, obj);
                break;
            case RedisType.List:
                MixList(digest, obj);
                break;
            case RedisType.Hash:
                XorHash(digest, obj);
                break;
            case RedisType.ZSet:
                XorZSet(digest, obj);
                break;
            case RedisType.Set:
                XorSet(digest, obj);
                break;
            case RedisType.Stream:
                StreamIntrospection.MixDigest(digest, obj.As<RedisStream>());
                break;
            default:
                throw new NotSupportedException($"DEBUG DIGEST does not know the {RedisObject.TypeName(obj.Type)} type yet");
        }
        if (StoredValues.HasTtl(obj)) Xor(digest, "!!expire!!"u8);
    }

    /// <summary>A string is mixed as its decoded bytes (an int-encoded value as its decimal text).</summary>
    private static void MixString(Span<byte> digest, KeyEntry obj)
    {
        Span<byte> scratch = stackalloc byte[24];
        Mix(digest, StoredValues.String(obj, scratch));
    }

    /// <summary>A list mixes its elements from head to tail.</summary>
    private static void MixList(Span<byte> digest, KeyEntry obj)
    {
        var count = StoredValues.ListLength(obj);
        for (var i = 0; i < count; i++) Mix(digest, StoredValues.ListElement(obj, i));
    }

    /// <summary>A hash xors in one digest per pair (field then value mixed into 20 zero bytes), so field order
    /// does not matter (xorObjectDigest's OBJ_HASH case).</summary>
    private static void XorHash(Span<byte> digest, KeyEntry obj)
    {
        Span<byte> element = stackalloc byte[Size];
        foreach (var pair in StoredValues.HashPairs(obj))
        {
            element.Clear();
            Mix(element, pair.Field);
            Mix(element, pair.Value);
            Xor(digest, element);
        }
    }

    /// <summary>A sorted set xors in, per element, the digest of its member mixed with its score as "%.17g" prints
    /// it (Redis 7.0's snprintf into eledigest; the order of elements does not matter).</summary>
    private static void XorZSet(Span<byte> digest, KeyEntry obj)
    {
        var items = new List<ZItem>();
        ZSet.ReadAll(obj.Value, items);
        Span<byte> element = stackalloc byte[Size];
        Span<byte> text = stackalloc byte[64];
        foreach (var item in items)
        {
            element.Clear();
            Mix(element, item.Member);
            Mix(element, text[..Net.Resp.RedisNumbers.FormatDouble(item.Score, text)]);
            Xor(digest, element);
        }
    }

    /// <summary>A set xors each member in (its order is not part of the digest), as an intset's integers in their
    /// decimal text.</summary>
    private static void XorSet(Span<byte> digest, KeyEntry obj)
    {
        Span<byte> scratch = stackalloc byte[24];
        foreach (var member in StoredValues.Set(obj)) Xor(digest, member.Span(scratch));
    }

    /// <summary>DEBUG DIGEST-VALUE of one key: xorObjectDigest from 20 zero bytes; all zeros for a missing key.</summary>
    public static void ValueDigest(KeyEntry obj, Span<byte> digest)
    {
        digest.Clear();
        if (obj.Exists) XorValue(digest, obj);
    }

    /// <summary>
    /// computeDatasetDigest: for every non-empty database in index order, the database index is mixed into the
    /// result, then each key's digest (its name mixed, then its value's digest) is hashed and xored in. The keys of
    /// one database may live in several parts of the keyspace: xor does not care about order, so parts are visited one after the
    /// other. An empty keyspace digests to 20 zero bytes.
    /// </summary>
    public static void DatasetDigest(IKeyspace keyspace, int databases, Span<byte> result)
    {
        result.Clear();
        Span<byte> keyDigest = stackalloc byte[Size];
        for (var db = 0; db < databases; db++)
        {
            var count = 0L;
            for (var part = 0; part < keyspace.PartCount; part++)
                if (keyspace.Part(part, db) is { } slice) count += StoredValues.KeyCount(slice);
            if (count == 0) continue;
            MixNetworkUInt32(result, (uint)db);
            for (var part = 0; part < keyspace.PartCount; part++)
            {
                if (keyspace.Part(part, db) is not { } slice) continue;
                foreach (var obj in StoredValues.Keys(slice))
                {
                    keyDigest.Clear();
                    Mix(keyDigest, obj.Key);
                    XorValue(keyDigest, obj);
                    Xor(result, keyDigest);
                }
            }
        }
    }

    /// <summary>The 40 lower-case hex digits Redis replies with.</summary>
    public static string Hex(ReadOnlySpan<byte> digest) => Convert.ToHexStringLower(digest);
}

/// <summary>
/// Every read DEBUG makes of stored keys and values, in one place: the storage representation is being reworked,
/// and these few functions are what has to follow it. Like Redis's dictFind in debug.c, they see logically expired
/// keys (nothing is expired or touched by looking).
/// </summary>
public static class StoredValues
{
    /// <summary>The key's object without expiring it or updating its access time (dictFind, not lookupKey).</summary>
    // The earliest possible clock: no TTL counts as passed, so Find neither hides nor deletes an expired key.
    public static KeyEntry Peek(Database db, ReadOnlySpan<byte> key) => db.Find(key, long.MinValue);

    /// <summary>Every key of the database, logically expired ones included (the dict iterator of computeDatasetDigest).</summary>
    public static Database.EntryEnumerator Keys(Database db) => db.AllKeys();

    public static int KeyCount(Database db) => db.Count;

    public static bool HasTtl(KeyEntry obj) => obj.HasExpire;

    /// <summary>The key's 24-bit LRU clock (seconds), as Redis keeps it in the object.</summary>
    public static long Lru(KeyEntry obj) => obj.Lru;

    /// <summary>The string's bytes; an int-encoded value is formatted into <paramref name="scratch"/> (24 bytes).</summary>
    public static ReadOnlySpan<byte> String(KeyEntry obj, Span<byte> scratch) => obj.StringBytes(scratch);

    public static int ListLength(KeyEntry obj) => obj.As<RedisList>().Count;

    public static ReadOnlySpan<byte> ListElement(KeyEntry obj, int index) => obj.As<RedisList>()[index];

    public static RedisHash.PairEnumerator HashPairs(KeyEntry obj) => RedisHash.Pairs(obj.Value);

    public static SetValue Set(KeyEntry obj) => SetValue.Of(obj);
}
