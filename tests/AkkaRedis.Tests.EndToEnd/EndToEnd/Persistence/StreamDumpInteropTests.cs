using System.Text;
using AkkaRedis.Tests.EndToEnd.Infrastructure;

namespace AkkaRedis.Tests.EndToEnd.EndToEnd.Persistence;

/// <summary>
/// Streams moving between redis-server 7.0 and AkkaRedis by DUMP / RESTORE (the RDB stream encoding, issue 12):
/// each shape is built by the same XADD / XGROUP / XREADGROUP / XCLAIM / XACK / XDEL / XTRIM / XSETID commands on both
/// servers; redis-server's DUMP is restored here and ours there. The restored copy must equal the original it came
/// from: DEBUG DIGEST-VALUE (the entries), XINFO STREAM FULL byte for byte (counters, the node rax's keys and
/// nodes, groups, PELs and consumers with their delivery and seen times, which travel in the payload); MEMORY USAGE
/// SAMPLES 0 of the originals and of the copies equal across the servers. Where Redis's
/// layout is deterministic (no consumer-group times) both DUMPs are the same bytes.
/// </summary>
[Collection(E2ECollection.Name)]
[Trait("Category", "EndToEnd")]
public sealed class StreamDumpInteropTests(E2EServers servers)
{
    private static IEnumerable<string[]> Xadds(string key, int from, int to, Func<int, string[]>? pairs = null) =>
        Enumerable.Range(from, to - from + 1).Select(i =>
            (string[])["XADD", key, $"{1700000000000L + i * 3}-{i % 4}", .. pairs?.Invoke(i) ?? ["field", "value" + i]]);

    private static string IdOf(int i) => $"{1700000000000L + i * 3}-{i % 4}";

    /// <summary>(key, commands, whether the DUMPs must be the same bytes).</summary>
    private static readonly (string Key, string[][] Build, bool SameBytes)[] Shapes =
    [
        ("s:few", [.. Xadds("s:few", 1, 3, i => i == 2 ? ["other", "12345", "x", ""] : ["field", "value" + i])], true),
        ("s:one", [["XADD", "s:one", "5-5", "f", "v"]], true),
        ("s:nothing-added", [["XADD", "s:nothing-added", "1-1", "f", "v"], ["XDEL", "s:nothing-added", "1-1"]], true),
        ("s:setid", [.. Xadds("s:setid", 1, 5), ["XDEL", "s:setid", IdOf(1)],
            ["XSETID", "s:setid", "1800000000000-7", "ENTRIESADDED", "99", "MAXDELETEDID", "1750000000000-0"]], true),
        ("s:deleted-trimmed", [.. Xadds("s:deleted-trimmed", 1, 400, i => i % 5 == 0 ? ["a", i.ToString(), "b", "-7"] : ["field", "value" + i]),
            .. Enumerable.Range(1, 40).Select(i => new[] { "XDEL", "s:deleted-trimmed", IdOf(i * 9) }),
            ["XTRIM", "s:deleted-trimmed", "MAXLEN", "300"], ["XTRIM", "s:deleted-trimmed", "MINID", "~", IdOf(150)]], true),
        ("s:big-values", [.. Xadds("s:big-values", 1, 30, i => ["blob", new string((char)('a' + i % 26), 100 * i), "n", (i * 1000003).ToString()])], true),
        ("s:groups", [.. Xadds("s:groups", 1, 200, i => i % 3 == 0 ? ["f", "v" + i, "g", "w"] : ["field", "value" + i]),
            ["XGROUP", "CREATE", "s:groups", "g", "0"],
            ["XREADGROUP", "GROUP", "g", "alice", "COUNT", "50", "STREAMS", "s:groups", ">"],
            ["XREADGROUP", "GROUP", "g", "bob", "COUNT", "30", "STREAMS", "s:groups", ">"],
            ["XACK", "s:groups", "g", .. Enumerable.Range(1, 20).Select(i => IdOf(i * 2))],
            ["XCLAIM", "s:groups", "g", "carol", "0", IdOf(51), IdOf(53), IdOf(3), "RETRYCOUNT", "7"],
            ["XGROUP", "CREATECONSUMER", "s:groups", "g", "dave"],
            ["XGROUP", "CREATE", "s:groups", "late", "$"],
            ["XGROUP", "CREATE", "s:groups", "mid", IdOf(100), "ENTRIESREAD", "100"],
            ["XREADGROUP", "GROUP", "mid", "erin", "COUNT", "5", "STREAMS", "s:groups", ">"],
            ["XDEL", "s:groups", IdOf(52), IdOf(150)],
            ["XTRIM", "s:groups", "MAXLEN", "180"]], false),
    ];

    [Fact]
    public void Streams_dumped_by_either_server_restore_in_the_other_with_equal_content()
    {
        Check(Shapes, nodeMaxEntries: null);
    }

    [Fact]
    public void Streams_with_redis_servers_own_node_cuts_restore_here_with_the_same_nodes()
    {
        // Small nodes: thousands of entries in hundreds of listpacks, cut by entries and by bytes.
        (string, string[][], bool)[] shapes =
        [
            ("s:nodes", [.. Xadds("s:nodes", 1, 3000, i => i % 11 == 0 ? ["x", new string('y', i % 200)] : ["field", "value" + i]),
                ["XTRIM", "s:nodes", "MINID", "~", IdOf(1000)],
                ["XGROUP", "CREATE", "s:nodes", "g", "0"],
                ["XREADGROUP", "GROUP", "g", "c", "COUNT", "100", "STREAMS", "s:nodes", ">"]], false),
        ];
        Check(shapes, nodeMaxEntries: "7");
    }

