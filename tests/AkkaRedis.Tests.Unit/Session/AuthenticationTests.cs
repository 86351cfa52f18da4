using AkkaRedis.Net.Resp;
using System.Net;
using System.Net.Sockets;
using System.Text;
using AkkaRedis.Actors.Commands;
using AkkaRedis.Actors.Server;
using AkkaRedis.Actors.Session;
using AkkaRedis.Net.Streams;
using AkkaRedis.Tests.Unit.Server;

namespace AkkaRedis.Tests.Unit.Session;

/// <summary>AUTH, the NOAUTH gate, protected mode and the idle timeout test, against redis-server 7.0.15's replies.</summary>
public sealed class AuthenticationTests
{
    private const string WrongPass = "-WRONGPASS invalid username-password pair or user is disabled.\r\n";
    private const string NoPasswordConfigured =
        "-ERR AUTH <password> called without any password configured for the default user. Are you sure your configuration is correct?\r\n";

    private static SessionHarness WithPassword(string password)
    {
        var h = new SessionHarness();
        Assert.Null(h.Server.Config.Set("requirepass", password));
        return h;
    }

    [Fact]
    public void Auth_without_a_password_configured()
    {
        var c = new SessionHarness().Connect();
        Assert.Equal(NoPasswordConfigured, c.Run("AUTH", "x"));
        // The default user is "nopass": any password is right, any other user is wrong.
        Assert.Equal("+OK\r\n", c.Run("AUTH", "default", "x"));
        Assert.Equal("+OK\r\n", c.Run("auth", "default", ""));
        Assert.Equal(WrongPass, c.Run("AUTH", "nobody", "x"));
        Assert.Equal("-ERR syntax error\r\n", c.Run("AUTH", "a", "b", "c"));
        Assert.Equal("-ERR wrong number of arguments for 'auth' command\r\n", c.Run("AUTH"));
    }

    [Fact]
    public void Auth_with_requirepass()
    {
        var h = WithPassword("secret");
        var c = h.Connect();
        c.Client.Authenticated = false;
        Assert.Equal(WrongPass, c.Run("AUTH", "wrong"));
        Assert.Equal(WrongPass, c.Run("AUTH", "default", "wrong"));
        Assert.Equal(WrongPass, c.Run("AUTH", "bob", "secret"));
        Assert.Equal(WrongPass, c.Run("AUTH", "secreT"));
        Assert.Equal(WrongPass, c.Run("AUTH", "secret2"));
        Assert.False(c.Client.Authenticated);
        Assert.Equal("+OK\r\n", c.Run("AUTH", "secret"));
        Assert.True(c.Client.Authenticated);
        Assert.Equal("default", c.Client.User);
        c.Client.Authenticated = false;
        Assert.Equal("+OK\r\n", c.Run("AUTH", "default", "secret"));
        Assert.True(c.Client.Authenticated);
        // A wrong password later does not log an authenticated client out (Redis keeps c->authenticated).
        Assert.Equal(WrongPass, c.Run("AUTH", "nope"));
        Assert.True(c.Client.Authenticated);
    }

    [Fact]
    public void Auth_and_hello_auth_redact_the_credentials_in_the_request()
    {
        var c = WithPassword("secret").Connect();
        var auth = Args("AUTH", "secret");
        Assert.Equal("+OK\r\n", c.Run(auth));
        Assert.Equal(["AUTH", "(redacted)"], Text(auth));
        var auth3 = Args("AUTH", "default", "wrong");
        Assert.Equal(WrongPass, c.Run(auth3));
        Assert.Equal(["AUTH", "(redacted)", "(redacted)"], Text(auth3));
        var hello = Args("HELLO", "2", "AUTH", "default", "secret", "SETNAME", "app");
        c.Run(hello);
        Assert.Equal(["HELLO", "2", "AUTH", "(redacted)", "(redacted)", "SETNAME", "app"], Text(hello));
        // A syntax error is answered before anything is read, as in Redis.
        var bad = Args("AUTH", "a", "b", "c");
        c.Run(bad);
        Assert.Equal(["AUTH", "a", "b", "c"], Text(bad));
    }

