using AkkaRedis.Actors.Session;
using AkkaRedis.Actors.Commands;

namespace AkkaRedis.Tests.Unit.Commands;

/// <summary>
/// The keys family's declarations against redis-server 7.0.15's COMMAND INFO and COMMAND DOCS.
/// </summary>
public sealed class KeysDeclarationTests
{
    private static readonly CommandTable Table = AkkaRedis.Actors.Session.Families.CreateTable();

    private static CommandDef Find(string name)
    {
        var parts = name.Split('|');
        var def = Table.Find(parts[0]);
        Assert.NotNull(def);
        if (parts.Length == 2)
        {
            Assert.NotNull(def!.Subcommands);
            def = def.Subcommands![parts[1]];
        }
        return def!;
    }

    private static string FlagWords(CommandFlags flags)
    {
        var words = new List<string>();
        foreach (var (flag, word) in new (CommandFlags, string)[]
                 {
                     (CommandFlags.Write, "write"), (CommandFlags.ReadOnly, "readonly"), (CommandFlags.DenyOom, "denyoom"),
                     (CommandFlags.Admin, "admin"), (CommandFlags.NoScript, "noscript"), (CommandFlags.Loading, "loading"),
                     (CommandFlags.Stale, "stale"), (CommandFlags.Fast, "fast"), (CommandFlags.MovableKeys, "movablekeys"),
                 })
            if ((flags & flag) != 0) words.Add(word);
        return string.Join(' ', words);
    }

    private static string AclWords(AclCategories acl)
    {
        var words = new List<string>();
        foreach (var (cat, word) in new (AclCategories, string)[]
                 {
                     (AclCategories.Keyspace, "@keyspace"), (AclCategories.Read, "@read"), (AclCategories.Write, "@write"),
                     (AclCategories.String, "@string"), (AclCategories.Admin, "@admin"), (AclCategories.Fast, "@fast"),
                     (AclCategories.Slow, "@slow"), (AclCategories.Dangerous, "@dangerous"),
                 })
            if ((acl & cat) != 0) words.Add(word);
        return string.Join(' ', words);
    }

    // name, arity, flags, first, last, step, ACL categories: as COMMAND INFO lists them.
    [Theory]
    [InlineData("copy", -3, "write denyoom", 1, 2, 1, "@keyspace @write @slow")]
    [InlineData("del", -2, "write", 1, -1, 1, "@keyspace @write @slow")]
    [InlineData("unlink", -2, "write fast", 1, -1, 1, "@keyspace @write @fast")]
    [InlineData("exists", -2, "readonly fast", 1, -1, 1, "@keyspace @read @fast")]
    [InlineData("touch", -2, "readonly fast", 1, -1, 1, "@keyspace @read @fast")]
    [InlineData("expire", -3, "write fast", 1, 1, 1, "@keyspace @write @fast")]
    [InlineData("pexpire", -3, "write fast", 1, 1, 1, "@keyspace @write @fast")]
    [InlineData("expireat", -3, "write fast", 1, 1, 1, "@keyspace @write @fast")]
    [InlineData("pexpireat", -3, "write fast", 1, 1, 1, "@keyspace @write @fast")]
    [InlineData("expiretime", 2, "readonly fast", 1, 1, 1, "@keyspace @read @fast")]
    [InlineData("pexpiretime", 2, "readonly fast", 1, 1, 1, "@keyspace @read @fast")]
    [InlineData("ttl", 2, "readonly fast", 1, 1, 1, "@keyspace @read @fast")]
    [InlineData("pttl", 2, "readonly fast", 1, 1, 1, "@keyspace @read @fast")]
    [InlineData("persist", 2, "write fast", 1, 1, 1, "@keyspace @write @fast")]
    [InlineData("type", 2, "readonly fast", 1, 1, 1, "@keyspace @read @fast")]
    [InlineData("rename", 3, "write", 1, 2, 1, "@keyspace @write @slow")]
    [InlineData("renamenx", 3, "write fast", 1, 2, 1, "@keyspace @write @fast")]
    [InlineData("move", 3, "write fast", 1, 1, 1, "@keyspace @write @fast")]
    [InlineData("object", -2, "", 0, 0, 0, "@slow")]
    [InlineData("object|encoding", 3, "readonly", 2, 2, 1, "@keyspace @read @slow")]
    [InlineData("object|freq", 3, "readonly", 2, 2, 1, "@keyspace @read @slow")]
    [InlineData("object|idletime", 3, "readonly", 2, 2, 1, "@keyspace @read @slow")]
    [InlineData("object|refcount", 3, "readonly", 2, 2, 1, "@keyspace @read @slow")]
    [InlineData("object|help", 2, "loading stale", 0, 0, 0, "@keyspace @slow")]
    [InlineData("keys", 2, "readonly", 0, 0, 0, "@keyspace @read @slow @dangerous")]
    [InlineData("scan", -2, "readonly", 0, 0, 0, "@keyspace @read @slow")]
    [InlineData("randomkey", 1, "readonly", 0, 0, 0, "@keyspace @read @slow")]
    [InlineData("dbsize", 1, "readonly fast", 0, 0, 0, "@keyspace @read @fast")]
    [InlineData("flushdb", -1, "write", 0, 0, 0, "@keyspace @write @slow @dangerous")]
    [InlineData("flushall", -1, "write", 0, 0, 0, "@keyspace @write @slow @dangerous")]
    [InlineData("swapdb", 3, "write fast", 0, 0, 0, "@keyspace @write @fast @dangerous")]
    public void Command_info_matches_redis(string name, int arity, string flags, int first, int last, int step, string acl)
    {
        var def = Find(name);
        Assert.Equal(name, def.Name);
        Assert.Equal(arity, def.Arity);
        Assert.Equal(flags, FlagWords(def.Flags));
        Assert.Equal(first, def.FirstKey);
        Assert.Equal(last, def.LastKey);
        Assert.Equal(step, def.Step);
        Assert.Equal(acl, AclWords(def.Acl));
    }

