using AkkaRedis.Actors.Session;
using AkkaRedis.Actors.Commands;
using AkkaRedis.Actors.Server;

namespace AkkaRedis.Tests.Unit.Commands;

/// <summary>
/// Every command declaration against the reference recorded from redis-server 7.0.15
/// (scripts/record-command-reference): the declaration holds what code needs, the reference what Redis says, and
/// this test holds the two together.
/// </summary>
public sealed class CommandReferenceTests
{
    private static readonly CommandTable Table = AkkaRedis.Actors.Session.Families.CreateTable();

    [Fact]
    public void The_reference_holds_every_redis_7_0_command()
    {
        var reference = CommandReference.Redis;
        Assert.Equal(240, reference.TopLevel.Count);
        Assert.Equal(16, reference.Find("client")!.Subcommands.Count);
        Assert.Equal("client|kill", reference.Find("CLIENT|KILL")!.Name);
        Assert.Null(reference.Find("nosuch"));
        Assert.Null(reference.Find("get|x"));
    }

    [Fact]
    public void Every_declaration_matches_the_recorded_command_info()
    {
        var problems = new List<string>();
        foreach (var def in Table.AllWithSubcommands) problems.AddRange(Differences(def));
        Assert.True(problems.Count == 0, "declarations that differ from redis-server 7.0.15's COMMAND INFO:\n" + string.Join('\n', problems));
    }

    [Fact]
    public void A_changed_declaration_is_named()
    {
        // The check itself must be able to fail: a GET declared with a wrong arity, flag, ACL category and key spec.
        var t = new CommandTable();
        var get = t.Add(new("get", 3, Declare.F("readonly"), 1, 1, 1, Declare.A("string")) { KeySpecFlags = ["RW access"] });
        var problems = Differences(get).ToList();
        Assert.Contains("get: arity 3, Redis 2", problems);
        Assert.Contains("get: flags [readonly], Redis [readonly fast]", problems);
        Assert.Contains("get: ACL categories [@read @string @slow], Redis [@read @string @fast]", problems);
        Assert.Contains("get: key spec 0 flags [RW access], Redis [RO access]", problems);
        var container = t.Add(new("object", -2, Declare.F(""), 0, 0, 0, Declare.A("")));
        t.AddSub(container, new("nosuch", 2, Declare.F(""), 0, 0, 0, Declare.A("")));
        Assert.Contains("object|nosuch: not a Redis 7.0.15 command", Differences(container.Subcommands!["nosuch"]));
    }

    /// <summary>What differs between a declaration and the recorded COMMAND INFO entry, one line per difference,
    /// each naming the command.</summary>
    private static IEnumerable<string> Differences(CommandDef def)
    {
        var r = def.Reference;
        if (r == null)
        {
            yield return $"{def.Name}: not a Redis 7.0.15 command";
            yield break;
        }
        if (def.Arity != r.Arity) yield return $"{def.Name}: arity {def.Arity}, Redis {r.Arity}";
        var flags = string.Join(' ', CommandIntrospection.FlagWords(def));
        var redisFlags = string.Join(' ', r.Flags);
        if (flags != redisFlags) yield return $"{def.Name}: flags [{flags}], Redis [{redisFlags}]";
        if ((def.FirstKey, def.LastKey, def.Step) != (r.FirstKey, r.LastKey, r.Step))
            yield return $"{def.Name}: keys ({def.FirstKey}, {def.LastKey}, {def.Step}), Redis ({r.FirstKey}, {r.LastKey}, {r.Step})";
        var acl = string.Join(' ', CommandIntrospection.CategoryWords(def).Select(c => "@" + c));
        var redisAcl = string.Join(' ', r.AclCategories);
        if (acl != redisAcl) yield return $"{def.Name}: ACL categories [{acl}], Redis [{redisAcl}]";

        var specs = def.KeySpecs;
        if (specs.Length != r.KeySpecs.Length) yield return $"{def.Name}: {specs.Length} key specs, Redis {r.KeySpecs.Length}";
        for (var i = 0; i < Math.Min(specs.Length, r.KeySpecs.Length); i++)
        {
            var recorded = r.KeySpecs[i];
            var specFlags = string.Join(' ', specs[i].Flags);
            var redisSpecFlags = string.Join(' ', recorded.Field("flags")!.Items.Select(v => v.String));
            if (specFlags != redisSpecFlags) yield return $"{def.Name}: key spec {i} flags [{specFlags}], Redis [{redisSpecFlags}]";
            var search = SearchText(specs[i]);
            var redisSearch = SearchText(recorded);
            if (search != redisSearch) yield return $"{def.Name}: key spec {i} [{search}], Redis [{redisSearch}]";
        }

        // Containers: a declared container is one in Redis, and each declared subcommand is one of Redis's (it may
        // declare only some: the others stay out of COMMAND output until they are implemented).
        if ((def.Subcommands != null) != (r.Subcommands.Count > 0))
            yield return $"{def.Name}: {(def.Subcommands != null ? "a container" : "not a container")}, Redis {(r.Subcommands.Count > 0 ? "a container" : "not a container")}";
    }