    [Fact]
    public void Config_set_redacts_passwords_even_when_it_fails()
    {
        var h = new ServerHarness();
        var set = Args("CONFIG", "SET", "requirepass", "pw", "masterauth", "m", "maxclients", "100");
        Assert.Equal("+OK\r\n", h.Run(set));
        Assert.Equal(["CONFIG", "SET", "requirepass", "(redacted)", "masterauth", "(redacted)", "maxclients", "100"], Text(set));
        Assert.Equal("pw", h.Server.Config.RequirePass);
        var failing = Args("CONFIG", "SET", "requirepass", "x", "nosuch", "y");
        Assert.StartsWith("-ERR Unknown option", h.Run(failing));
        Assert.Equal("(redacted)", Text(failing)[3]);
    }

    [Fact]
    public void Reset_logs_out_only_when_a_password_is_needed()
    {
        var open = new SessionHarness().Connect();
        open.Run("RESET");
        Assert.True(open.Client.Authenticated);

        var c = WithPassword("pw").Connect();
        Assert.Equal("+OK\r\n", c.Run("AUTH", "pw"));
        Assert.Equal("+RESET\r\n", c.Run("RESET"));
        Assert.False(c.Client.Authenticated);
        Assert.Equal("default", c.Client.User);
    }

    [Fact]
    public void The_gate_lets_only_no_auth_commands_through_while_a_password_is_needed()
    {
        var h = WithPassword("pw");
        var config = h.Server.Config;
        var client = h.Connect().Client;
        client.Authenticated = false;
        foreach (var name in new[] { "auth", "hello", "quit", "reset" })
            Assert.Null(ConnectionGate.RejectUnauthenticated(config, client, h.Server.Commands.Find(name)!));
        Assert.Equal("NOAUTH Authentication required.", ConnectionGate.RejectUnauthenticated(config, client, h.Server.Commands.Find("ping")!));
        Assert.Equal("NOAUTH Authentication required.", ConnectionGate.RejectUnauthenticated(config, client, h.Server.Commands.Find("get")!));
        var clientList = h.Server.Commands.Find("client")!.Subcommands!["list"];
        Assert.Equal("NOAUTH Authentication required.", ConnectionGate.RejectUnauthenticated(config, client, clientList));
        // DEBUG's own refusal is the protected-command gate, which the session asks first (Redis checks protected
        // commands before authentication); the authentication gate alone treats DEBUG like any other command.
        var debug = h.Server.Commands.Find("debug")!;
        Assert.Equal(ConnectionGate.DebugNotAllowed, ConnectionGate.RejectProtected(config, client, debug));
        Assert.Equal("NOAUTH Authentication required.", ConnectionGate.RejectUnauthenticated(config, client, debug));

        // CONFIG SET requirepass "": clients that never authenticated may run everything again.
        Assert.Null(config.Set("requirepass", ""));
        Assert.Null(ConnectionGate.RejectUnauthenticated(config, client, h.Server.Commands.Find("ping")!));
    }

    [Fact]
    public void Only_auth_hello_quit_and_reset_are_no_auth_as_in_redis()
    {
        var noAuth = AkkaRedis.Actors.Session.Families.CreateTable().AllWithSubcommands
            .Where(d => (d.Flags & CommandFlags.NoAuth) != 0).Select(d => d.Name).Order().ToArray();
        Assert.Equal(["auth", "hello", "quit", "reset"], noAuth);
    }

