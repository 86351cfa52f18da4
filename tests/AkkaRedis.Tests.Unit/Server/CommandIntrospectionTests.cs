using AkkaRedis.Actors.Session;
using AkkaRedis.Actors.Commands;
using AkkaRedis.Actors.Server;
using AkkaRedis.Net.Resp;
using static AkkaRedis.Actors.Commands.Declare;

namespace AkkaRedis.Tests.Unit.Server;

public sealed class CommandIntrospectionTests
{
    /// <summary>GET, SET and MSET declared as the string family declares them, plus the server commands.</summary>
    private static CommandTable Table()
    {
        var t = new CommandTable();
        t.Add(new("get", 2, F("readonly fast"), 1, 1, 1, A("string")) { Handler = _ => { }, KeySpecFlags = ["RO access"] });
        t.Add(new("set", -3, F("write denyoom"), 1, 1, 1, A("string"))
        {
            Handler = _ => { }, KeySpecFlags = ["RW access update variable_flags"],
        });
        t.Add(new("mset", -3, F("write denyoom"), 1, -1, 2, A("string")) { Handler = _ => { }, KeySpecFlags = ["OW update"] });
        t.Add(new("rpoplpush", 3, F("write denyoom"), 1, 2, 1, A("list"))
        {
            Handler = _ => { }, KeySpecFlags = ["RW access delete", "RW insert"],
        });
        // No KeyFinder: the key specs find ZUNIONSTORE's numkeys sources, as Redis's getKeysUsingKeySpecs does.
        t.Add(new("zunionstore", -4, F("write denyoom"), 1, 1, 1, A("sortedset"))
        {
            Handler = _ => { }, KeySpecFlags = ["OW update", "RO access"], KeySpecSearch = ["", "index 2 keynum 0 1 1"],
        });
        ServerCommands.Register(t);
        return t;
    }

    // Recorded from redis-server 7.0.15: COMMAND INFO get set mset, in RESP2 and in RESP3.
    private const string RealInfoResp2 =
        "*3\r\n*10\r\n$3\r\nget\r\n:2\r\n*2\r\n+readonly\r\n+fast\r\n:1\r\n:1\r\n:1\r\n*3\r\n+@read\r\n+@string\r\n+@fast\r\n*0\r\n*1\r\n*6\r\n$5\r\nflags\r\n*2\r\n+RO\r\n+access\r\n$12\r\nbegin_search\r\n*4\r\n$4\r\ntype\r\n$5\r\nindex\r\n$4\r\nspec\r\n*2\r\n$5\r\nindex\r\n:1\r\n$9\r\nfind_keys\r\n*4\r\n$4\r\ntype\r\n$5\r\nrange\r\n$4\r\nspec\r\n*6\r\n$7\r\nlastkey\r\n:0\r\n$7\r\nkeystep\r\n:1\r\n$5\r\nlimit\r\n:0\r\n*0\r\n" +
        "*10\r\n$3\r\nset\r\n:-3\r\n*2\r\n+write\r\n+denyoom\r\n:1\r\n:1\r\n:1\r\n*3\r\n+@write\r\n+@string\r\n+@slow\r\n*0\r\n*1\r\n*8\r\n$5\r\nnotes\r\n$48\r\nRW and ACCESS due to the optional `GET` argument\r\n$5\r\nflags\r\n*4\r\n+RW\r\n+access\r\n+update\r\n+variable_flags\r\n$12\r\nbegin_search\r\n*4\r\n$4\r\ntype\r\n$5\r\nindex\r\n$4\r\nspec\r\n*2\r\n$5\r\nindex\r\n:1\r\n$9\r\nfind_keys\r\n*4\r\n$4\r\ntype\r\n$5\r\nrange\r\n$4\r\nspec\r\n*6\r\n$7\r\nlastkey\r\n:0\r\n$7\r\nkeystep\r\n:1\r\n$5\r\nlimit\r\n:0\r\n*0\r\n" +
        "*10\r\n$4\r\nmset\r\n:-3\r\n*2\r\n+write\r\n+denyoom\r\n:1\r\n:-1\r\n:2\r\n*3\r\n+@write\r\n+@string\r\n+@slow\r\n*2\r\n$26\r\nrequest_policy:multi_shard\r\n$29\r\nresponse_policy:all_succeeded\r\n*1\r\n*6\r\n$5\r\nflags\r\n*2\r\n+OW\r\n+update\r\n$12\r\nbegin_search\r\n*4\r\n$4\r\ntype\r\n$5\r\nindex\r\n$4\r\nspec\r\n*2\r\n$5\r\nindex\r\n:1\r\n$9\r\nfind_keys\r\n*4\r\n$4\r\ntype\r\n$5\r\nrange\r\n$4\r\nspec\r\n*6\r\n$7\r\nlastkey\r\n:-1\r\n$7\r\nkeystep\r\n:2\r\n$5\r\nlimit\r\n:0\r\n*0\r\n";