    private void Check((string Key, string[][] Build, bool SameBytes)[] shapes, string? nodeMaxEntries)
    {
        using var redis = servers.Redis.Connect();
        using var akka = servers.Akka.Connect();
        var problems = new StringBuilder();
        try
        {
            if (nodeMaxEntries != null)
                foreach (var c in new[] { redis, akka })
                {
                    Ok(c.Call("CONFIG", "SET", "stream-node-max-entries", nodeMaxEntries));
                    Ok(c.Call("CONFIG", "SET", "stream-node-max-bytes", "256"));
                }
            foreach (var (key, build, sameBytes) in shapes)
            {
                foreach (var c in new[] { redis, akka })
                {
                    c.Call("DEL", key, key + ":from-redis", key + ":from-akka");
                    foreach (var command in build)
                    {
                        var reply = RespValue.Parse(c.Call(command));
                        Assert.False(reply.IsError, $"{string.Join(' ', command.Take(4))}: {reply}");
                    }
                }
                var redisDump = Bulk(redis.Call("DUMP", key));
                var akkaDump = Bulk(akka.Call("DUMP", key));
                if (sameBytes && !redisDump.AsSpan().SequenceEqual(akkaDump))
                    problems.AppendLine($"{key}: DUMP differs\n  redis {Resp.Escape(redisDump, 600)}\n  akka  {Resp.Escape(akkaDump, 600)}");

                var restored = akka.Call(Resp.Args("RESTORE", key + ":from-redis", "0").Append(redisDump).ToList());
                if (Resp.Escape(restored) != "+OK\\r\\n") { problems.AppendLine($"{key}: RESTORE here of redis-server's DUMP: {Resp.Escape(restored)}"); continue; }
                restored = redis.Call(Resp.Args("RESTORE", key + ":from-akka", "0").Append(akkaDump).ToList());
                if (Resp.Escape(restored) != "+OK\\r\\n") { problems.AppendLine($"{key}: RESTORE in redis-server of our DUMP: {Resp.Escape(restored)}"); continue; }

                // Built alike, the originals take the same memory, and so do the restored copies (a loaded listpack is
                // allocated at its size, the tail node's up-front allocation gone, on both servers).
                foreach (var (r, a) in new[] { (key, key), (key + ":from-akka", key + ":from-redis") })
                {
                    var usage = redis.CallText("MEMORY", "USAGE", r, "SAMPLES", "0");
                    var ours = akka.CallText("MEMORY", "USAGE", a, "SAMPLES", "0");
                    if (usage != ours) problems.AppendLine($"{key}: MEMORY USAGE {r} SAMPLES 0 on redis-server {usage}, of {a} here {ours}");
                }
                Compare(problems, $"{key} (redis-server's, restored here)", redis, key, akka, key + ":from-redis");
                Compare(problems, $"{key} (ours, restored in redis-server)", akka, key, redis, key + ":from-akka");
                foreach (var c in new[] { redis, akka }) c.Call("DEL", key, key + ":from-redis", key + ":from-akka");
            }
        }
        finally
        {
            if (nodeMaxEntries != null)
                foreach (var c in new[] { redis, akka })
                {
                    c.Call("CONFIG", "SET", "stream-node-max-entries", "100");
                    c.Call("CONFIG", "SET", "stream-node-max-bytes", "4096");
                }
        }
        Assert.True(problems.Length == 0, "redis-server/akkaredis differ:\n" + problems);
    }

    /// <summary>The original on one server against its restored copy on the other: digest and XINFO STREAM FULL.</summary>
    private static void Compare(StringBuilder problems, string what, RawRespClient from, string key, RawRespClient to, string copy)
    {
        var digest = from.CallText("DEBUG", "DIGEST-VALUE", key);
        var copied = to.CallText("DEBUG", "DIGEST-VALUE", copy);
        if (digest != copied) problems.AppendLine($"{what}: DEBUG DIGEST-VALUE {digest} / {copied}");
        var info = from.Call("XINFO", "STREAM", key, "FULL", "COUNT", "0");
        var copiedInfo = to.Call("XINFO", "STREAM", copy, "FULL", "COUNT", "0");
        if (info.AsSpan().SequenceEqual(copiedInfo)) return;
        var (a, b) = (Resp.Escape(info, int.MaxValue), Resp.Escape(copiedInfo, int.MaxValue));
        problems.AppendLine($"{what}: XINFO STREAM FULL differs\n  original {Around(a, b)}\n  copy     {Around(b, a)}");
    }

    /// <summary>The part of <paramref name="a"/> around its first difference from <paramref name="b"/>.</summary>
    private static string Around(string a, string b)
    {
        var i = 0;
        while (i < a.Length && i < b.Length && a[i] == b[i]) i++;
        var start = Math.Max(0, i - 200);
        return (start > 0 ? "..." : "") + a[start..Math.Min(a.Length, i + 200)];
    }

    private static byte[] Bulk(byte[] reply)
    {
        var value = RespValue.Parse(reply);
        Assert.True(value.IsBulkLike, "DUMP: " + value);
        return value.Payload!;
    }

    private static void Ok(byte[] reply) => Assert.Equal("+OK\\r\\n", Resp.Escape(reply));
}
