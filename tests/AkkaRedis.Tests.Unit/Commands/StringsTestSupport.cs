using System.Text;
using AkkaRedis.Actors.Session;
using AkkaRedis.Actors.Server;
using AkkaRedis.Actors.Storage;

namespace AkkaRedis.Tests.Unit.Commands;

/// <summary>Direct access to the harness's data for what the string commands cannot show themselves (types, TTLs, encodings).</summary>
internal static class StringsTestSupport
{
    public static byte[] B(string s) => Encoding.Latin1.GetBytes(s);

    public static Database Db(this HandlerHarness h) => h.Shard.Databases[h.Db];

    public static KeyEntry Obj(this HandlerHarness h, string key) => h.Db().Find(B(key), ServerContext.UnixMs());

    public static bool Exists(this HandlerHarness h, string key) => h.Obj(key).Exists;

    /// <summary>Stores a non-string value under <paramref name="key"/>, for WRONGTYPE checks.</summary>
    public static void PutList(this HandlerHarness h, string key) =>
        h.Db().SetValue(B(key), RedisType.List, ObjectEncoding.QuickList, new List<byte[]>(), ServerContext.UnixMs());

    public static string EncodingOf(this HandlerHarness h, string key) => RedisObject.EncodingName(h.Obj(key).Encoding);

    /// <summary>Remaining TTL in ms, -1 without TTL, -2 when missing (as PTTL).</summary>
    public static long Pttl(this HandlerHarness h, string key)
    {
        var obj = h.Obj(key);
        if (!obj.Exists) return -2;
        return obj.HasExpire ? obj.ExpireAt - ServerContext.UnixMs() : -1;
    }

    public static void AssertTtlNear(this HandlerHarness h, string key, long expectedMs)
    {
        var ttl = h.Pttl(key);
        Assert.InRange(ttl, expectedMs - 5000, expectedMs);
    }

    public const string WrongType = "-WRONGTYPE Operation against a key holding the wrong kind of value\r\n";
    public const string NotInteger = "-ERR value is not an integer or out of range\r\n";
    public const string NotFloat = "-ERR value is not a valid float\r\n";
    public const string Syntax = "-ERR syntax error\r\n";
    public const string Nil = "$-1\r\n";
    public const string Ok = "+OK\r\n";
}