    // name, group, since, key-spec flags (one entry per key, '/' between keys), tips ('/' separated).
    [Theory]
    [InlineData("copy", "generic", "6.2.0", "RO access/OW update", "")]
    [InlineData("del", "generic", "1.0.0", "RM delete", "request_policy:multi_shard/response_policy:agg_sum")]
    [InlineData("unlink", "generic", "4.0.0", "RM delete", "request_policy:multi_shard/response_policy:agg_sum")]
    [InlineData("exists", "generic", "1.0.0", "RO", "request_policy:multi_shard/response_policy:agg_sum")]
    [InlineData("touch", "generic", "3.2.1", "RO", "request_policy:multi_shard/response_policy:agg_sum")]
    [InlineData("expire", "generic", "1.0.0", "RW update", "")]
    [InlineData("pexpire", "generic", "2.6.0", "RW update", "")]
    [InlineData("expireat", "generic", "1.2.0", "RW update", "")]
    [InlineData("pexpireat", "generic", "2.6.0", "RW update", "")]
    [InlineData("expiretime", "generic", "7.0.0", "RO access", "")]
    [InlineData("pexpiretime", "generic", "7.0.0", "RO access", "")]
    [InlineData("ttl", "generic", "1.0.0", "RO access", "nondeterministic_output")]
    [InlineData("pttl", "generic", "2.6.0", "RO access", "nondeterministic_output")]
    [InlineData("persist", "generic", "2.2.0", "RW update", "")]
    [InlineData("type", "generic", "1.0.0", "RO", "")]
    [InlineData("rename", "generic", "1.0.0", "RW access delete/OW update", "")]
    [InlineData("renamenx", "generic", "1.0.0", "RW access delete/OW insert", "")]
    [InlineData("move", "generic", "1.0.0", "RW access update", "")]
    [InlineData("object", "generic", "2.2.3", "", "")]
    [InlineData("object|encoding", "generic", "2.2.3", "RO", "nondeterministic_output")]
    [InlineData("object|freq", "generic", "4.0.0", "RO", "nondeterministic_output")]
    [InlineData("object|idletime", "generic", "2.2.3", "RO", "nondeterministic_output")]
    [InlineData("object|refcount", "generic", "2.2.3", "RO", "nondeterministic_output")]
    [InlineData("object|help", "generic", "6.2.0", "", "")]
    [InlineData("keys", "generic", "1.0.0", "", "request_policy:all_shards/nondeterministic_output_order")]
    [InlineData("scan", "generic", "2.8.0", "", "nondeterministic_output/request_policy:special")]
    [InlineData("randomkey", "generic", "1.0.0", "", "request_policy:all_shards/nondeterministic_output")]
    [InlineData("dbsize", "server", "1.0.0", "", "request_policy:all_shards/response_policy:agg_sum")]
    [InlineData("flushdb", "server", "1.0.0", "", "request_policy:all_shards/response_policy:all_succeeded")]
    [InlineData("flushall", "server", "1.0.0", "", "request_policy:all_shards/response_policy:all_succeeded")]
    [InlineData("swapdb", "server", "4.0.0", "", "")]
    public void Command_docs_match_redis(string name, string group, string since, string keySpecs, string tips)
    {
        var def = Find(name);
        var docs = def.Reference!.Docs;
        Assert.Equal(group, docs.Field("group")!.String);
        Assert.Equal(since, docs.Field("since")!.String);
        Assert.Equal(keySpecs, string.Join('/', def.KeySpecFlags));
        Assert.Equal(tips, string.Join('/', def.Reference.Tips.Items.Select(t => t.String)));
    }