    [Theory]
    [InlineData("127.0.0.1:5000", true)]
    [InlineData("::1:5000", true)]
    [InlineData("[::1]:5000", true)]
    // Redis 7.0 compares the peer's address text: other loopback addresses are refused.
    [InlineData("127.0.0.2:5000", false)]
    [InlineData("192.0.2.2:5000", false)]
    [InlineData("fd00::2:5000", false)]
    public void Protected_mode_accepts_exactly_127_0_0_1_and_ipv6_loopback(string address, bool accepted)
    {
        var config = new ServerConfig();
        Assert.Equal(accepted, ConnectionGate.Refusal(config, address, 1) == null);
        if (!accepted) Assert.Same(ConnectionGate.ProtectedModeReply, ConnectionGate.Refusal(config, address, 1));
    }

    [Fact]
    public void Protected_mode_is_off_with_a_password_or_when_disabled_and_maxclients_comes_first()
    {
        var config = new ServerConfig();
        Assert.Null(config.Set("requirepass", "pw"));
        Assert.Null(ConnectionGate.Refusal(config, "192.0.2.2:5000", 1));
        Assert.Null(config.Set("requirepass", ""));
        Assert.NotNull(ConnectionGate.Refusal(config, "192.0.2.2:5000", 1));
        Assert.Null(config.Set("protected-mode", "no"));
        Assert.Null(ConnectionGate.Refusal(config, "192.0.2.2:5000", 1));

        Assert.Null(config.Set("protected-mode", "yes"));
        Assert.Null(config.Set("maxclients", "2"));
        Assert.Null(ConnectionGate.Refusal(config, "127.0.0.1:5000", 2));
        Assert.Equal("-ERR max number of clients reached\r\n", Encoding.ASCII.GetString(ConnectionGate.Refusal(config, "127.0.0.1:5000", 3)!));
        Assert.Same(ConnectionGate.MaxClientsReply, ConnectionGate.Refusal(config, "192.0.2.2:5000", 3));
    }

    [Fact]
    public void Protected_mode_text_is_redis_7_0_15_s()
    {
        // Recorded from redis-server 7.0.15 (a client connecting to its non-loopback address).
        var text = Encoding.ASCII.GetString(ConnectionGate.ProtectedModeReply);
        Assert.StartsWith("-DENIED Redis is running in protected mode because protected mode is enabled and no password is set for the default user. ", text);
        Assert.Contains(" 4) Setup a an authentication password for the default user. NOTE: You only need to do one of the above things in order for the server to start accepting connections from the outside.\r\n", text);
        Assert.Equal(1067, ConnectionGate.ProtectedModeReply.Length);
    }

    [Fact]
    public void Idle_timeout_counts_whole_seconds_and_spares_clients_that_wait_for_the_server()
    {
        var client = new ClientSession(1, "127.0.0.1:5000", "127.0.0.1:6379") { LastInteraction = 10_900 };
        // Redis: now - lastinteraction > timeout, both in unix seconds (so 1.1 s of idleness may be enough).
        Assert.False(ClientsCron.IsIdleTooLong(client, 1, 11_999));
        Assert.True(ClientsCron.IsIdleTooLong(client, 1, 12_000));
        Assert.False(ClientsCron.IsIdleTooLong(client, 5, 13_000));
        foreach (var exempt in new Action<ClientSession>[]
                 {
                     c => c.IsBlocked = true, c => c.IsPubSub = true, c => c.Channels = 1, c => c.Patterns = 1, c => c.ShardChannels = 1,
                     c => c.IsMonitor = true, c => c.IsReplica = true, c => c.IsMaster = true,
                 })
        {
            var c = new ClientSession(2, "127.0.0.1:5001", "127.0.0.1:6379") { LastInteraction = 0 };
            Assert.True(ClientsCron.IsIdleTooLong(c, 1, 100_000));
            exempt(c);
            Assert.False(ClientsCron.IsIdleTooLong(c, 1, 100_000));
        }
    }