    private const string RealInfoResp3 =
        "*3\r\n*10\r\n$3\r\nget\r\n:2\r\n~2\r\n+readonly\r\n+fast\r\n:1\r\n:1\r\n:1\r\n~3\r\n+@read\r\n+@string\r\n+@fast\r\n~0\r\n~1\r\n%3\r\n$5\r\nflags\r\n~2\r\n+RO\r\n+access\r\n$12\r\nbegin_search\r\n%2\r\n$4\r\ntype\r\n$5\r\nindex\r\n$4\r\nspec\r\n%1\r\n$5\r\nindex\r\n:1\r\n$9\r\nfind_keys\r\n%2\r\n$4\r\ntype\r\n$5\r\nrange\r\n$4\r\nspec\r\n%3\r\n$7\r\nlastkey\r\n:0\r\n$7\r\nkeystep\r\n:1\r\n$5\r\nlimit\r\n:0\r\n~0\r\n" +
        "*10\r\n$3\r\nset\r\n:-3\r\n~2\r\n+write\r\n+denyoom\r\n:1\r\n:1\r\n:1\r\n~3\r\n+@write\r\n+@string\r\n+@slow\r\n~0\r\n~1\r\n%4\r\n$5\r\nnotes\r\n$48\r\nRW and ACCESS due to the optional `GET` argument\r\n$5\r\nflags\r\n~4\r\n+RW\r\n+access\r\n+update\r\n+variable_flags\r\n$12\r\nbegin_search\r\n%2\r\n$4\r\ntype\r\n$5\r\nindex\r\n$4\r\nspec\r\n%1\r\n$5\r\nindex\r\n:1\r\n$9\r\nfind_keys\r\n%2\r\n$4\r\ntype\r\n$5\r\nrange\r\n$4\r\nspec\r\n%3\r\n$7\r\nlastkey\r\n:0\r\n$7\r\nkeystep\r\n:1\r\n$5\r\nlimit\r\n:0\r\n~0\r\n" +
        "*10\r\n$4\r\nmset\r\n:-3\r\n~2\r\n+write\r\n+denyoom\r\n:1\r\n:-1\r\n:2\r\n~3\r\n+@write\r\n+@string\r\n+@slow\r\n~2\r\n$26\r\nrequest_policy:multi_shard\r\n$29\r\nresponse_policy:all_succeeded\r\n~1\r\n%3\r\n$5\r\nflags\r\n~2\r\n+OW\r\n+update\r\n$12\r\nbegin_search\r\n%2\r\n$4\r\ntype\r\n$5\r\nindex\r\n$4\r\nspec\r\n%1\r\n$5\r\nindex\r\n:1\r\n$9\r\nfind_keys\r\n%2\r\n$4\r\ntype\r\n$5\r\nrange\r\n$4\r\nspec\r\n%3\r\n$7\r\nlastkey\r\n:-1\r\n$7\r\nkeystep\r\n:2\r\n$5\r\nlimit\r\n:0\r\n~0\r\n";

