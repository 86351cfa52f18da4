using System.Text;
using AkkaRedis.Actors.Commands;
using AkkaRedis.Actors.Server;
using AkkaRedis.Net.Resp;

namespace AkkaRedis.Tests.Unit.Server;

public sealed class CommandSyntaxTests
{
    private static string Args(string syntax, int keySpecs = 1)
    {
        var w = new RespWriter();
        CommandSyntax.Write(w, CommandSyntax.Parse(syntax, keySpecs));
        return Encoding.Latin1.GetString(w.Written);
    }

    [Fact]
    public void A_key_is_a_key_argument_as_in_get()
    {
        // Redis 7.0.15, COMMAND DOCS get: "arguments".
        Assert.Equal("*1\r\n*6\r\n$4\r\nname\r\n$3\r\nkey\r\n$4\r\ntype\r\n$3\r\nkey\r\n$14\r\nkey_spec_index\r\n:0\r\n", Args("key"));
    }

    [Fact]
    public void Repetitions_fold_into_one_multiple_argument()
    {
        var del = CommandSyntax.Parse("key [key ...]", 1);
        Assert.Single(del);
        Assert.True(del[0].Multiple);
        Assert.False(del[0].Optional);
        var mset = CommandSyntax.Parse("key value [key value ...]", 1);
        Assert.Single(mset);
        Assert.Equal("key_value", mset[0].Name);
        Assert.Equal("block", mset[0].Type);
        Assert.True(mset[0].Multiple);
        Assert.Equal(["key", "value"], mset[0].Args!.Select(a => a.Name));
        Assert.Equal(0, mset[0].Args![0].KeySpecIndex);
        var info = CommandSyntax.Parse("[section ...]", 0);
        Assert.True(info[0].Optional && info[0].Multiple);
    }

    [Fact]
    public void Tokens_choices_and_blocks()
    {
        var set = CommandSyntax.Parse(
            "key value condition=[NX | XX] [GET] expiration=[EX seconds:integer | PX milliseconds:integer | EXAT unix-time-seconds:unix-time | " +
            "PXAT unix-time-milliseconds:unix-time | KEEPTTL]", 1);
        Assert.Equal(["key", "value", "condition", "get", "expiration"], set.Select(a => a.Name));
        Assert.Equal(["key", "string", "oneof", "pure-token", "oneof"], set.Select(a => a.Type));
        var expiration = set[4];
        Assert.True(expiration.Optional);
        Assert.Equal(["seconds", "milliseconds", "unix-time-seconds", "unix-time-milliseconds", "keepttl"], expiration.Args!.Select(a => a.Name));
        Assert.Equal(["EX", "PX", "EXAT", "PXAT", "KEEPTTL"], expiration.Args!.Select(a => a.Token));
        Assert.Equal(["integer", "integer", "unix-time", "unix-time", "pure-token"], expiration.Args!.Select(a => a.Type));

        var limit = CommandSyntax.Parse("key min max [LIMIT offset:integer count:integer]", 1)[3];
        Assert.Equal(("offset_count", "block", "LIMIT", true), (limit.Name, limit.Type, limit.Token, limit.Optional));

        var ipPort = CommandSyntax.Parse("ip:port", 0)[0];
        Assert.Equal(("ip:port", "string"), (ipPort.Name, ipPort.Type));
    }