    [Fact]
    public void Tcp_keepalive_sets_redis_s_socket_options()
    {
        using var listener = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        listener.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        listener.Listen(1);
        using var client = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        client.Connect(listener.LocalEndPoint!);
        using var accepted = listener.Accept();
        Assert.Equal(0, (int)accepted.GetSocketOption(SocketOptionLevel.Socket, SocketOptionName.KeepAlive)!);
        TcpKeepAlive.Enable(accepted, 300);
        Assert.NotEqual(0, (int)accepted.GetSocketOption(SocketOptionLevel.Socket, SocketOptionName.KeepAlive)!);
        if (!OperatingSystem.IsLinux()) return;
        Assert.Equal(300, (int)accepted.GetSocketOption(SocketOptionLevel.Tcp, SocketOptionName.TcpKeepAliveTime)!);
        Assert.Equal(100, (int)accepted.GetSocketOption(SocketOptionLevel.Tcp, SocketOptionName.TcpKeepAliveInterval)!);
        Assert.Equal(3, (int)accepted.GetSocketOption(SocketOptionLevel.Tcp, SocketOptionName.TcpKeepAliveRetryCount)!);
        TcpKeepAlive.Enable(accepted, 2);
        Assert.Equal(1, (int)accepted.GetSocketOption(SocketOptionLevel.Tcp, SocketOptionName.TcpKeepAliveInterval)!);
    }

    [Fact]
    public void Command_info_auth_is_redis_s()
    {
        // redis-server 7.0.15: COMMAND INFO auth, RESP2 then RESP3.
        Assert.Equal(
            "*1\r\n*10\r\n$4\r\nauth\r\n:-2\r\n*6\r\n+noscript\r\n+loading\r\n+stale\r\n+fast\r\n+no_auth\r\n+allow_busy\r\n" +
            ":0\r\n:0\r\n:0\r\n*2\r\n+@fast\r\n+@connection\r\n*0\r\n*0\r\n*0\r\n",
            new ServerHarness().Run("COMMAND", "INFO", "auth"));
        Assert.Equal(
            "*1\r\n*10\r\n$4\r\nauth\r\n:-2\r\n~6\r\n+noscript\r\n+loading\r\n+stale\r\n+fast\r\n+no_auth\r\n+allow_busy\r\n" +
            ":0\r\n:0\r\n:0\r\n~2\r\n+@fast\r\n+@connection\r\n~0\r\n~0\r\n~0\r\n",
            new ServerHarness(protocol: 3).Run("command", "info", "AUTH"));
    }

    [Fact]
    public void Command_docs_auth_is_redis_s()
    {
        // redis-server 7.0.15: COMMAND DOCS auth, RESP2 then RESP3.
        Assert.Equal(
            "*2\r\n$4\r\nauth\r\n*12\r\n$7\r\nsummary\r\n$26\r\nAuthenticate to the server\r\n$5\r\nsince\r\n$5\r\n1.0.0\r\n" +
            "$5\r\ngroup\r\n$10\r\nconnection\r\n$10\r\ncomplexity\r\n$60\r\nO(N) where N is the number of passwords defined for the user\r\n" +
            "$7\r\nhistory\r\n*1\r\n*2\r\n$5\r\n6.0.0\r\n$40\r\nAdded ACL style (username and password).\r\n$9\r\narguments\r\n*2\r\n" +
            "*8\r\n$4\r\nname\r\n$8\r\nusername\r\n$4\r\ntype\r\n$6\r\nstring\r\n$5\r\nsince\r\n$5\r\n6.0.0\r\n$5\r\nflags\r\n*1\r\n+optional\r\n" +
            "*4\r\n$4\r\nname\r\n$8\r\npassword\r\n$4\r\ntype\r\n$6\r\nstring\r\n",
            new ServerHarness().Run("COMMAND", "DOCS", "auth"));
        Assert.Equal(
            "%1\r\n$4\r\nauth\r\n%6\r\n$7\r\nsummary\r\n$26\r\nAuthenticate to the server\r\n$5\r\nsince\r\n$5\r\n1.0.0\r\n" +
            "$5\r\ngroup\r\n$10\r\nconnection\r\n$10\r\ncomplexity\r\n$60\r\nO(N) where N is the number of passwords defined for the user\r\n" +
            "$7\r\nhistory\r\n~1\r\n*2\r\n$5\r\n6.0.0\r\n$40\r\nAdded ACL style (username and password).\r\n$9\r\narguments\r\n*2\r\n" +
            "%4\r\n$4\r\nname\r\n$8\r\nusername\r\n$4\r\ntype\r\n$6\r\nstring\r\n$5\r\nsince\r\n$5\r\n6.0.0\r\n$5\r\nflags\r\n~1\r\n+optional\r\n" +
            "%2\r\n$4\r\nname\r\n$8\r\npassword\r\n$4\r\ntype\r\n$6\r\nstring\r\n",
            new ServerHarness(protocol: 3).Run("COMMAND", "DOCS", "auth"));
    }