    [Fact]
    public void Command_info_is_byte_identical_to_redis_for_get_set_mset()
    {
        Assert.Equal(RealInfoResp2, new ServerHarness(Table()).Run("COMMAND", "INFO", "get", "SET", "mset"));
        Assert.Equal(RealInfoResp3, new ServerHarness(Table(), protocol: 3).Run("command", "info", "get", "set", "mset"));
    }

    [Fact]
    public void Command_info_of_the_server_commands_matches_redis()
    {
        var h = new ServerHarness(Table());
        Assert.Equal(
            "*1\r\n*10\r\n$4\r\ninfo\r\n:-1\r\n*2\r\n+loading\r\n+stale\r\n:0\r\n:0\r\n:0\r\n*2\r\n+@slow\r\n+@dangerous\r\n*3\r\n$23\r\nnondeterministic_output\r\n$25\r\nrequest_policy:all_shards\r\n$23\r\nresponse_policy:special\r\n*0\r\n*0\r\n",
            h.Run("command", "info", "info"));
        Assert.Equal(
            "*2\r\n*10\r\n$8\r\nlastsave\r\n:1\r\n*3\r\n+loading\r\n+stale\r\n+fast\r\n:0\r\n:0\r\n:0\r\n*3\r\n+@admin\r\n+@fast\r\n+@dangerous\r\n*1\r\n$23\r\nnondeterministic_output\r\n*0\r\n*0\r\n" +
            "*10\r\n$10\r\nconfig|set\r\n:-4\r\n*4\r\n+admin\r\n+noscript\r\n+loading\r\n+stale\r\n:0\r\n:0\r\n:0\r\n*3\r\n+@admin\r\n+@slow\r\n+@dangerous\r\n*2\r\n$24\r\nrequest_policy:all_nodes\r\n$29\r\nresponse_policy:all_succeeded\r\n*0\r\n*0\r\n",
            h.Run("command", "info", "lastsave", "CONFIG|SET"));
        // A container: no flags, @slow only, its subcommands nested.
        var config = h.Run("command", "info", "config");
        Assert.StartsWith("*1\r\n*10\r\n$6\r\nconfig\r\n:-2\r\n*0\r\n:0\r\n:0\r\n:0\r\n*1\r\n+@slow\r\n*0\r\n*0\r\n*5\r\n*10\r\n$10\r\nconfig|get\r\n", config);
        Assert.Equal("*2\r\n$-1\r\n$-1\r\n", h.Run("command", "info", "nosuch", "get|x"));
    }

    [Fact]
    public void Key_specs_are_derived_from_the_key_range_or_declared_searches()
    {
        var t = Table();
        var rpoplpush = t.Find("rpoplpush")!.KeySpecs;
        Assert.Equal(2, rpoplpush.Length);
        Assert.Equal(["RW", "access", "delete"], rpoplpush[0].Flags);
        Assert.Equal((BeginSearch.Index, 1, FindKeys.Range, 0, 1, 0), (rpoplpush[0].Begin, rpoplpush[0].Start, rpoplpush[0].Find, rpoplpush[0].LastKey, rpoplpush[0].KeyStep, rpoplpush[0].Limit));
        Assert.Equal((BeginSearch.Index, 2, FindKeys.Range, 0, 1, 0), (rpoplpush[1].Begin, rpoplpush[1].Start, rpoplpush[1].Find, rpoplpush[1].LastKey, rpoplpush[1].KeyStep, rpoplpush[1].Limit));
        Assert.DoesNotContain("movablekeys", CommandIntrospection.FlagWords(t.Find("rpoplpush")!));
        var zunionstore = t.Find("zunionstore")!.KeySpecs;
        Assert.Equal((FindKeys.Keynum, 0, 1, 1), (zunionstore[1].Find, zunionstore[1].KeyNumIndex, zunionstore[1].FirstKey, zunionstore[1].KeyStep));
        // populateCommandMovableKeys: a spec that is not "index + range" makes the keys movable.
        Assert.Contains("movablekeys", CommandIntrospection.FlagWords(t.Find("zunionstore")!));
    }