    /// <summary>A declared key spec's search in the recorded map's terms: "index 1 range 0 1 0".</summary>
    private static string SearchText(KeySpec spec)
    {
        var begin = spec.Begin switch
        {
            BeginSearch.Index => $"index {spec.Start}",
            BeginSearch.Keyword => $"keyword {spec.Keyword} {spec.Start}",
            _ => "unknown",
        };
        var find = spec.Find switch
        {
            FindKeys.Range => $"range {spec.LastKey} {spec.KeyStep} {spec.Limit}",
            FindKeys.Keynum => $"keynum {spec.KeyNumIndex} {spec.FirstKey} {spec.KeyStep}",
            _ => "unknown",
        };
        return begin + " " + find;
    }

    /// <summary>A recorded key spec's search, from its begin_search and find_keys maps.</summary>
    private static string SearchText(RefValue recorded)
    {
        var begin = recorded.Field("begin_search")!;
        var beginSpec = begin.Field("spec")!;
        var beginText = begin.Field("type")!.String switch
        {
            "index" => $"index {beginSpec.Field("index")!.Integer}",
            "keyword" => $"keyword {beginSpec.Field("keyword")!.String} {beginSpec.Field("startfrom")!.Integer}",
            _ => "unknown",
        };
        var find = recorded.Field("find_keys")!;
        var findSpec = find.Field("spec")!;
        var findText = find.Field("type")!.String switch
        {
            "range" => $"range {findSpec.Field("lastkey")!.Integer} {findSpec.Field("keystep")!.Integer} {findSpec.Field("limit")!.Integer}",
            "keynum" => $"keynum {findSpec.Field("keynumidx")!.Integer} {findSpec.Field("firstkey")!.Integer} {findSpec.Field("keystep")!.Integer}",
            _ => "unknown",
        };
        return beginText + " " + findText;
    }
}

public sealed class BarrierRuleTests
{
    [Fact]
    public void Session_barriers_are_the_dangerous_commands_and_the_declared_ones()
    {
        var table = AkkaRedis.Actors.Session.Families.CreateTable();
        var barriers = table.AllWithSubcommands.Where(d => d.Execution == Execution.Session && d.Barrier).Select(d => d.Name).Order(StringComparer.Ordinal);
        // Derived (@dangerous): CLIENT KILL/LIST/NO-EVICT/PAUSE/UNBLOCK/UNPAUSE, CONFIG GET/SET/RESETSTAT/REWRITE, INFO,
        // LASTSAVE, LATENCY (but HELP), MONITOR, SLOWLOG (but HELP) (SHUTDOWN is the Persistence actor's). Declared: CLIENT TRACKING, DISCARD, EXEC,
        // HELLO, MEMORY DOCTOR/STATS, QUIT, RESET, SCRIPT EXISTS/FLUSH/LOAD (a pipelined EVALSHA after SCRIPT LOAD finds
        // its script), SELECT, UNWATCH, PUBLISH, SPUBLISH and the (un)subscribe commands.
        Assert.Equal(
            "client|kill client|list client|no-evict client|pause client|tracking client|unblock client|unpause config|get config|resetstat " +
            "config|rewrite config|set discard exec hello info lastsave latency|doctor latency|graph latency|histogram latency|history latency|latest " +
            "latency|reset memory|doctor memory|stats monitor psubscribe publish punsubscribe quit reset script|exists script|flush script|load select " +
            "slowlog|get slowlog|len slowlog|reset spublish ssubscribe subscribe sunsubscribe unsubscribe unwatch",
            string.Join(' ', barriers));
    }
}
