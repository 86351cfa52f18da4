using AkkaRedis.Tests.EndToEnd.Infrastructure;
using StackExchange.Redis;

namespace AkkaRedis.Tests.EndToEnd.EndToEnd;

/// <summary>StackExchange.Redis's bitmap API (StringSetBit/GetBit/BitCount/BitPosition/BitOperation) and BITFIELD
/// through Execute against AkkaRedis; BITOP's keys lie on different shards.</summary>
[Collection(E2ECollection.Name)]
[Trait("Category", "Clients")]
public sealed class StackExchangeRedisBitmapTests(E2EServers servers)
{
    [Fact]
    public void BitsCountsPositionsAndOperations()
    {
        using var mux = StackExchangeRedisTests.Connect($"127.0.0.1:{servers.Akka.Port}", new StringWriter());
        var db = mux.GetDatabase();
        const string p = "se:bits:";
        db.KeyDelete([p + "a", p + "b", p + "c", p + "dst", p + "f"]);

        Assert.False(db.StringSetBit(p + "a", 7, true));
        Assert.True(db.StringSetBit(p + "a", 7, true));
        Assert.False(db.StringSetBit(p + "a", 17, true));
        Assert.True(db.StringGetBit(p + "a", 7));
        Assert.False(db.StringGetBit(p + "a", 8));
        Assert.False(db.StringGetBit(p + "missing", 8));
        Assert.Equal(new byte[] { 0x01, 0x00, 0x40 }, (byte[])db.StringGet(p + "a")!);

        Assert.Equal(2, db.StringBitCount(p + "a"));
        Assert.Equal(1, db.StringBitCount(p + "a", 1, -1));
        Assert.Equal(1, db.StringBitCount(p + "a", 0, 7, StringIndexType.Bit));
        Assert.Equal(0, db.StringBitCount(p + "missing"));

        Assert.Equal(7, db.StringBitPosition(p + "a", true));
        Assert.Equal(17, db.StringBitPosition(p + "a", true, 1));
        Assert.Equal(0, db.StringBitPosition(p + "a", false));
        Assert.Equal(-1, db.StringBitPosition(p + "a", true, 8, 16, StringIndexType.Bit));

        db.StringSet(p + "b", new byte[] { 0xFF, 0x0F });
        Assert.Equal(3, db.StringBitOperation(Bitwise.Or, p + "dst", [p + "a", p + "b", p + "c"]));
        Assert.Equal(new byte[] { 0xFF, 0x0F, 0x40 }, (byte[])db.StringGet(p + "dst")!);
        Assert.Equal(3, db.StringBitOperation(Bitwise.And, p + "dst", p + "a", p + "b"));
        Assert.Equal(new byte[] { 0x01, 0x00, 0x00 }, (byte[])db.StringGet(p + "dst")!);
        Assert.Equal(2, db.StringBitOperation(Bitwise.Not, p + "dst", p + "b"));
        Assert.Equal(new byte[] { 0x00, 0xF0 }, (byte[])db.StringGet(p + "dst")!);
        Assert.Equal(0, db.StringBitOperation(Bitwise.Xor, p + "dst", p + "c", p + "missing"));
        Assert.False(db.KeyExists(p + "dst"));

        var e = Assert.Throws<RedisServerException>(() => db.StringSetBit(p + "a", -1, true));
        Assert.Equal("ERR bit offset is not an integer or out of range", e.Message);
        db.ListRightPush(p + "c", "x");
        e = Assert.Throws<RedisServerException>(() => db.StringBitCount(p + "c"));
        Assert.StartsWith("WRONGTYPE", e.Message);
    }

    [Fact]
    public void BitFieldThroughExecute()
    {
        using var mux = StackExchangeRedisTests.Connect($"127.0.0.1:{servers.Akka.Port}", new StringWriter());
        var db = mux.GetDatabase();
        const string key = "se:bits:bf";
        db.KeyDelete(key);

        var reply = (RedisResult[])db.Execute("BITFIELD", key, "SET", "u8", "0", "200", "INCRBY", "u8", "0", "100",
            "OVERFLOW", "SAT", "INCRBY", "u8", "0", "100", "OVERFLOW", "FAIL", "INCRBY", "u8", "0", "200", "GET", "i8", "0")!;
        Assert.Equal(5, reply.Length);
        Assert.Equal(0, (long)reply[0]);
        Assert.Equal(44, (long)reply[1]); // 300 wrapped
        Assert.Equal(144, (long)reply[2]); // saturated would be 255: 44 + 100 fits
        Assert.True(reply[3].IsNull);
        Assert.Equal(-112, (long)reply[4]);

        var ro = (RedisResult[])db.Execute("BITFIELD_RO", key, "GET", "u4", "#1", "GET", "u16", "0")!;
        Assert.Equal([0L, 144L << 8], ro.Select(r => (long)r));
        var e = Assert.Throws<RedisServerException>(() => db.Execute("BITFIELD_RO", key, "SET", "u8", "0", "1"));
        Assert.Equal("ERR BITFIELD_RO only supports the GET subcommand", e.Message);
        e = Assert.Throws<RedisServerException>(() => db.Execute("BITFIELD", key, "GET", "u64", "0"));
        Assert.Equal("ERR Invalid bitfield type. Use something like i16 u8. Note that u64 is not supported but i64 is.", e.Message);
    }
}