    [Fact]
    public void Unauthenticated_requests_are_limited_to_10_arguments_of_16_kb_by_the_parser()
    {
        string? Feed(string input, bool authRequired, out int parsed)
        {
            var parser = new AkkaRedis.Net.Resp.RespParser(new AkkaRedis.Net.Resp.RespLimits { AuthGate = new FixedAuthGate(authRequired) });
            var output = new List<byte[][]>();
            parser.Feed(Encoding.ASCII.GetBytes(input), output);
            parsed = output.Count;
            return parser.ProtocolError;
        }

        Assert.Equal("ERR Protocol error: unauthenticated multibulk length", Feed("*11\r\n", true, out _));
        Assert.Equal("ERR Protocol error: unauthenticated bulk length", Feed("*1\r\n$16385\r\n", true, out _));
        Assert.Null(Feed("*10\r\n", true, out _));
        Assert.Null(Feed("*1\r\n$16384\r\n", true, out _));
        Assert.Null(Feed("*11\r\n$1\r\nx\r\n", false, out _));
        Assert.Null(Feed("*1\r\n$16385\r\n", false, out _));
        // What was parsed before the offending header is kept and answered.
        Assert.Equal("ERR Protocol error: unauthenticated multibulk length", Feed("*1\r\n$4\r\nPING\r\n*11\r\n", true, out var before));
        Assert.Equal(1, before);
    }

    [Fact]
    public void The_unauthenticated_limit_waits_for_an_auth_or_hello_of_the_same_batch()
    {
        var h = WithPassword("pw");
        var client = h.Connect().Client;
        client.Authenticated = false;
        var config = h.Server.Config;
        Assert.True(ConnectionGate.AuthRequiredBefore(config, client, CommandBatch.Of()));
        Assert.True(ConnectionGate.AuthRequiredBefore(config, client, CommandBatch.Of(Args("PING").ToArrays(), Args("GET", "k").ToArrays())));
        // Redis would have run them before parsing the big request: they may have authenticated the client.
        Assert.False(ConnectionGate.AuthRequiredBefore(config, client, CommandBatch.Of(Args("PING").ToArrays(), Args("auth", "pw").ToArrays())));
        Assert.False(ConnectionGate.AuthRequiredBefore(config, client, CommandBatch.Of(Args("HELLO", "3", "AUTH", "default", "pw").ToArrays())));
        client.Authenticated = true;
        Assert.False(ConnectionGate.AuthRequiredBefore(config, client, CommandBatch.Of()));
        client.Authenticated = false;
        Assert.Null(config.Set("requirepass", ""));
        Assert.False(ConnectionGate.AuthRequiredBefore(config, client, CommandBatch.Of()));
    }

    /// <summary>A request the handlers may redact in place (as they redact the received request).</summary>
    private static CommandArgs Args(params string[] args) => CommandArgs.Of(args);

    private static string[] Text(CommandArgs args) => args.ToArrays().Select(a => Encoding.UTF8.GetString(a)).ToArray();

    private sealed class FixedAuthGate(bool required) : AkkaRedis.Net.Resp.IAuthGate
    {
        public bool AuthRequired(AkkaRedis.Net.Resp.CommandBatch notRunYet) => required;
    }
}
