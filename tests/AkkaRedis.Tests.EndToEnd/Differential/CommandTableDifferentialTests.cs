using System.Text;
using AkkaRedis.Tests.EndToEnd.Infrastructure;

namespace AkkaRedis.Tests.EndToEnd.Differential;

/// <summary>
/// The whole command table against redis-server 7.0.15: for every command and subcommand AkkaRedis implements (what
/// its COMMAND LIST says), COMMAND INFO and COMMAND DOCS byte for byte in RESP2 and RESP3; COMMAND's entries; COMMAND
/// LIST (whole and filtered) and COMMAND COUNT against Redis's lists restricted to the implemented commands.
/// Redis keeps subcommands in a hash table with a random seed, so their order changes from run to run: subcommand
/// lists are put in name order on both sides first (ReplyRules.SortSubcommandInfo / SortSubcommandDocs). A container
/// whose subcommands are only partly implemented is compared with Redis's entry restricted to the implemented ones.
/// </summary>
[Collection(E2ECollection.Name)]
[Trait("Category", "Differential")]
[Trait("Family", "introspection")]
public sealed class CommandTableDifferentialTests(E2EServers servers)
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);

    private sealed record Pair(RawRespClient Redis, RawRespClient Akka) : IDisposable
    {
        public void Dispose()
        {
            Redis.Dispose();
            Akka.Dispose();
        }
    }

    private Pair Connect(int resp)
    {
        var pair = new Pair(servers.Redis.Connect(Timeout), servers.Akka.Connect(Timeout));
        if (resp == 3)
        {
            pair.Redis.Call("HELLO", "3");
            pair.Akka.Call("HELLO", "3");
        }
        return pair;
    }

    private static List<string> Names(byte[] reply) =>
        RespValue.Parse(reply).Items!.Select(v => v.Text).ToList();

    /// <summary>What AkkaRedis implements, by its own COMMAND LIST: every name must be one of Redis's.</summary>
    private static HashSet<string> Implemented(Pair c)
    {
        var akka = Names(c.Akka.Call("COMMAND", "LIST"));
        var redis = Names(c.Redis.Call("COMMAND", "LIST")).ToHashSet(StringComparer.Ordinal);
        var unknown = akka.Where(n => !redis.Contains(n)).ToList();
        Assert.True(unknown.Count == 0, "AkkaRedis lists commands redis-server 7.0.15 does not have: " + string.Join(' ', unknown));
        Assert.True(akka.Count == akka.Distinct().Count(), "AkkaRedis's COMMAND LIST repeats names");
        return akka.ToHashSet(StringComparer.Ordinal);
    }

    [Theory]
    [InlineData(2)]
    [InlineData(3)]
    public void Command_info_of_every_implemented_command_matches_redis(int resp)
    {
        using var c = Connect(resp);
        var implemented = Implemented(c);
        var differences = new List<string>();
        foreach (var name in implemented.Order(StringComparer.Ordinal))
        {
            var redis = InfoNormalised(c.Redis.Call("COMMAND", "INFO", name), implemented);
            var akka = InfoNormalised(c.Akka.Call("COMMAND", "INFO", name), implemented);
            if (!redis.AsSpan().SequenceEqual(akka)) differences.Add(Difference("COMMAND INFO " + name, redis, akka));
        }
        Assert.True(differences.Count == 0, $"RESP{resp}: {differences.Count} COMMAND INFO replies differ:\n" + string.Join('\n', differences));
    }

    [Theory]
    [InlineData(2)]
    [InlineData(3)]
    public void Command_docs_of_every_implemented_command_matches_redis(int resp)
    {
        using var c = Connect(resp);
        var implemented = Implemented(c);
        var differences = new List<string>();
        foreach (var name in implemented.Order(StringComparer.Ordinal))
        {
            var redis = DocsNormalised(c.Redis.Call("COMMAND", "DOCS", name), implemented);
            var akka = DocsNormalised(c.Akka.Call("COMMAND", "DOCS", name), implemented);
            if (!redis.AsSpan().SequenceEqual(akka)) differences.Add(Difference("COMMAND DOCS " + name, redis, akka));
        }
        Assert.True(differences.Count == 0, $"RESP{resp}: {differences.Count} COMMAND DOCS replies differ:\n" + string.Join('\n', differences));
    }

    [Theory]
    [InlineData(2)]
    [InlineData(3)]
    public void Command_and_command_count_hold_exactly_the_implemented_commands(int resp)
    {
        using var c = Connect(resp);
        var implemented = Implemented(c);
        var topLevel = implemented.Where(n => !n.Contains('|')).ToHashSet(StringComparer.Ordinal);

        Assert.Equal($":{topLevel.Count}\r\n", Encoding.Latin1.GetString(c.Akka.Call("COMMAND", "COUNT")));

        // COMMAND: one entry per implemented top-level command, each Redis's own entry.
        var redisEntries = EntriesByName(c.Redis.Call("COMMAND"), implemented);
        var akkaEntries = EntriesByName(c.Akka.Call("COMMAND"), implemented);
        Assert.Equal(topLevel.Order(StringComparer.Ordinal), akkaEntries.Keys.Order(StringComparer.Ordinal));
        var differences = new List<string>();
        foreach (var (name, akka) in akkaEntries)
            if (!redisEntries[name].AsSpan().SequenceEqual(akka)) differences.Add(Difference("COMMAND entry " + name, redisEntries[name], akka));
        Assert.True(differences.Count == 0, $"RESP{resp}: COMMAND entries differ:\n" + string.Join('\n', differences));

        // COMMAND DOCS with no names: every implemented top-level command, as Redis documents it.
        var akkaDocs = RespValue.Parse(c.Akka.Call("COMMAND", "DOCS"));
        var documented = new List<string>();
        for (var i = 0; i < akkaDocs.Items!.Count; i += 2) documented.Add(akkaDocs.Items[i].Text);
        Assert.Equal(topLevel.Order(StringComparer.Ordinal), documented.Order(StringComparer.Ordinal));
    }

    [Theory]
    [InlineData(2)]
    [InlineData(3)]
    public void Command_list_filters_match_redis_restricted_to_the_implemented_commands(int resp)
    {
        using var c = Connect(resp);
        var implemented = Implemented(c);
        string[][] filters =
        [
            [], ["FILTERBY", "MODULE", "nosuch"], ["FILTERBY", "PATTERN", "*"], ["FILTERBY", "PATTERN", "client|*"],
            ["FILTERBY", "PATTERN", "*e?"], ["FILTERBY", "PATTERN", "CONFIG|G*"], ["FILTERBY", "ACLCAT", "nosuch"],
            .. new[]
            {
                "keyspace", "read", "write", "set", "sortedset", "list", "hash", "string", "bitmap", "hyperloglog", "geo", "stream",
                "pubsub", "admin", "fast", "slow", "blocking", "dangerous", "connection", "transaction", "scripting",
            }.Select(category => new[] { "FILTERBY", "ACLCAT", category }),
        ];
        foreach (var filter in filters)
        {
            string[] command = ["COMMAND", "LIST", .. filter];
            var redis = Names(c.Redis.Call(command)).Where(implemented.Contains).Order(StringComparer.Ordinal);
            var akka = Names(c.Akka.Call(command)).Order(StringComparer.Ordinal);
            Assert.True(redis.SequenceEqual(akka),
                $"RESP{resp} {string.Join(' ', command)}:\n  redis (implemented only): {string.Join(' ', redis)}\n  akkaredis: {string.Join(' ', akka)}");
        }
    }

    private static string Difference(string what, byte[] redis, byte[] akka)
    {
        var at = redis.AsSpan().CommonPrefixLength(akka);
        var from = Math.Max(0, at - 60);
        return $"{what}: differs at byte {at}\n" +
               $"  redis:     ...{Resp.Escape(redis.AsSpan(from, Math.Min(redis.Length - from, 200)))}\n" +
               $"  akkaredis: ...{Resp.Escape(akka.AsSpan(from, Math.Min(akka.Length - from, 200)))}";
    }

    /// <summary>COMMAND INFO's reply (an array of entries) with each container's subcommands restricted to the
    /// implemented ones and in name order.</summary>
    private static byte[] InfoNormalised(byte[] reply, HashSet<string> implemented)
    {
        var v = RespValue.Parse(reply);
        if (v.Items == null) return reply;
        return ReplyRules.SortSubcommandInfo(v.WithItems(v.Items.Select(e => OnlyImplementedSubcommands(e, implemented)).ToList())).ToBytes();
    }

    private static RespValue OnlyImplementedSubcommands(RespValue entry, HashSet<string> implemented)
    {
        if (entry.Items is not { Count: 10 } fields || fields[9].Items is not { Count: > 0 } subs) return entry;
        var kept = subs.Where(s => s.Items is { Count: > 0 } f && implemented.Contains(f[0].Text)).ToList();
        if (kept.Count == subs.Count) return entry;
        var copy = new List<RespValue>(fields) { [9] = fields[9].WithItems(kept) };
        return entry.WithItems(copy);
    }

    /// <summary>COMMAND (no arguments): each entry, normalised as COMMAND INFO's, by name.</summary>
    private static Dictionary<string, byte[]> EntriesByName(byte[] reply, HashSet<string> implemented)
    {
        var result = new Dictionary<string, byte[]>(StringComparer.Ordinal);
        foreach (var entry in RespValue.Parse(reply).Items!)
        {
            var normalised = ReplyRules.SortSubcommandInfo(new RespValue { Type = '*' }.WithItems([OnlyImplementedSubcommands(entry, implemented)]));
            result[entry.Items![0].Text] = normalised.ToBytes();
        }
        return result;
    }

    /// <summary>COMMAND DOCS's reply (a map of name to docs) with each "subcommands" map restricted to the
    /// implemented ones and in name order.</summary>
    private static byte[] DocsNormalised(byte[] reply, HashSet<string> implemented)
    {
        var v = RespValue.Parse(reply);
        if (v.Items == null) return reply;
        var items = new List<RespValue>(v.Items);
        for (var i = 0; i + 1 < items.Count; i += 2)
        {
            if (items[i + 1].Items is not { } doc) continue;
            var fields = new List<RespValue>(doc);
            for (var j = 0; j + 1 < fields.Count; j += 2)
            {
                if (fields[j].Text != "subcommands" || fields[j + 1].Items is not { } subs) continue;
                var kept = new List<RespValue>();
                for (var k = 0; k + 1 < subs.Count; k += 2)
                    if (implemented.Contains(subs[k].Text)) kept.AddRange([subs[k], subs[k + 1]]);
                fields[j + 1] = fields[j + 1].WithItems(kept);
            }
            items[i + 1] = items[i + 1].WithItems(fields);
        }
        return ReplyRules.SortSubcommandDocs(v.WithItems(items)).ToBytes();
    }
}
