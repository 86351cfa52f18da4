using System.Text;
using AkkaRedis.Tests.EndToEnd.Infrastructure;

namespace AkkaRedis.Tests.EndToEnd.EndToEnd;

/// <summary>
/// Transactions under real concurrency (real connections to the 4-shard server, each asserting exact results):
/// WATCH-based optimistic locking from 50 clients on one counter, EXECs writing keys of several shards that readers
/// never see half applied, and the CLIENT LIST flags of a connection in MULTI with a dirty watch.
/// </summary>
[Collection(E2ECollection.Name)]
[Trait("Category", "EndToEnd")]
public sealed class TransactionConcurrencyTests(E2EServers servers)
{
    private static string Text(byte[] reply) => Encoding.UTF8.GetString(reply);

    /// <summary>The value of a bulk reply ($n ... or $-1 / _ for nil).</summary>
    private static string? Bulk(byte[] reply)
    {
        var text = Text(reply);
        if (text.StartsWith("$-1") || text.StartsWith('_')) return null;
        var first = text.IndexOf("\r\n", StringComparison.Ordinal);
        return text[(first + 2)..^2];
    }

    [Fact]
    public void FiftyClientsWatchIncrRetryLoopsEndWithTheExactTotal()
    {
        const string key = "tx:e2e:counter";
        const int clients = 50, increments = 20;
        using (var setup = RawRespClient.Connect(servers.Akka.Port)) setup.Call("DEL", key);
        var retries = 0;
        ClientThreads.Run(clients, _ =>
        {
            using var c = RawRespClient.Connect(servers.Akka.Port, TimeSpan.FromSeconds(60));
            for (var done = 0; done < increments;)
            {
                Assert.Equal("+OK\r\n", Text(c.Call("WATCH", key)));
                var seen = long.Parse(Bulk(c.Call("GET", key)) ?? "0");
                Assert.Equal("+OK\r\n", Text(c.Call("MULTI")));
                Assert.Equal("+QUEUED\r\n", Text(c.Call("INCR", key)));
                var exec = Text(c.Call("EXEC"));
                if (exec == "*-1\r\n")
                {
                    Interlocked.Increment(ref retries);
                    continue;
                }
                // Committed: nobody wrote between our GET and our EXEC.
                Assert.Equal($"*1\r\n:{seen + 1}\r\n", exec);
                done++;
            }
        });
        using var check = RawRespClient.Connect(servers.Akka.Port);
        Assert.Equal((clients * increments).ToString(), Bulk(check.Call("GET", key)));
    }

    [Fact]
    public void ReadersNeverSeeAHalfAppliedExecAcrossShards()
    {
        // a, b, c and d fall on the four shards.
        string[] keys = ["{a}tx", "{b}tx", "{c}tx", "{d}tx"];
        using (var setup = RawRespClient.Connect(servers.Akka.Port)) setup.Call(["MSET", .. keys.SelectMany(k => new[] { k, "0" })]);
        var stop = 0;
        var reads = 0;
        ClientThreads.Run(6, i =>
        {
            using var c = RawRespClient.Connect(servers.Akka.Port, TimeSpan.FromSeconds(60));
            if (i < 2)
            {
                // Writers: every EXEC sets all four keys to one new value.
                for (var n = 1; n <= 300; n++)
                {
                    var value = $"{i}-{n}";
                    c.Call("MULTI");
                    foreach (var k in keys) c.Call("SET", k, value);
                    var exec = Text(c.Call("EXEC"));
                    Assert.Equal("*4\r\n+OK\r\n+OK\r\n+OK\r\n+OK\r\n", exec);
                }
                Interlocked.Increment(ref stop);
                return;
            }
            while (Volatile.Read(ref stop) < 2)
            {
                // A cross-shard MGET, and separate GETs inside the reader's own MULTI: all four the same value.
                var values = Text(i % 2 == 0 ? c.Call(["MGET", .. keys]) : ExecGets(c, keys)).Split("\r\n")
                    .Where(l => l.Length > 0 && l[0] != '*' && l[0] != '$').ToList();
                Assert.Equal(4, values.Count);
                Assert.True(values.All(v => v == values[0]), "half an EXEC seen: " + string.Join(",", values));
                Interlocked.Increment(ref reads);
            }
        });
        Assert.True(reads > 0);
    }

    private static byte[] ExecGets(RawRespClient c, string[] keys)
    {
        c.Call("MULTI");
        foreach (var k in keys) c.Call("GET", k);
        return c.Call("EXEC");
    }

    /// <summary>CLIENT LIST of a connection in MULTI (flag x, multi=n) whose watched key another client changed
    /// (flag d), on both servers; the flags go with EXEC.</summary>
    [Fact]
    public void ClientListShowsMultiAndDirtyWatch()
    {
        var multiMem = new List<string>();
        foreach (var port in new[] { servers.Redis.Port, servers.Akka.Port })
        {
            using var c1 = RawRespClient.Connect(port);
            using var c2 = RawRespClient.Connect(port);
            var id = Text(c1.Call("CLIENT", "ID"))[1..^2];
            c1.Call("WATCH", "tx:e2e:flags");
            Assert.Contains(" flags=N ", Line(c2, id));
            c1.Call("MULTI");
            c1.Call("SET", "tx:e2e:flags", "1");
            c1.Call("GET", "tx:e2e:flags");
            var line = Line(c2, id);
            Assert.Contains(" flags=x ", line);
            Assert.Contains(" multi=2 ", line);
            multiMem.Add(System.Text.RegularExpressions.Regex.Match(line, " multi-mem=[0-9]+ ").Value);
            c2.Call("SET", "tx:e2e:flags", "other");
            Assert.Contains(" flags=xd ", Line(c2, id));
            Assert.Equal("*-1\r\n", Text(c1.Call("EXEC")));
            line = Line(c2, id);
            Assert.Contains(" flags=N ", line);
            Assert.Contains(" multi=-1 ", line);
            Assert.Contains(" multi-mem=0 ", line);
        }
        // The queued arguments' bytes and argv pointers, as Redis counts them.
        Assert.Equal(multiMem[0], multiMem[1]);
    }

    private static string Line(RawRespClient c, string id) => Bulk(c.Call("CLIENT", "LIST", "ID", id))!;
}
