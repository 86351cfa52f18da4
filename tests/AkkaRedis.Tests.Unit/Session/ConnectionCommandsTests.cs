using AkkaRedis.Actors.Session;

namespace AkkaRedis.Tests.Unit.Session;

public sealed class ConnectionCommandsTests
{
    private static string HelloReply(int proto, long id) =>
        (proto == 3 ? "%7\r\n" : "*14\r\n") +
        "$6\r\nserver\r\n$5\r\nredis\r\n$7\r\nversion\r\n$6\r\n7.0.15\r\n" +
        $"$5\r\nproto\r\n:{proto}\r\n$2\r\nid\r\n:{id}\r\n" +
        "$4\r\nmode\r\n$10\r\nstandalone\r\n$4\r\nrole\r\n$6\r\nmaster\r\n$7\r\nmodules\r\n*0\r\n";

    [Fact]
    public void Ping_and_echo()
    {
        var c = new SessionHarness().Connect();
        Assert.Equal("+PONG\r\n", c.Run("PING"));
        Assert.Equal("$5\r\nhello\r\n", c.Run("ping", "hello"));
        Assert.Equal("-ERR wrong number of arguments for 'ping' command\r\n", c.Run("PING", "a", "b"));
        Assert.Equal("$3\r\nabc\r\n", c.Run("ECHO", "abc"));
        Assert.Equal("$0\r\n\r\n", c.Run("ECHO", ""));
        Assert.Equal("-ERR wrong number of arguments for 'echo' command\r\n", c.Run("ECHO"));
        Assert.Equal("-ERR wrong number of arguments for 'echo' command\r\n", c.Run("ECHO", "a", "b"));
    }

    [Fact]
    public void Ping_of_a_resp2_subscriber_is_an_array()
    {
        var c = new SessionHarness().Connect();
        c.Client.IsPubSub = true;
        Assert.Equal("*2\r\n$4\r\npong\r\n$0\r\n\r\n", c.Run("PING"));
        Assert.Equal("*2\r\n$4\r\npong\r\n$1\r\nx\r\n", c.Run("PING", "x"));
        c.Client.Protocol = 3;
        Assert.Equal("+PONG\r\n", c.Run("PING"));
    }

    [Fact]
    public void Select_checks_the_index()
    {
        var c = new SessionHarness().Connect();
        Assert.Equal("+OK\r\n", c.Run("SELECT", "15"));
        Assert.Equal(15, c.Client.Db);
        Assert.Equal("-ERR DB index is out of range\r\n", c.Run("SELECT", "16"));
        Assert.Equal("-ERR DB index is out of range\r\n", c.Run("SELECT", "-1"));
        Assert.Equal("-ERR value is not an integer or out of range\r\n", c.Run("SELECT", "x"));
        Assert.Equal("-ERR value is not an integer or out of range\r\n", c.Run("SELECT", "01"));
        Assert.Equal("-ERR value is out of range, value must between -2147483648 and 2147483647\r\n", c.Run("SELECT", "9999999999"));
        Assert.Equal(15, c.Client.Db);
    }

    [Fact]
    public void Quit_replies_then_closes()
    {
        var c = new SessionHarness().Connect();
        Assert.Equal("+OK\r\n", c.Run("QUIT", "ignored", "args"));
        Assert.True(c.CloseAfterReply);
    }

    [Fact]
    public void Hello_without_arguments_reports_the_current_protocol()
    {
        var c = new SessionHarness().Connect();
        Assert.Equal(HelloReply(2, c.Client.Id), c.Run("HELLO"));
        Assert.Equal(2, c.Client.Protocol);
    }

    [Fact]
    public void Hello_3_switches_to_resp3_and_answers_in_it()
    {
        var c = new SessionHarness().Connect();
        Assert.Equal(HelloReply(3, c.Client.Id), c.Run("HELLO", "3"));
        Assert.Equal(3, c.Client.Protocol);
        Assert.Equal(HelloReply(3, c.Client.Id), c.Run("HELLO"));
        Assert.Equal(HelloReply(2, c.Client.Id), c.Run("HELLO", "2"));
        Assert.Equal(2, c.Client.Protocol);
    }

    [Fact]
    public void Hello_errors()
    {
        var c = new SessionHarness().Connect();
        Assert.Equal("-NOPROTO unsupported protocol version\r\n", c.Run("HELLO", "4"));
        Assert.Equal("-NOPROTO unsupported protocol version\r\n", c.Run("HELLO", "1"));
        Assert.Equal("-ERR Protocol version is not an integer or out of range\r\n", c.Run("HELLO", "x"));
        Assert.Equal("-ERR Syntax error in HELLO option 'AUTH'\r\n", c.Run("HELLO", "3", "AUTH", "default"));
        Assert.Equal("-ERR Syntax error in HELLO option 'SETNAME'\r\n", c.Run("HELLO", "3", "SETNAME"));
        Assert.Equal("-ERR Syntax error in HELLO option 'Foo'\r\n", c.Run("HELLO", "2", "Foo"));
        Assert.Equal("-ERR Client names cannot contain spaces, newlines or special characters.\r\n", c.Run("HELLO", "3", "SETNAME", "a b"));
        Assert.Equal("-WRONGPASS invalid username-password pair or user is disabled.\r\n", c.Run("HELLO", "3", "AUTH", "bob", "pw"));
        // A failed HELLO changes nothing.
        Assert.Equal(2, c.Client.Protocol);
        Assert.Null(c.Client.Name);
    }

