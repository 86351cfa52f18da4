using System.Text.RegularExpressions;
using AkkaRedis.Actors.Commands;
using AkkaRedis.Actors.Session;

namespace AkkaRedis.Tests.Unit.Session;

public sealed class ClientCommandsTests
{
    /// <summary>Redis 7.0.15's CLIENT LIST line, field for field.</summary>
    private static readonly Regex Line = new(
        @"^id=(\d+) addr=(\S+) laddr=(\S+) fd=\d+ name=(\S*) age=\d+ idle=\d+ flags=(\w+) db=(\d+) sub=0 psub=0 ssub=0 multi=-1 " +
        @"qbuf=\d+ qbuf-free=\d+ argv-mem=(\d+) multi-mem=0 rbs=\d+ rbp=\d+ obl=\d+ oll=0 omem=0 tot-mem=\d+ events=r " +
        @"cmd=(\S+) user=default redir=-1 resp=(\d)$");

    /// <summary>The lines of a RESP2 bulk or RESP3 verbatim CLIENT LIST/INFO reply, checking its framing.</summary>
    private static string[] Lines(string reply)
    {
        var header = reply.IndexOf("\r\n", StringComparison.Ordinal);
        var length = int.Parse(reply[1..header]);
        var body = reply.Substring(header + 2, length);
        Assert.Equal(reply.Length, header + 2 + length + 2);
        Assert.EndsWith("\r\n", reply);
        if (reply[0] == '=')
        {
            Assert.StartsWith("txt:", body);
            body = body[4..];
        }
        else Assert.Equal('$', reply[0]);
        if (body.Length == 0) return [];
        Assert.EndsWith("\n", body);
        return body[..^1].Split('\n');
    }

    [Fact]
    public void Id_setname_getname()
    {
        var c = new SessionHarness().Connect();
        Assert.Equal($":{c.Client.Id}\r\n", c.Run("CLIENT", "ID"));
        Assert.Equal("$-1\r\n", c.Run("CLIENT", "GETNAME"));
        Assert.Equal("+OK\r\n", c.Run("client", "setname", "my-app"));
        Assert.Equal("$6\r\nmy-app\r\n", c.Run("CLIENT", "GETNAME"));
        Assert.Equal("-ERR Client names cannot contain spaces, newlines or special characters.\r\n", c.Run("CLIENT", "SETNAME", "a b"));
        Assert.Equal("-ERR Client names cannot contain spaces, newlines or special characters.\r\n", c.Run("CLIENT", "SETNAME", "a\nb"));
        Assert.Equal("-ERR Client names cannot contain spaces, newlines or special characters.\r\n", c.Run("CLIENT", "SETNAME", "é"));
        Assert.Equal("$6\r\nmy-app\r\n", c.Run("CLIENT", "GETNAME"));
        Assert.Equal("+OK\r\n", c.Run("CLIENT", "SETNAME", ""));
        Assert.Equal("$-1\r\n", c.Run("CLIENT", "GETNAME"));
        c.Client.Protocol = 3;
        Assert.Equal("_\r\n", c.Run("CLIENT", "GETNAME"));
    }

    [Fact]
    public void Arity_and_unknown_subcommand_errors()
    {
        var c = new SessionHarness().Connect();
        Assert.Equal("-ERR wrong number of arguments for 'client' command\r\n", c.Run("CLIENT"));
        Assert.Equal("-ERR wrong number of arguments for 'client|setname' command\r\n", c.Run("CLIENT", "SETNAME"));
        Assert.Equal("-ERR wrong number of arguments for 'client|setname' command\r\n", c.Run("CLIENT", "SETNAME", "x", "y"));
        Assert.Equal("-ERR wrong number of arguments for 'client|id' command\r\n", c.Run("CLIENT", "ID", "x"));
        Assert.Equal("-ERR wrong number of arguments for 'client|kill' command\r\n", c.Run("CLIENT", "KILL"));
        Assert.Equal("-ERR wrong number of arguments for 'client|help' command\r\n", c.Run("CLIENT", "HELP", "x"));
        Assert.Equal("-ERR unknown subcommand 'SETINFO'. Try CLIENT HELP.\r\n", c.Run("CLIENT", "SETINFO", "lib-name", "x"));
        Assert.Equal("-ERR unknown subcommand 'Foo'. Try CLIENT HELP.\r\n", c.Run("client", "Foo"));
        Assert.Equal("-ERR unknown subcommand or wrong number of arguments for 'unblock'. Try CLIENT HELP.\r\n", c.Run("client", "unblock", "1", "2", "3"));
        Assert.Equal("-ERR unknown subcommand or wrong number of arguments for 'PAUSE'. Try CLIENT HELP.\r\n", c.Run("CLIENT", "PAUSE", "10", "WRITE", "x"));
    }