    [Theory]
    [InlineData("flushdb")]
    [InlineData("flushall")]
    [InlineData("swapdb")]
    public void Whole_keyspace_writes_run_with_every_shard_held(string name) =>
        Assert.Equal(Execution.AllShards, Find(name).Execution);

    [Theory]
    [InlineData("keys")]
    [InlineData("randomkey")]
    [InlineData("dbsize")]
    public void Whole_keyspace_reads_scatter_and_gather_without_holding(string name)
    {
        var def = Find(name);
        Assert.Equal(Execution.ScatterGather, def.Execution);
        Assert.NotNull(def.Scatter);
        Assert.NotNull(def.Gather);
    }

    [Fact]
    public void Scan_runs_on_the_shard_its_cursor_names()
    {
        var scan = Find("scan");
        Assert.Equal(Execution.Shard, scan.Execution);
        var args = new[] { "SCAN", KeyCommands.EncodeCursor(2, 5, 4).ToString() }.Select(System.Text.Encoding.UTF8.GetBytes).ToArray();
        Assert.Equal(2, scan.Route!(args, 4));
        Assert.Equal(0, scan.Route!(new[] { "SCAN", "x" }.Select(System.Text.Encoding.UTF8.GetBytes).ToArray(), 4));
    }

    [Theory]
    [InlineData("del")]
    [InlineData("exists")]
    [InlineData("copy")]
    [InlineData("rename")]
    [InlineData("move")]
    [InlineData("object|encoding")]
    [InlineData("object|help")]
    public void Keyed_commands_run_on_their_shard(string name)
    {
        var def = Find(name);
        Assert.Equal(Execution.Shard, def.Execution);
        Assert.NotNull(def.Handler);
    }

    [Fact]
    public void Object_container_has_no_handler_of_its_own()
    {
        var def = Find("object");
        Assert.Null(def.Handler);
        Assert.Equal(new[] { "encoding", "freq", "help", "idletime", "refcount" }, def.Subcommands!.Keys.OrderBy(k => k));
    }

    [Fact]
    public void Key_positions_route_object_subcommands_by_their_key()
    {
        var keys = new List<int>();
        Find("object|encoding").GetKeys((byte[][])[[], [], "k"u8.ToArray()], keys);
        Assert.Equal(new[] { 2 }, keys);
        keys.Clear();
        Find("del").GetKeys((byte[][])[[], [1], [2], [3]], keys);
        Assert.Equal(new[] { 1, 2, 3 }, keys);
        keys.Clear();
        Find("copy").GetKeys((byte[][])[[], [1], [2], [3], [4]], keys);
        Assert.Equal(new[] { 1, 2 }, keys);
    }
}