    [Fact]
    public void Command_count_list_and_docs()
    {
        var h = new ServerHarness(Table());
        var count = CommandIntrospection.Count(h.Server.Commands);
        Assert.Equal($":{count}\r\n", h.Run("command", "count"));
        var list = h.Run("command", "list");
        Assert.StartsWith($"*{h.Server.Commands.AllWithSubcommands.Count}\r\n$3\r\nget\r\n", list);
        Assert.Contains("$6\r\nconfig\r\n$10\r\nconfig|get\r\n", list);
        Assert.Equal("*3\r\n$3\r\nget\r\n$3\r\nset\r\n$4\r\nmset\r\n", h.Run("command", "list", "filterby", "aclcat", "STRING"));
        Assert.Equal("*1\r\n$10\r\nconfig|get\r\n", h.Run("command", "list", "FILTERBY", "pattern", "CONFIG|G*"));
        Assert.Equal("*2\r\n$10\r\nconfig|get\r\n$10\r\nconfig|set\r\n", h.Run("command", "list", "filterby", "pattern", "conf*g*et"));
        Assert.Equal("*0\r\n", h.Run("command", "list", "filterby", "module", "x"));
        Assert.Equal("*0\r\n", h.Run("command", "list", "filterby", "aclcat", "nope"));
        Assert.Equal("-ERR syntax error\r\n", h.Run("command", "list", "filterby"));
        Assert.Equal("-ERR syntax error\r\n", h.Run("command", "list", "filterby", "foo", "bar"));
        Assert.Equal(
            "*2\r\n$3\r\nget\r\n*10\r\n$7\r\nsummary\r\n$22\r\nGet the value of a key\r\n$5\r\nsince\r\n$5\r\n1.0.0\r\n$5\r\ngroup\r\n$6\r\nstring\r\n$10\r\ncomplexity\r\n$4\r\nO(1)\r\n" +
            "$9\r\narguments\r\n*1\r\n*6\r\n$4\r\nname\r\n$3\r\nkey\r\n$4\r\ntype\r\n$3\r\nkey\r\n$14\r\nkey_spec_index\r\n:0\r\n",
            h.Run("command", "docs", "nosuch", "get"));
        var h3 = new ServerHarness(Table(), protocol: 3);
        Assert.Equal(
            "%1\r\n$11\r\nconfig|help\r\n%4\r\n$7\r\nsummary\r\n$49\r\nShow helpful text about the different subcommands\r\n$5\r\nsince\r\n$5\r\n5.0.0\r\n$5\r\ngroup\r\n$6\r\nserver\r\n$10\r\ncomplexity\r\n$4\r\nO(1)\r\n",
            h3.Run("command", "docs", "config|help"));
        Assert.Contains("$11\r\nsubcommands\r\n%5\r\n$10\r\nconfig|get\r\n", h3.Run("command", "docs", "config"));
    }

    [Fact]
    public void Command_with_no_subcommand_lists_every_command()
    {
        var h = new ServerHarness(Table());
        var all = h.Run("command");
        Assert.StartsWith($"*{CommandIntrospection.Count(h.Server.Commands)}\r\n*10\r\n$3\r\nget\r\n", all);
        Assert.Equal(all, h.Run("command", "info"));
        Assert.Equal("-ERR unknown subcommand 'foo'. Try COMMAND HELP.\r\n", h.Run("command", "foo"));
        Assert.Equal("-ERR wrong number of arguments for 'config' command\r\n", h.Run("config"));
    }

