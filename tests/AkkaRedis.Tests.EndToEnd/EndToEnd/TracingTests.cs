using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;
using AkkaRedis.Tests.EndToEnd.Infrastructure;

namespace AkkaRedis.Tests.EndToEnd.EndToEnd;

/// <summary>
/// Actor tracing switched on at run time with CONFIG SET: one SET to a key on a known shard shows, in the server's
/// log, every hop of that command under one correlation id (connection id:command number), with the shard's
/// actor path and timings; then the same as JSON lines. Akka's own debug logging reaches the same log.
/// Uses its own server (tracing changes the shared server's log and settings).
/// </summary>
[Collection(E2ECollection.Name)]
[Trait("Category", "EndToEnd")]
public sealed class TracingTests
{
    private const int Shards = 4;
    private static readonly TimeSpan LogDeadline = TimeSpan.FromSeconds(10);
    private static readonly Regex TextHop = new(
        @"\* trace (?<id>\d+:\d+) (?<hop>[a-z.-]+) (?<actor>\S+) (?<msg>\S+) (?<cmd>\S+) elapsed=(?<elapsed>[0-9.]+)us took=(?<took>[0-9.]+)us$",
        RegexOptions.Multiline);

    private static string KeyOnShard(int shard)
    {
        for (var i = 0; ; i++)
            if (KeySlots.Shard("traced:" + i, Shards) == shard) return "traced:" + i;
    }

    private static List<Match> HopsOf(AkkaRedisProcess server, string id) =>
        TextHop.Matches(server.Output).Where(m => m.Groups["id"].Value == id).ToList();

    [Fact]
    public void TracingSwitchedOnAtRunTimeLogsEveryHopOfASetWithOneId()
    {
        if (AkkaRedisProcess.TargetIsRealRedis) return; // AkkaRedis's own feature: nothing to compare with
        using var server = AkkaRedisProcess.Started("--shards", Shards.ToString(CultureInfo.InvariantCulture));
        using var client = server.Connect();
        var clientId = client.CallText("CLIENT", "ID").Trim(':').Replace("\\r\\n", "");
        Assert.Equal("+OK\\r\\n", client.CallText("SET", "before-tracing", "x"));
        Assert.Equal("+OK\\r\\n", client.CallText("CONFIG", "SET", "trace-commands", "yes"));
        var key = KeyOnShard(2);
        Assert.Equal("+OK\\r\\n", client.CallText("SET", key, "v"));

        // CLIENT ID, SET, CONFIG SET, then the traced SET: the 4th command of this connection.
        var id = clientId + ":4";
        Assert.True(Poll.Until(() => HopsOf(server, id).Any(m => m.Groups["hop"].Value == "session.reply"), LogDeadline),
            $"no session.reply hop for {id}\n{server.Describe()}");
        var hops = HopsOf(server, id);
        Assert.Equal(["session.receive", "session.dispatch", "shard.receive", "shard.execute", "session.reply"],
            hops.Select(m => m.Groups["hop"].Value));
        Assert.All(hops, m => Assert.Equal("set", m.Groups["cmd"].Value));
        Assert.All(hops.Where(m => m.Groups["hop"].Value.StartsWith("shard.", StringComparison.Ordinal)),
            m => Assert.Equal("akka://akkaredis/user/keyspace/shard-2", m.Groups["actor"].Value));
        Assert.All(hops.Where(m => m.Groups["hop"].Value.StartsWith("session.", StringComparison.Ordinal)),
            m => Assert.StartsWith("akka://akkaredis/", m.Groups["actor"].Value));
        Assert.Equal("ShardBatch", hops[2].Groups["msg"].Value);
        var elapsed = hops.Select(m => double.Parse(m.Groups["elapsed"].Value, CultureInfo.InvariantCulture)).ToList();
        for (var i = 1; i < elapsed.Count; i++) Assert.True(elapsed[i] >= elapsed[i - 1], $"elapsed times grow: {string.Join(", ", elapsed)}");
        Assert.True(elapsed[^1] > 0);
        // Nothing was traced before tracing was switched on.
        Assert.Empty(HopsOf(server, clientId + ":2"));

        // The same hops as JSON lines for log tools.
        Assert.Equal("+OK\\r\\n", client.CallText("CONFIG", "SET", "trace-log-format", "json"));
        Assert.Equal("$1\\r\\nv\\r\\n", client.CallText("GET", key));
        var jsonId = clientId + ":6";
        List<JsonElement> JsonHops() => server.Output.Split('\n')
            .Where(l => l.StartsWith('{') && l.Contains($"\"TraceId\":\"{jsonId}\"", StringComparison.Ordinal))
            .Select(l => JsonDocument.Parse(l).RootElement).ToList();
        Assert.True(Poll.Until(() => JsonHops().Any(j => j.GetProperty("Hop").GetString() == "session.reply"), LogDeadline),
            $"no JSON session.reply hop for {jsonId}\n{server.Describe()}");
        var shardHop = JsonHops().Single(j => j.GetProperty("Hop").GetString() == "shard.execute");
        Assert.Equal("akka://akkaredis/user/keyspace/shard-2", shardHop.GetProperty("ActorPath").GetString());
        Assert.Equal("get", shardHop.GetProperty("Command").GetString());
        Assert.True(shardHop.GetProperty("DurationUs").GetDouble() >= 0);

        // Switched off again: nothing more.
        Assert.Equal("+OK\\r\\n", client.CallText("CONFIG", "SET", "trace-commands", "no"));
        Assert.Equal("$1\\r\\nv\\r\\n", client.CallText("GET", key));
        Assert.Equal("+PONG\\r\\n", client.CallText("PING"));
        Assert.DoesNotContain($"\"TraceId\":\"{clientId}:8\"", server.Output);
    }