    [Fact]
    public void List_shows_every_connection_in_id_order_in_redis_format()
    {
        var h = new SessionHarness();
        var a = h.Connect();
        var b = h.Connect();
        b.Run("CLIENT", "SETNAME", "bee");
        b.Run("SELECT", "3");
        b.Run("HELLO", "3");
        var lines = Lines(a.Run("CLIENT", "LIST"));
        Assert.Equal(2, lines.Length);
        var first = Line.Match(lines[0]);
        var second = Line.Match(lines[1]);
        Assert.True(first.Success, lines[0]);
        Assert.True(second.Success, lines[1]);
        Assert.Equal(a.Client.Id.ToString(), first.Groups[1].Value);
        Assert.Equal(a.Client.Address, first.Groups[2].Value);
        Assert.Equal("127.0.0.1:6379", first.Groups[3].Value);
        Assert.Equal("", first.Groups[4].Value);
        Assert.Equal("N", first.Groups[5].Value);
        Assert.Equal("10", first.Groups[7].Value); // argv-mem: "CLIENT" + "LIST", the request being run
        Assert.Contains(" qbuf=26 qbuf-free=20448 ", lines[0]); // the request, as redis-server shows it
        Assert.Contains(" qbuf=0 qbuf-free=20474 ", lines[1]);
        Assert.Equal("client|list", first.Groups[8].Value);
        Assert.Equal("2", first.Groups[9].Value);
        Assert.Equal(b.Client.Id.ToString(), second.Groups[1].Value);
        Assert.Equal("bee", second.Groups[4].Value);
        Assert.Equal("3", second.Groups[6].Value);
        Assert.Equal("0", second.Groups[7].Value);
        Assert.Equal("hello", second.Groups[8].Value);
        Assert.Equal("3", second.Groups[9].Value);
    }

    [Fact]
    public void List_filters_by_type_and_id()
    {
        var h = new SessionHarness();
        var a = h.Connect();
        var b = h.Connect();
        b.Client.IsPubSub = true;
        Assert.Single(Lines(a.Run("CLIENT", "LIST", "TYPE", "normal")));
        var pubsub = Lines(a.Run("CLIENT", "LIST", "type", "PUBSUB"));
        Assert.Single(pubsub);
        Assert.StartsWith($"id={b.Client.Id} ", pubsub[0]);
        Assert.Contains(" flags=P ", pubsub[0]);
        Assert.Equal("$0\r\n\r\n", a.Run("CLIENT", "LIST", "TYPE", "master"));
        Assert.Equal("$0\r\n\r\n", a.Run("CLIENT", "LIST", "TYPE", "replica"));
        Assert.Equal("$0\r\n\r\n", a.Run("CLIENT", "LIST", "TYPE", "slave"));
        var byId = Lines(a.Run("CLIENT", "LIST", "ID", b.Client.Id.ToString(), "999", a.Client.Id.ToString(), b.Client.Id.ToString()));
        Assert.Equal(3, byId.Length);
        Assert.StartsWith($"id={b.Client.Id} ", byId[0]);
        Assert.StartsWith($"id={a.Client.Id} ", byId[1]);
        Assert.StartsWith($"id={b.Client.Id} ", byId[2]);
        Assert.Equal("$0\r\n\r\n", a.Run("CLIENT", "LIST", "ID", "0", "-1"));
        Assert.Equal("-ERR Unknown client type 'foo'\r\n", a.Run("CLIENT", "LIST", "TYPE", "foo"));
        Assert.Equal("-ERR Invalid client ID\r\n", a.Run("CLIENT", "LIST", "ID", "1", "x"));
        Assert.Equal("-ERR syntax error\r\n", a.Run("CLIENT", "LIST", "ID"));
        Assert.Equal("-ERR syntax error\r\n", a.Run("CLIENT", "LIST", "TYPE"));
        Assert.Equal("-ERR syntax error\r\n", a.Run("CLIENT", "LIST", "TYPE", "normal", "x"));
        Assert.Equal("-ERR syntax error\r\n", a.Run("CLIENT", "LIST", "foo"));
    }