    [Fact]
    public void Command_getkeys_and_its_errors()
    {
        var h = new ServerHarness(Table());
        Assert.Equal("*1\r\n$1\r\na\r\n", h.Run("command", "getkeys", "get", "a"));
        Assert.Equal("*2\r\n$1\r\na\r\n$1\r\nc\r\n", h.Run("command", "getkeys", "MSET", "a", "b", "c", "d"));
        Assert.Equal("*3\r\n$1\r\nd\r\n$2\r\nk1\r\n$2\r\nk2\r\n", h.Run("command", "getkeys", "zunionstore", "d", "2", "k1", "k2"));
        Assert.Equal("*2\r\n*2\r\n$1\r\na\r\n*2\r\n+OW\r\n+update\r\n*2\r\n$1\r\nc\r\n*2\r\n+OW\r\n+update\r\n",
            h.Run("command", "getkeysandflags", "mset", "a", "b", "c", "d"));
        Assert.Equal("*2\r\n*2\r\n$1\r\ns\r\n*3\r\n+RW\r\n+access\r\n+delete\r\n*2\r\n$1\r\nd\r\n*2\r\n+RW\r\n+insert\r\n",
            h.Run("command", "getkeysandflags", "rpoplpush", "s", "d"));
        Assert.Equal("-ERR Invalid command specified\r\n", h.Run("command", "getkeys", "nosuch", "a"));
        Assert.Equal("-ERR Invalid command specified\r\n", h.Run("command", "getkeys", "config", "nosub"));
        Assert.Equal("-ERR The command has no key arguments\r\n", h.Run("command", "getkeys", "config", "get", "x"));
        Assert.Equal("-ERR Invalid number of arguments specified for command\r\n", h.Run("command", "getkeys", "get", "a", "b"));
        Assert.Equal("-ERR wrong number of arguments for 'command|getkeys' command\r\n", h.Run("command", "getkeys", "get"));
    }

    [Fact]
    public void Command_help_is_redis_s()
    {
        var help = new ServerHarness(Table()).Run("command", "help");
        Assert.StartsWith("*21\r\n+COMMAND <subcommand> [<arg> [value] [opt] ...]. Subcommands are:\r\n+(no subcommand)\r\n", help);
        Assert.EndsWith("+GETKEYSANDFLAGS <full-command>\r\n+    Return the keys and the access flags from a full Redis command.\r\n+HELP\r\n+    Prints this help.\r\n", help);
    }

    [Fact]
    public void Default_table_commands_all_describe_themselves()
    {
        // Every declared command can be listed, described and documented without throwing.
        var h = new ServerHarness();
        Assert.StartsWith("*", h.Run("command"));
        Assert.StartsWith("*", h.Run("command", "docs"));
        Assert.StartsWith("*", h.Run("command", "list"));
    }
}

/// <summary>CommandTable.Resolve with a connection's one-entry cache gives what the plain lookup gives.</summary>
public sealed class CommandResolveCacheTests
{
    private static CommandArgs Req(params string[] args) => args.Select(a => System.Text.Encoding.UTF8.GetBytes(a)).ToArray();

    [Fact]
    public void The_cache_answers_as_the_lookup_in_any_case_and_after_any_miss()
    {
        var t = new CommandTable();
        t.Add(new("get", 2, F("readonly fast"), 1, 1, 1, A("string")) { Handler = _ => { } });
        t.Add(new("set", -3, F("write denyoom"), 1, 1, 1, A("string")) { Handler = _ => { } });
        ServerCommands.Register(t);
        CommandDef? last = null;
        string[][] requests =
        [
            ["set", "k", "v"], ["SET", "k", "v"], ["sEt", "k", "v"], ["set", "k"], ["get", "k"], ["GET", "k"],
            ["gets", "k"], ["ge", "k"], ["get", "k"], ["\u00e9et", "k"], ["config", "get", "maxmemory"],
            ["CONFIG", "set", "maxmemory", "0"], ["config", "nosuch"], ["config"], ["set", "k", "v"],
        ];
        foreach (var request in requests)
        {
            var expected = t.Resolve(Req(request), out var expectedError, out var expectedLookedUp);
            var actual = t.Resolve(Req(request), out var error, out var lookedUp, ref last);
            Assert.Same(expected, actual);
            Assert.Equal(expectedError, error);
            Assert.Same(expectedLookedUp, lookedUp);
        }
    }
}