    [Fact]
    public void Hello_auth_as_default_user_takes_any_password_without_requirepass_and_setname_names()
    {
        var c = new SessionHarness().Connect();
        Assert.Equal(HelloReply(3, c.Client.Id), c.Run("hello", "3", "auth", "default", "anything", "setname", "app"));
        Assert.Equal("app", c.Client.Name);
        Assert.Equal(HelloReply(3, c.Client.Id), c.Run("HELLO", "3", "SETNAME", ""));
        Assert.Null(c.Client.Name);
    }

    [Fact]
    public void Hello_needs_an_authenticated_connection_or_auth()
    {
        var c = new SessionHarness().Connect();
        c.Client.Authenticated = false;
        Assert.Equal("-NOAUTH HELLO must be called with the client already authenticated, otherwise the HELLO AUTH <user> " +
                     "<pass> option can be used to authenticate the client and select the RESP protocol version at the same time\r\n",
            c.Run("HELLO", "3"));
        Assert.Equal(2, c.Client.Protocol);
        Assert.Equal(HelloReply(3, c.Client.Id), c.Run("HELLO", "3", "SETNAME", "x", "AUTH", "default", "pw"));
        Assert.True(c.Client.Authenticated);
        Assert.Equal("x", c.Client.Name);
    }

    [Fact]
    public void Reset_restores_the_connection_defaults()
    {
        var c = new SessionHarness().Connect();
        c.Run("HELLO", "3", "SETNAME", "x");
        c.Run("SELECT", "4");
        c.Run("CLIENT", "NO-EVICT", "on");
        c.Client.ReplyMode = ReplyMode.Off;
        Assert.Equal("+RESET\r\n", c.Run("RESET"));
        Assert.True(c.RepliesTurnedOn);
        Assert.Equal(0, c.Client.Db);
        Assert.Equal(2, c.Client.Protocol);
        Assert.Null(c.Client.Name);
        Assert.True(c.Client.NoEvict); // clearClientConnectionState leaves CLIENT_NO_EVICT set
        Assert.Equal(ReplyMode.On, c.Client.ReplyMode);
        Assert.Equal("-ERR wrong number of arguments for 'reset' command\r\n", c.Run("RESET", "x"));
    }

    [Fact]
    public void Reset_refuses_replication_links()
    {
        var c = new SessionHarness().Connect();
        c.Client.IsReplica = true;
        Assert.Equal("-ERR can only reset normal client connections\r\n", c.Run("RESET"));
    }

    [Fact]
    public void Declarations_match_redis()
    {
        var table = new SessionHarness().Server.Commands;
        var echo = table.Find("echo")!;
        Assert.Equal(2, echo.Arity);
        Assert.Equal("loading stale fast", string.Join(' ', FlagNames(echo.Flags)));
        var hello = table.Find("hello")!;
        Assert.Equal(-1, hello.Arity);
        Assert.Equal("6.0.0", hello.Reference!.Docs.Field("since")!.String);
        Assert.Equal("noscript loading stale fast no_auth allow_busy", string.Join(' ', FlagNames(hello.Flags)));
        var reset = table.Find("reset")!;
        Assert.Equal(1, reset.Arity);
        Assert.Equal("6.2.0", reset.Reference!.Docs.Field("since")!.String);
        Assert.Equal("1.0.0", table.Find("select")!.Reference!.Docs.Field("since")!.String);
    }

    internal static IEnumerable<string> FlagNames(Actors.Commands.CommandFlags flags)
    {
        (Actors.Commands.CommandFlags flag, string name)[] names =
        [
            (Actors.Commands.CommandFlags.Admin, "admin"), (Actors.Commands.CommandFlags.NoScript, "noscript"),
            (Actors.Commands.CommandFlags.Loading, "loading"), (Actors.Commands.CommandFlags.Stale, "stale"),
            (Actors.Commands.CommandFlags.Fast, "fast"), (Actors.Commands.CommandFlags.NoAuth, "no_auth"),
            (Actors.Commands.CommandFlags.AllowBusy, "allow_busy"),
        ];
        foreach (var (flag, name) in names)
            if ((flags & flag) != 0) yield return name;
    }
}