    [Fact]
    public void ACrossShardCommandIsTracedThroughTheTransactionActorAndBothShards()
    {
        if (AkkaRedisProcess.TargetIsRealRedis) return;
        using var server = AkkaRedisProcess.Started("--shards", Shards.ToString(CultureInfo.InvariantCulture), "--trace-commands", "yes");
        using var client = server.Connect();
        var clientId = client.CallText("CLIENT", "ID").Trim(':').Replace("\\r\\n", "");
        Assert.Equal("+OK\\r\\n", client.CallText("MSET", KeyOnShard(0), "a", KeyOnShard(3), "b"));

        var id = clientId + ":2";
        Assert.True(Poll.Until(() => HopsOf(server, id).Any(m => m.Groups["hop"].Value == "session.reply"), LogDeadline),
            $"no session.reply hop for {id}\n{server.Describe()}");
        var hops = HopsOf(server, id);
        Assert.Equal("session.dispatch-transaction", hops[1].Groups["hop"].Value);
        Assert.Equal("transaction.receive", hops[2].Groups["hop"].Value);
        Assert.Equal("akka://akkaredis/user/keyspace/transactions", hops[2].Groups["actor"].Value);
        Assert.Equal(["akka://akkaredis/user/keyspace/shard-0", "akka://akkaredis/user/keyspace/shard-3"],
            hops.Where(m => m.Groups["hop"].Value == "shard.hold").Select(m => m.Groups["actor"].Value).Order());
        Assert.Contains(hops, m => m.Groups["hop"].Value == "transaction.execute");
    }

    [Fact]
    public void AkkasOwnDebugLoggingSwitchedOnInHoconGoesThroughTheSameLog()
    {
        if (AkkaRedisProcess.TargetIsRealRedis) return;
        var hocon = Path.GetTempFileName();
        try
        {
            File.WriteAllText(hocon, "akka { loglevel = DEBUG\n actor.debug { lifecycle = on\n unhandled = on } }\n");
            using var server = AkkaRedisProcess.Started("--shards", "2", "--akka-config", hocon, "--loglevel", "debug");
            var lifecycle = new Regex(@"^\d+:M \d\d \w{3} \d{4} [0-9:.]+ - Started \(AkkaRedis\.Actors\.Keyspace\.ShardActor\)", RegexOptions.Multiline);
            Assert.True(Poll.Until(() => lifecycle.Matches(server.Output).Count == 2, LogDeadline),
                $"expected both shard actors' lifecycle lines in Redis's log format\n{server.Describe()}");
        }
        finally
        {
            File.Delete(hocon);
        }
    }
}