    [Fact]
    public void Info_is_the_callers_line_and_verbatim_in_resp3()
    {
        var c = new SessionHarness().Connect();
        c.Run("CLIENT", "NO-EVICT", "on");
        var resp2 = Lines(c.Run("CLIENT", "INFO"));
        Assert.Single(resp2);
        var m = Line.Match(resp2[0]);
        Assert.True(m.Success, resp2[0]);
        Assert.Equal("e", m.Groups[5].Value);
        Assert.Equal("client|info", m.Groups[8].Value);
        c.Run("HELLO", "3");
        var reply = c.Run("CLIENT", "INFO");
        Assert.StartsWith("=", reply);
        var resp3 = Lines(reply);
        Assert.EndsWith(" resp=3", resp3[0]);
        Assert.Equal("=4\r\ntxt:\r\n", c.Run("CLIENT", "LIST", "ID", "999"));
    }

    [Fact]
    public void Kill_old_form_by_address()
    {
        var h = new SessionHarness();
        var a = h.Connect();
        var b = h.Connect();
        Assert.Equal("+OK\r\n", a.Run("CLIENT", "KILL", b.Client.Address));
        Assert.True(b.KilledByOther);
        Assert.True(b.Client.Closing);
        Assert.False(a.CloseAfterReply);
        // A killed connection is gone at once, as Redis frees it at once.
        Assert.Equal("-ERR No such client\r\n", a.Run("CLIENT", "KILL", b.Client.Address));
        Assert.Single(Lines(a.Run("CLIENT", "LIST")));
        Assert.Equal("-ERR No such client\r\n", a.Run("CLIENT", "KILL", "1.2.3.4:5"));
        Assert.Equal("-ERR No such client\r\n", a.Run("CLIENT", "KILL", "ID"));
        // The old form may kill the caller itself: it gets its reply first.
        Assert.Equal("+OK\r\n", a.Run("CLIENT", "KILL", a.Client.Address));
        Assert.True(a.CloseAfterReply);
        Assert.False(a.KilledByOther);
    }

    [Fact]
    public void Kill_new_form_counts_and_filters()
    {
        var h = new SessionHarness();
        var a = h.Connect();
        var b = h.Connect();
        var c = h.Connect();
        var d = h.Connect();
        d.Client.IsPubSub = true;
        Assert.Equal(":0\r\n", a.Run("CLIENT", "KILL", "ID", "99999"));
        Assert.Equal(":0\r\n", a.Run("CLIENT", "KILL", "ID", a.Client.Id.ToString()));
        Assert.False(a.CloseAfterReply);
        Assert.Equal(":1\r\n", a.Run("CLIENT", "KILL", "ID", b.Client.Id.ToString()));
        Assert.True(b.KilledByOther);
        Assert.Equal(":0\r\n", a.Run("CLIENT", "KILL", "ADDR", "1.2.3.4:5", "LADDR", "127.0.0.1:6379"));
        Assert.Equal(":1\r\n", a.Run("CLIENT", "KILL", "TYPE", "pubsub"));
        Assert.True(d.KilledByOther);
        Assert.False(c.KilledByOther);
        Assert.Equal(":1\r\n", a.Run("CLIENT", "KILL", "LADDR", "127.0.0.1:6379", "USER", "default", "skipme", "YES", "TYPE", "normal"));
        Assert.True(c.KilledByOther);
        Assert.False(a.CloseAfterReply);
        Assert.Equal(":1\r\n", a.Run("CLIENT", "KILL", "TYPE", "normal", "SKIPME", "no"));
        Assert.True(a.CloseAfterReply);
        Assert.False(a.KilledByOther);
    }

    [Fact]
    public void Kill_argument_errors()
    {
        var a = new SessionHarness().Connect();
        Assert.Equal("-ERR client-id should be greater than 0\r\n", a.Run("CLIENT", "KILL", "ID", "x"));
        Assert.Equal("-ERR client-id should be greater than 0\r\n", a.Run("CLIENT", "KILL", "ID", "0"));
        Assert.Equal("-ERR client-id should be greater than 0\r\n", a.Run("CLIENT", "KILL", "ID", "-1"));
        Assert.Equal("-ERR Unknown client type 'foo'\r\n", a.Run("CLIENT", "KILL", "TYPE", "foo"));
        Assert.Equal("-ERR No such user 'bob'\r\n", a.Run("CLIENT", "KILL", "USER", "bob"));
        Assert.Equal("-ERR syntax error\r\n", a.Run("CLIENT", "KILL", "SKIPME", "maybe"));
        Assert.Equal("-ERR syntax error\r\n", a.Run("CLIENT", "KILL", "ID", "1", "FOO"));
        Assert.Equal("-ERR syntax error\r\n", a.Run("CLIENT", "KILL", "FOO", "bar"));
        Assert.False(a.CloseAfterReply);
    }

