using AkkaRedis.Tests.EndToEnd.Infrastructure;
using StackExchange.Redis;

namespace AkkaRedis.Tests.EndToEnd.EndToEnd;

/// <summary>StackExchange.Redis, as applications use it, against AkkaRedis: connect with default options and run string and key operations.</summary>
[Collection(E2ECollection.Name)]
[Trait("Category", "Clients")]
public sealed class StackExchangeRedisTests(E2EServers servers)
{
    [Fact]
    public async Task DefaultOptionsStringAndKeyOperations()
    {
        var log = new StringWriter();
        using var mux = Connect($"127.0.0.1:{servers.Akka.Port}", log);
        var db = mux.GetDatabase();
        const string p = "se:default:";

        // The prefix is this test's own and the server starts empty for each run: exactly the two keys set here
        // exist, so a multi-key DEL (over several shards) must count exactly them.
        Assert.True(db.StringSet(p + "s", "old"));
        Assert.True(db.StringSet(p + "nx", "old"));
        Assert.Equal(2, await db.KeyDeleteAsync([p + "s", p + "n", p + "ttl", p + "nx"]));
        Assert.True(db.StringSet(p + "s", "hello"));
        Assert.Equal("hello", (string?)db.StringGet(p + "s"));
        Assert.True(db.KeyExists(p + "s"));
        Assert.False(db.KeyExists(p + "missing"));
        Assert.True(db.StringGet(p + "missing").IsNull);

        Assert.Equal(1, db.StringIncrement(p + "n"));
        Assert.Equal(11, db.StringIncrement(p + "n", 10));
        Assert.Equal(6, db.StringDecrement(p + "n", 5));
        Assert.Equal(7.5, db.StringIncrement(p + "n", 1.5));

        Assert.True(db.StringSet(p + "ttl", "v"));
        Assert.Null(db.KeyTimeToLive(p + "ttl"));
        Assert.True(db.KeyExpire(p + "ttl", TimeSpan.FromSeconds(100)));
        var ttl = db.KeyTimeToLive(p + "ttl");
        Assert.NotNull(ttl);
        Assert.InRange(ttl!.Value.TotalSeconds, 98, 100);
        Assert.Null(db.KeyTimeToLive(p + "missing"));
        Assert.True(db.StringSet(p + "ttl", "v2", TimeSpan.FromMinutes(5)));
        Assert.InRange(db.KeyTimeToLive(p + "ttl")!.Value.TotalSeconds, 298, 300);

        Assert.True(db.StringSet(p + "nx", "first", when: When.NotExists));
        Assert.False(db.StringSet(p + "nx", "second", when: When.NotExists));
        Assert.Equal("first", (string?)db.StringGet(p + "nx"));
        Assert.True(db.StringSet(p + "nx", "third", when: When.Exists));
        Assert.Equal("third", (string?)db.StringGet(p + "nx"));

        Assert.True(db.KeyDelete(p + "s"));
        Assert.False(db.KeyDelete(p + "s"));
        Assert.Equal(2, db.KeyDelete([p + "n", p + "ttl", p + "missing"]));
        Assert.False(db.KeyExists(p + "n"));
    }

    [Fact]
    public async Task PipelinedAsyncOperationsAndBatches()
    {
        using var mux = Connect($"127.0.0.1:{servers.Akka.Port}", new StringWriter());
        var db = mux.GetDatabase();
        const string p = "se:async:";
        const int n = 2000;

        // Many concurrent async calls: StackExchange.Redis pipelines them on one connection.
        var sets = new Task<bool>[n];
        for (var i = 0; i < n; i++) sets[i] = db.StringSetAsync(p + i, "value" + i);
        Assert.All(await Task.WhenAll(sets), Assert.True);
        var gets = new Task<RedisValue>[n];
        for (var i = 0; i < n; i++) gets[i] = db.StringGetAsync(p + i);
        var values = await Task.WhenAll(gets);
        for (var i = 0; i < n; i++) Assert.Equal("value" + i, (string?)values[i]);

        // A batch: sent together in one go.
        var batch = db.CreateBatch();
        var incrs = new List<Task<long>>();
        for (var i = 0; i < 100; i++) incrs.Add(batch.StringIncrementAsync(p + "counter"));
        var del = batch.KeyDeleteAsync(p + "0");
        var exists = batch.KeyExistsAsync(p + "0");
        var mget = batch.StringGetAsync([p + "1", p + "2", p + "missing"]);
        batch.Execute();
        var counts = await Task.WhenAll(incrs);
        Assert.Equal(Enumerable.Range(1, 100).Select(x => (long)x), counts);
        Assert.True(await del);
        Assert.False(await exists);
        var m = await mget;
        Assert.Equal(["value1", "value2", null], m.Select(v => (string?)v));

        var keys = Enumerable.Range(0, n).Select(i => (RedisKey)(p + i)).Append(p + "counter").ToArray();
        Assert.Equal(n, await db.KeyDeleteAsync(keys));
    }

    [Fact]
    public void Resp3ConnectionWorks()
    {
        var options = ConfigurationOptions.Parse($"127.0.0.1:{servers.Akka.Port}");
        options.Protocol = RedisProtocol.Resp3;
        var log = new StringWriter();
        using var mux = Connect(options, log);
        var db = mux.GetDatabase();
        Assert.True(db.StringSet("se:resp3", "v"));
        Assert.Equal("v", (string?)db.StringGet("se:resp3"));
        Assert.True(db.StringGet("se:resp3:missing").IsNull);
        Assert.True(db.KeyDelete("se:resp3"));
        Assert.Equal(RedisProtocol.Resp3, mux.GetServers()[0].Protocol);
    }

    internal static ConnectionMultiplexer Connect(string configuration, StringWriter log) => Connect(ConfigurationOptions.Parse(configuration), log);

    internal static ConnectionMultiplexer Connect(ConfigurationOptions options, StringWriter log)
    {
        ConnectionMultiplexer mux;
        try
        {
            mux = ConnectionMultiplexer.Connect(options, log);
        }
        catch (Exception e)
        {
            throw new InvalidOperationException($"StackExchange.Redis could not connect: {e.Message}\n--- connection log ---\n{log}", e);
        }
        if (!mux.IsConnected)
        {
            mux.Dispose();
            throw new InvalidOperationException($"StackExchange.Redis is not connected\n--- connection log ---\n{log}");
        }
        return mux;
    }
}
