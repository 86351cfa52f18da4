using AkkaRedis.Tests.EndToEnd.Infrastructure;

namespace AkkaRedis.Tests.EndToEnd.EndToEnd.Scripting;

/// <summary>
/// Redis 7.0 freezes time for the commands a script calls (keyIsExpired takes scriptTimeSnapshot() while a script
/// runs): a key that was alive when the script started stays alive for the whole script, so what the script read and
/// what it propagates agree. Both servers, a script that outlives its key's TTL by spinning on TIME.
/// </summary>
[Collection(E2ECollection.Name)]
[Trait("Category", "EndToEnd")]
public sealed class ScriptTimeTests(E2EServers servers)
{
    private const string OutliveTheKey = """
        local before = redis.call('GET', KEYS[1])
        local t0 = redis.call('TIME')
        repeat
          local t = redis.call('TIME')
        until (t[1] - t0[1]) * 1000000 + (t[2] - t0[2]) > tonumber(ARGV[1]) * 1000
        return {before, redis.call('GET', KEYS[1]), redis.call('EXISTS', KEYS[1])}
        """;

    [Theory]
    [InlineData("redis-server")]
    [InlineData("akkaredis")]
    public void AKeyDoesNotExpireInTheMiddleOfAScript(string server)
    {
        using var client = RawRespClient.Connect(server == "redis-server" ? servers.Redis.Port : servers.Akka.Port);
        const string key = "script-time:{k}";
        // 1 s to live (a margin for a loaded machine between SET and EVAL), a script of 1.5 s: the key runs out while
        // the script runs.
        Assert.Equal("+OK\\r\\n", client.CallText("SET", key, "alive", "PX", "1000"));
        var reply = client.CallText("EVAL", OutliveTheKey, "1", key, "1500");
        Assert.Equal("*3\\r\\n$5\\r\\nalive\\r\\n$5\\r\\nalive\\r\\n:1\\r\\n", reply);
        // After the script, the key is gone (the next command sees the real time).
        Assert.Equal("$-1\\r\\n", client.CallText("GET", key));
    }
}