    [Fact]
    public void Reply_modes()
    {
        var c = new SessionHarness().Connect();
        Assert.Equal("", c.Run("CLIENT", "REPLY", "OFF"));
        Assert.True(c.SuppressReply);
        Assert.Equal(ReplyMode.Off, c.Client.ReplyMode);
        // SKIP does not shorten OFF.
        c.Run("CLIENT", "REPLY", "SKIP");
        Assert.Equal(ReplyMode.Off, c.Client.ReplyMode);
        Assert.Equal("+OK\r\n", c.Run("CLIENT", "REPLY", "ON"));
        Assert.True(c.RepliesTurnedOn);
        Assert.Equal(ReplyMode.On, c.Client.ReplyMode);
        Assert.Equal("", c.Run("CLIENT", "REPLY", "skip"));
        Assert.True(c.SuppressReply);
        Assert.Equal(ReplyMode.Skip, c.Client.ReplyMode);
        Assert.Equal("-ERR syntax error\r\n", c.Run("CLIENT", "REPLY", "FOO"));
        Assert.Equal("-ERR wrong number of arguments for 'client|reply' command\r\n", c.Run("CLIENT", "REPLY"));
    }

    [Fact]
    public void No_evict()
    {
        var c = new SessionHarness().Connect();
        Assert.Equal("+OK\r\n", c.Run("CLIENT", "NO-EVICT", "on"));
        Assert.True(c.Client.NoEvict);
        Assert.Equal("-ERR syntax error\r\n", c.Run("CLIENT", "NO-EVICT", "maybe"));
        Assert.Equal("+OK\r\n", c.Run("CLIENT", "NO-EVICT", "OFF"));
        Assert.False(c.Client.NoEvict);
    }

    [Fact]
    public void Help_is_redis_text_as_simple_strings()
    {
        var reply = new SessionHarness().Connect().Run("CLIENT", "HELP");
        Assert.StartsWith("*48\r\n+CLIENT <subcommand> [<arg> [value] [opt] ...]. Subcommands are:\r\n+CACHING (YES|NO)\r\n", reply);
        Assert.EndsWith("+HELP\r\n+    Prints this help.\r\n", reply);
        Assert.Equal(50, reply.Split("\r\n").Length); // header, 48 lines, trailing empty
        Assert.Equal(1915, reply.Length); // redis-server 7.0.15's reply length
    }

    [Fact]
    public void Unblock_pause_unpause()
    {
        var h = new SessionHarness();
        var a = h.Connect();
        var b = h.Connect();
        Assert.Equal(":0\r\n", a.Run("CLIENT", "UNBLOCK", b.Client.Id.ToString()));
        Assert.Equal(":0\r\n", a.Run("CLIENT", "UNBLOCK", "99", "error"));
        Assert.Equal(":0\r\n", a.Run("CLIENT", "UNBLOCK", "-5", "TIMEOUT"));
        Assert.Equal("-ERR value is not an integer or out of range\r\n", a.Run("CLIENT", "UNBLOCK", "x"));
        Assert.Equal("-ERR CLIENT UNBLOCK reason should be TIMEOUT or ERROR\r\n", a.Run("CLIENT", "UNBLOCK", "x", "foo"));
        bool? unblockedWithError = null;
        b.Client.IsBlocked = true;
        b.Client.Unblock = withError =>
        {
            unblockedWithError = withError;
            return true;
        };
        Assert.Equal(":1\r\n", a.Run("CLIENT", "UNBLOCK", b.Client.Id.ToString(), "ERROR"));
        Assert.True(unblockedWithError);

        Assert.Equal("+OK\r\n", a.Run("CLIENT", "UNPAUSE"));
        Assert.Equal("+OK\r\n", a.Run("CLIENT", "PAUSE", "0"));
        Assert.Equal("-ERR timeout is not an integer or out of range\r\n", a.Run("CLIENT", "PAUSE", "x"));
        Assert.Equal("-ERR timeout is negative\r\n", a.Run("CLIENT", "PAUSE", "-1"));
        Assert.Equal("-ERR CLIENT PAUSE mode must be WRITE or ALL\r\n", a.Run("CLIENT", "PAUSE", "x", "foo"));
    }