    [Fact]
    public void Suffixes_named_blocks_and_repeated_tokens()
    {
        var kill = CommandSyntax.Parse("filter=<ip:port@deprecated:2.8.12 | new-format=<[ID client-id:integer]@2.8.12 | [SKIPME yes/no]>...>", 0)[0];
        Assert.Equal(("filter", "oneof"), (kill.Name, kill.Type));
        Assert.Equal(("ip:port", "string", "2.8.12"), (kill.Args![0].Name, kill.Args[0].Type, kill.Args[0].DeprecatedSince));
        var newFormat = kill.Args[1];
        Assert.Equal(("new-format", "oneof", true, false), (newFormat.Name, newFormat.Type, newFormat.Multiple, newFormat.Optional));
        Assert.Equal(("client-id", "integer", "ID", "2.8.12", true), (newFormat.Args![0].Name, newFormat.Args[0].Type, newFormat.Args[0].Token,
            newFormat.Args[0].Since, newFormat.Args[0].Optional));

        // A named group of one argument stays a block: CLIENT LIST's "[ID client-id [client-id ...]]".
        var id = CommandSyntax.Parse("[ID id=<client-id:integer [client-id:integer ...]>]@6.2.0", 0)[0];
        Assert.Equal(("id", "block", "ID", "6.2.0", true), (id.Name, id.Type, id.Token, id.Since, id.Optional));
        Assert.Equal(("client-id", true, false), (id.Args![0].Name, id.Args[0].Multiple, id.Args[0].Optional));

        var prefix = CommandSyntax.Parse("[PREFIX prefix [PREFIX prefix ...]] [BCAST]", 0);
        Assert.Equal(2, prefix.Count);
        Assert.Equal(("prefix", "PREFIX", true, true, true), (prefix[0].Name, prefix[0].Token, prefix[0].Optional, prefix[0].Multiple, prefix[0].MultipleToken));
        Assert.Equal(("bcast", "pure-token", "BCAST"), (prefix[1].Name, prefix[1].Type, prefix[1].Token));
    }

    [Fact]
    public void Command_list_arguments_match_redis()
    {
        // Redis 7.0.15, COMMAND DOCS command|list: "arguments".
        Assert.Equal(
            "*1\r\n*10\r\n$4\r\nname\r\n$8\r\nfilterby\r\n$4\r\ntype\r\n$5\r\noneof\r\n$5\r\ntoken\r\n$8\r\nFILTERBY\r\n$5\r\nflags\r\n*1\r\n+optional\r\n$9\r\narguments\r\n*3\r\n" +
            "*6\r\n$4\r\nname\r\n$11\r\nmodule-name\r\n$4\r\ntype\r\n$6\r\nstring\r\n$5\r\ntoken\r\n$6\r\nMODULE\r\n" +
            "*6\r\n$4\r\nname\r\n$8\r\ncategory\r\n$4\r\ntype\r\n$6\r\nstring\r\n$5\r\ntoken\r\n$6\r\nACLCAT\r\n" +
            "*6\r\n$4\r\nname\r\n$7\r\npattern\r\n$4\r\ntype\r\n$7\r\npattern\r\n$5\r\ntoken\r\n$7\r\nPATTERN\r\n",
            Args(CommandTable.CreateDefault().Find("command")!.Subcommands!["list"].Syntax, 0));
    }

    [Fact]
    public void Every_declared_syntax_parses()
    {
        foreach (var def in CommandTable.CreateDefault().AllWithSubcommands)
            if (def.Syntax.Length > 0)
                CommandSyntax.Parse(def.Syntax, def.KeySpecFlags.Length);
    }

    [Fact]
    public void Docs_include_the_arguments()
    {
        var h = new ServerHarness();
        Assert.Equal(
            "*2\r\n$4\r\ninfo\r\n*12\r\n$7\r\nsummary\r\n$47\r\nGet information and statistics about the server\r\n$5\r\nsince\r\n$5\r\n1.0.0\r\n$5\r\ngroup\r\n$6\r\nserver\r\n" +
            "$10\r\ncomplexity\r\n$4\r\nO(1)\r\n$7\r\nhistory\r\n*1\r\n*2\r\n$5\r\n7.0.0\r\n$52\r\nAdded support for taking multiple section arguments.\r\n" +
            "$9\r\narguments\r\n*1\r\n*6\r\n$4\r\nname\r\n$7\r\nsection\r\n$4\r\ntype\r\n$6\r\nstring\r\n$5\r\nflags\r\n*2\r\n+optional\r\n+multiple\r\n",
            h.Run("command", "docs", "info"));
    }
}
