using System.Text;
using AkkaRedis.Tests.EndToEnd.Infrastructure;

namespace AkkaRedis.Tests.EndToEnd.EndToEnd;

/// <summary>
/// Client-side caching end to end, each scenario run against redis-server 7.0 and AkkaRedis with the same expectations:
/// a RESP3 client caches keys spread over every shard and sees exactly the invalidations of the keys others change
/// (and INFO's tracking counters follow); a broken REDIRECT; tracking-table-max-keys evicting tracked keys.
/// </summary>
[Collection(E2ECollection.Name)]
[Trait("Category", "EndToEnd")]
public sealed class ClientTrackingTests(E2EServers servers)
{
    public static TheoryData<string> Servers => new() { "redis", "akka" };

    private ServerProcess Server(string name) => name == "redis" ? servers.Redis : servers.Akka;

    [Theory]
    [MemberData(nameof(Servers))]
    public void Resp3CacheSeesInvalidationsOfExactlyTheKeysOthersChange(string server)
    {
        var s = Server(server);
        using var cache = s.Connect();
        using var writer = s.Connect();
        Assert.Equal("+OK", Text(writer.Call("FLUSHALL")));
        for (var i = 0; i < 20; i++) writer.Call("SET", $"track:{i}", $"v{i}");
        cache.Call("HELLO", "3");
        Assert.Equal("+OK", Text(cache.Call("CLIENT", "TRACKING", "on")));
        // The client's local cache: what it read, kept until invalidated.
        var local = new Dictionary<string, string>();
        for (var i = 0; i < 20; i++) local[$"track:{i}"] = Text(cache.Call("GET", $"track:{i}"));
        Assert.Equal("20", InfoField(writer, "tracking_total_keys"));
        Assert.Equal("20", InfoField(writer, "tracking_total_items"));
        Assert.Equal("1", InfoField(writer, "tracking_clients"));

        var changed = new SortedSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < 20; i += 2)
        {
            writer.Call("SET", $"track:{i}", "new");
            changed.Add($"track:{i}");
        }
        writer.Call("INCR", "untracked");
        // Each changed key is invalidated once, in its own push, before any later reply on the cache connection.
        var invalidated = new SortedSet<string>(StringComparer.Ordinal);
        for (var n = 0; n < changed.Count; n++)
        {
            var push = Encoding.Latin1.GetString(cache.ReadReply());
            var m = System.Text.RegularExpressions.Regex.Match(push, @"^>2\r\n\$10\r\ninvalidate\r\n\*1\r\n\$\d+\r\n(track:\d+)\r\n$");
            Assert.True(m.Success, $"not an invalidation push: {push}");
            Assert.True(invalidated.Add(m.Groups[1].Value), $"invalidated twice: {m.Groups[1].Value}");
            local.Remove(m.Groups[1].Value);
        }
        Assert.Equal(changed, invalidated);
        Assert.Equal("+PONG", Text(cache.Call("PING")));
        Assert.Equal(10, local.Count);
        foreach (var (key, value) in local) Assert.Equal(value, Text(cache.Call("GET", key)));
        Assert.Equal("10", InfoField(writer, "tracking_total_keys"));