    [Fact]
    public void Tracking_is_off_and_its_arguments_are_checked_as_redis_does()
    {
        var h = new SessionHarness();
        var c = h.Connect();
        Assert.Equal("+OK\r\n", c.Run("CLIENT", "TRACKING", "off"));
        Assert.Equal(":-1\r\n", c.Run("CLIENT", "GETREDIR"));
        Assert.Equal("*6\r\n$5\r\nflags\r\n*1\r\n$3\r\noff\r\n$8\r\nredirect\r\n:-1\r\n$8\r\nprefixes\r\n*0\r\n", c.Run("CLIENT", "TRACKINGINFO"));
        c.Client.Protocol = 3;
        Assert.Equal("%3\r\n$5\r\nflags\r\n~1\r\n$3\r\noff\r\n$8\r\nredirect\r\n:-1\r\n$8\r\nprefixes\r\n*0\r\n", c.Run("CLIENT", "TRACKINGINFO"));
        const string caching = "-ERR CLIENT CACHING can be called only when the client is in tracking mode with OPTIN or OPTOUT mode enabled\r\n";
        Assert.Equal(caching, c.Run("CLIENT", "CACHING", "yes"));
        Assert.Equal(caching, c.Run("CLIENT", "CACHING", "foo"));
        Assert.Equal("-ERR syntax error\r\n", c.Run("CLIENT", "TRACKING", "foo"));
        Assert.Equal("-ERR syntax error\r\n", c.Run("CLIENT", "TRACKING", "off", "foo"));
        Assert.Equal("-ERR syntax error\r\n", c.Run("CLIENT", "TRACKING", "on", "redirect"));
        Assert.Equal("-ERR value is not an integer or out of range\r\n", c.Run("CLIENT", "TRACKING", "on", "redirect", "x"));
        Assert.Equal("-ERR The client ID you want redirect to does not exist\r\n", c.Run("CLIENT", "TRACKING", "off", "redirect", "999"));
        var self = c.Client.Id.ToString();
        Assert.Equal("-ERR A client can only redirect to a single other client\r\n", c.Run("CLIENT", "TRACKING", "on", "redirect", self, "redirect", self));
        Assert.Equal("-ERR PREFIX option requires BCAST mode to be enabled\r\n", c.Run("CLIENT", "TRACKING", "on", "prefix", "a"));
        Assert.Equal("-ERR OPTIN and OPTOUT are not compatible with BCAST\r\n", c.Run("CLIENT", "TRACKING", "on", "bcast", "optin"));
        Assert.Equal("-ERR You can't specify both OPTIN mode and OPTOUT mode\r\n", c.Run("CLIENT", "TRACKING", "on", "optin", "optout"));
    }

    [Fact]
    public void Declarations_match_redis()
    {
        var table = new SessionHarness().Server.Commands;
        var client = table.Find("client")!;
        Assert.Equal(-2, client.Arity);
        Assert.Equal(CommandFlags.None, client.Flags);
        Assert.Equal(AclCategories.Slow, client.Acl);
        Assert.Equal("2.4.0", client.Reference!.Docs.Field("since")!.String);
        string[] expected =
        [
            "caching 3 noscript loading stale", "getname 2 noscript loading stale", "getredir 2 noscript loading stale",
            "help 2 loading stale", "id 2 noscript loading stale", "info 2 noscript loading stale",
            "kill -3 admin noscript loading stale", "list -2 admin noscript loading stale",
            "no-evict 3 admin noscript loading stale", "pause -3 admin noscript loading stale",
            "reply 3 noscript loading stale", "setname 3 noscript loading stale", "tracking -3 noscript loading stale",
            "trackinginfo 2 noscript loading stale", "unblock -3 admin noscript loading stale",
            "unpause 2 admin noscript loading stale",
        ];
        var actual = client.Subcommands!.Values
            .Select(s => $"{s.Name["client|".Length..]} {s.Arity} {string.Join(' ', ConnectionCommandsTests.FlagNames(s.Flags))}")
            .Order(StringComparer.Ordinal).ToArray();
        Assert.Equal(expected, actual);
        var kill = table.Find("client")!.Subcommands!["kill"];
        Assert.Equal(AclCategories.Admin | AclCategories.Slow | AclCategories.Dangerous | AclCategories.Connection, kill.Acl);
        Assert.Equal(AclCategories.Slow | AclCategories.Connection, client.Subcommands["id"].Acl);
        Assert.Equal(["nondeterministic_output"], client.Subcommands["list"].Reference!.Tips.Items.Select(t => t.String));
        Assert.True(kill.Barrier);
        Assert.True(client.Subcommands["list"].Barrier);
    }
}