        // OFF: the keys read before stay in the table (as Redis's), but nothing is sent any more.
        Assert.Equal("+OK", Text(cache.Call("CLIENT", "TRACKING", "off")));
        Assert.Equal("0", InfoField(writer, "tracking_clients"));
        writer.Call("SET", "track:1", "again");
        Assert.Equal("+PONG", Text(cache.Call("PING")));
        Assert.Equal("+OK", Text(writer.Call("FLUSHALL")));
        Assert.Equal("0", InfoField(writer, "tracking_total_keys"));
    }

    /// <summary>In a pipeline, the invalidation a client's own write causes comes right after that write's reply, before
    /// the replies of the commands after it (Redis 7.0 sends tracking_pending_keys in afterCommand).</summary>
    [Theory]
    [MemberData(nameof(Servers))]
    public void OwnInvalidationFollowsTheReplyOfTheWriteThatCausedItInAPipeline(string server)
    {
        var s = Server(server);
        using var c = s.Connect();
        c.Call("HELLO", "3");
        c.Call("CLIENT", "TRACKING", "on");
        c.Call("DEL", "pipe:k");
        Assert.Equal("_", Text(c.Call("GET", "pipe:k")));
        c.Send([.. Resp.Encode("SET", "pipe:k", "1"), .. Resp.Encode("GET", "pipe:k"), .. Resp.Encode("ECHO", "x")]);
        var frames = string.Concat(Enumerable.Range(0, 4).Select(_ => Encoding.Latin1.GetString(c.ReadReply())));
        Assert.Equal("+OK\r\n>2\r\n$10\r\ninvalidate\r\n*1\r\n$6\r\npipe:k\r\n$1\r\n1\r\n$1\r\nx\r\n", frames);
        c.Call("DEL", "pipe:k");
    }

    [Theory]
    [MemberData(nameof(Servers))]
    public void RedirectToAClosedClientIsReportedAsBroken(string server)
    {
        var s = Server(server);
        using var cache = s.Connect();
        using var writer = s.Connect();
        var target = s.Connect();
        var targetId = Text(target.Call("CLIENT", "ID"))[1..];
        cache.Call("HELLO", "3");
        Assert.Equal("+OK", Text(cache.Call("CLIENT", "TRACKING", "on", "REDIRECT", targetId)));
        Assert.Equal(":" + targetId, Text(cache.Call("CLIENT", "GETREDIR")));
        cache.Call("GET", "redir:k");
        target.Dispose();
        // The target's close is seen by the server asynchronously: wait until it is gone from CLIENT LIST.
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(10);
        while (Text(writer.Call("CLIENT", "LIST", "ID", targetId)).Length > 5)
        {
            Assert.True(DateTime.UtcNow < deadline, "the closed redirect client is still listed after 10 s");
            Thread.Sleep(10);
        }
        writer.Call("SET", "redir:k", "1");
        Assert.Equal($">2\r\n$21\r\ntracking-redir-broken\r\n:{targetId}\r\n", Encoding.Latin1.GetString(cache.ReadReply()));
        var info = Encoding.Latin1.GetString(cache.Call("CLIENT", "TRACKINGINFO"));
        Assert.Contains("broken_redirect", info);
        Assert.Contains(" flags=tR ", Encoding.Latin1.GetString(cache.Call("CLIENT", "INFO")));
        Assert.Equal("+OK", Text(cache.Call("CLIENT", "TRACKING", "off")));
    }

    [Theory]
    [MemberData(nameof(Servers))]
    public void TrackingTableMaxKeysInvalidatesTheKeysOverTheLimit(string server)
    {
        var s = Server(server);
        using var cache = s.Connect();
        using var admin = s.Connect();
        // The invalidations go to another connection: when they are sent relative to the cache's own replies differs
        // (Redis checks the limit before each command, AkkaRedis after each batch).
        using var sink = s.Connect();
        sink.Call("HELLO", "3");
        var sinkId = Text(sink.Call("CLIENT", "ID"))[1..];
        Assert.Equal("+OK", Text(admin.Call("FLUSHALL")));
        Assert.Equal("+OK", Text(admin.Call("CONFIG", "SET", "tracking-table-max-keys", "5")));
        try
        {
            Assert.Equal("+OK", Text(cache.Call("CLIENT", "TRACKING", "on", "REDIRECT", sinkId)));
            for (var i = 0; i < 8; i++) Assert.Equal("$-1", Text(cache.Call("GET", $"max:{i}")));
            // By the reply to the next command, three keys were invalidated to get back to five.
            admin.Call("PING");
            var evicted = new HashSet<string>();
            for (var n = 0; n < 3; n++)
            {
                var push = Encoding.Latin1.GetString(sink.ReadReply());
                Assert.StartsWith(">2\r\n$10\r\ninvalidate\r\n*1\r\n", push);
                Assert.True(evicted.Add(push), $"invalidated twice: {push}");
            }
            Assert.Equal("+PONG", Text(sink.Call("PING")));
            Assert.Equal("5", InfoField(admin, "tracking_total_keys"));
        }
        finally
        {
            admin.Call("CONFIG", "SET", "tracking-table-max-keys", "1000000");
            admin.Call("FLUSHALL");
        }
    }

    private static string Text(byte[] reply) => Encoding.Latin1.GetString(reply).TrimEnd('\r', '\n') switch
    {
        var t when t.StartsWith('$') && t.Contains("\r\n") => t[(t.IndexOf("\r\n", StringComparison.Ordinal) + 2)..],
        var t => t,
    };

    private static string InfoField(RawRespClient client, string field)
    {
        var text = Encoding.Latin1.GetString(client.Call("INFO", "everything"));
        var m = System.Text.RegularExpressions.Regex.Match(text, $"(?m)^{field}:([^\r\n]*)");
        Assert.True(m.Success, $"INFO has no {field}");
        return m.Groups[1].Value;
    }
}
