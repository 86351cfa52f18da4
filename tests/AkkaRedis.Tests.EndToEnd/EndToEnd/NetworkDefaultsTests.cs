using System.Globalization;
using System.Net;
using System.Net.NetworkInformation;
using System.Net.Sockets;
using System.Text;
using System.Text.RegularExpressions;
using AkkaRedis.Tests.EndToEnd.Infrastructure;
using Xunit.Abstractions;

namespace AkkaRedis.Tests.EndToEnd.EndToEnd;

/// <summary>
/// Two pairs of servers of their own, each an AkkaRedis and a redis-server 7.0.15 started with the same options:
/// one with <c>requirepass secret</c>, one with the network defaults (bind <c>* -::*</c>, protected mode on, no
/// password). Started on first use, killed with the test class.
/// </summary>
public sealed class NetworkDefaultsServers : IDisposable
{
    public const string Password = "secret";

    private readonly Lazy<(AkkaRedisProcess Akka, RealRedisProcess Redis)> _withPassword = new(() =>
        Pair(["--requirepass", Password], ["--requirepass", Password]));

    // redis-server's test arguments bind 127.0.0.1 with protected mode off; these restore its real defaults. AkkaRedis
    // gets no option at all (unless a redis-server plays it), so that its own defaults are what is tested.
    private static readonly string[] RedisDefaults = ["--bind", "*", "-::*", "--protected-mode", "yes"];

    private readonly Lazy<(AkkaRedisProcess Akka, RealRedisProcess Redis)> _defaults = new(() =>
        Pair(AkkaRedisProcess.TargetIsRealRedis ? RedisDefaults : [], RedisDefaults));

    public (AkkaRedisProcess Akka, RealRedisProcess Redis) WithPassword => _withPassword.Value;
    public (AkkaRedisProcess Akka, RealRedisProcess Redis) Defaults => _defaults.Value;

    private static (AkkaRedisProcess, RealRedisProcess) Pair(string[] akkaArgs, string[] redisArgs)
    {
        var akka = AkkaRedisProcess.Started([.. E2EServers.AkkaArgs, .. akkaArgs]);
        try
        {
            return (akka, RealRedisProcess.Started(redisArgs));
        }
        catch
        {
            akka.Dispose();
            throw;
        }
    }

    public void Dispose()
    {
        if (_withPassword.IsValueCreated)
        {
            _withPassword.Value.Akka.Dispose();
            _withPassword.Value.Redis.Dispose();
        }
        if (_defaults.IsValueCreated)
        {
            _defaults.Value.Akka.Dispose();
            _defaults.Value.Redis.Dispose();
        }
    }
}

/// <summary>
/// requirepass / AUTH / NOAUTH, protected mode, bind, maxclients, timeout and tcp-keepalive: every reply compared
/// byte for byte with redis-server 7.0.15 started with the same options.
/// </summary>
[Collection(E2ECollection.Name)]
[Trait("Category", "EndToEnd")]
public sealed class NetworkDefaultsTests(NetworkDefaultsServers servers, ITestOutputHelper output) : IClassFixture<NetworkDefaultsServers>
{
    private const string Password = NetworkDefaultsServers.Password;
    private static readonly TimeSpan CloseDeadline = TimeSpan.FromSeconds(10);

    /// <summary>The same request on both connections; the replies must be the same bytes (HELLO's id masked).</summary>
    private static void Same(RawRespClient akka, RawRespClient redis, params string[] command)
    {
        var expected = MaskHelloId(redis.Call(command));
        var actual = MaskHelloId(akka.Call(command));
        Assert.True(expected == actual,
            $"{string.Join(' ', command)}\n  redis-server: {Resp.Escape(Encoding.Latin1.GetBytes(expected))}\n  akkaredis:    {Resp.Escape(Encoding.Latin1.GetBytes(actual))}");
    }

    private static string MaskHelloId(byte[] reply) =>
        Regex.Replace(Encoding.Latin1.GetString(reply), "\\$2\r\nid\r\n:[0-9]+\r\n", "$2\r\nid\r\n:<id>\r\n");

    private static long InfoField(RawRespClient client, string section, string field)
    {
        var text = Encoding.Latin1.GetString(client.Call("INFO", section));
        var match = Regex.Match(text, "(?m)^" + Regex.Escape(field) + ":([0-9]+)\r$");
        Assert.True(match.Success, $"INFO {section} has no {field}:\n{text}");
        return long.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture);
    }

    /// <summary>INFO commandstats without the timings, as a sorted set of lines (Redis lists them in hash order).</summary>
    private static string CommandStatsWithoutTimes(RawRespClient client)
    {
        var text = Encoding.Latin1.GetString(client.Call("INFO", "commandstats"));
        var lines = text.Split("\r\n", StringSplitOptions.RemoveEmptyEntries)
            .Where(l => l.StartsWith("cmdstat_", StringComparison.Ordinal))
            .Select(l => Regex.Replace(l, "usec=[0-9]+,usec_per_call=[0-9.]+,", ""))
            .Order(StringComparer.Ordinal);
        return string.Join('\n', lines);
    }

    private static string ClientInfoField(RawRespClient client, string field)
    {
        var text = Encoding.Latin1.GetString(client.Call("CLIENT", "INFO"));
        var match = Regex.Match(text, " " + Regex.Escape(field) + "=([^ ]*)");
        Assert.True(match.Success, text);
        return match.Groups[1].Value;
    }

    [Fact]
    public void UnauthenticatedCommandsGetNoauthAndAreCountedAsRedisCountsThem()
    {
        var (akkaServer, redisServer) = servers.WithPassword;
        using var akkaAdmin = akkaServer.Connect();
        using var redisAdmin = redisServer.Connect();
        Same(akkaAdmin, redisAdmin, "AUTH", Password);
        Same(akkaAdmin, redisAdmin, "CONFIG", "RESETSTAT");

        using var akka = akkaServer.Connect();
        using var redis = redisServer.Connect();
        // Unknown commands, arity errors and DEBUG's own refusal come before the authentication check.
        string[][] script =
        [
            ["PING"], ["GET", "x"], ["SET", "k", "v"], ["SELECT", "1"], ["CLIENT", "LIST"], ["CLIENT", "SETNAME", "x"],
            ["COMMAND"], ["CONFIG", "GET", "requirepass"], ["ECHO", "a"],
            ["NOSUCH", "a"], ["GET"], ["CLIENT", "NOSUCH"], ["DEBUG", "SLEEP", "0"],
            ["HELLO", "3"], ["HELLO"], ["HELLO", "4"], ["HELLO", "x"], ["HELLO", "3", "AUTH", "default", "wrong"],
            ["AUTH"], ["AUTH", "a", "b", "c"], ["AUTH", "wrong"], ["AUTH", "default", "wrong"], ["AUTH", "bob", Password],
            ["AUTH", "DEFAULT", Password], ["AUTH", ""], ["AUTH", Password + " "],
            ["PING"],
        ];
        foreach (var command in script) Same(akka, redis, command);

        Same(akkaAdmin, redisAdmin, "INFO", "errorstats");
        Assert.Equal(InfoField(redisAdmin, "stats", "total_error_replies"), InfoField(akkaAdmin, "stats", "total_error_replies"));
        var expectedStats = CommandStatsWithoutTimes(redisAdmin);
        var actualStats = CommandStatsWithoutTimes(akkaAdmin);
        Assert.True(expectedStats == actualStats, $"INFO commandstats (timings left out)\nredis-server:\n{expectedStats}\nakkaredis:\n{actualStats}");

        Same(akka, redis, "AUTH", Password);
        Same(akka, redis, "PING");
        Same(akka, redis, "GET", "x");
        Assert.Equal("default", ClientInfoField(akka, "user"));
        Assert.Equal(ClientInfoField(redis, "user"), ClientInfoField(akka, "user"));
        Assert.Equal(ClientInfoField(redis, "cmd"), ClientInfoField(akka, "cmd"));
    }

    [Theory]
    [InlineData("*11\r\n")]
    [InlineData("*2\r\n$16385\r\n")]
    [InlineData("PING\r\n*11\r\n$3\r\nSET\r\n")]
    [InlineData("*3\r\n$3\r\nSET\r\n$1\r\nk\r\n$16385\r\n")]
    public void UnauthenticatedClientsMaySendOnlySmallRequests(string request)
    {
        var (akkaServer, redisServer) = servers.WithPassword;
        var received = new List<byte[]>();
        foreach (var server in new ServerProcess[] { akkaServer, redisServer })
        {
            using var client = server.Connect();
            client.Send(Encoding.ASCII.GetBytes(request));
            var (bytes, closed) = client.ReadUntilClose(CloseDeadline);
            Assert.True(closed, $"{server.Name} did not close after {Resp.Escape(bytes)}");
            received.Add(bytes);
        }
        Assert.Contains("Protocol error: unauthenticated", Encoding.ASCII.GetString(received[1]));
        Assert.True(received[1].AsSpan().SequenceEqual(received[0]),
            $"redis-server: {Resp.Escape(received[1])}\nakkaredis:    {Resp.Escape(received[0])}");
    }

    [Fact]
    public void AnAuthPipelinedBeforeBigRequestsLetsThemThrough()
    {
        var (akkaServer, redisServer) = servers.WithPassword;
        var mset = new List<string> { "MSET" };
        for (var i = 0; i < 6; i++) mset.AddRange([$"pipelined-{i}", "v"]);
        var batch = Resp.EncodeMany([Resp.Args("AUTH", Password), Resp.Args([.. mset]), Resp.Args("SET", "pipelined-big", new string('x', 20000)),
            Resp.Args("STRLEN", "pipelined-big"), Resp.Args("DEL", "pipelined-big")]);
        using var akka = akkaServer.Connect();
        using var redis = redisServer.Connect();
        akka.Send(batch);
        redis.Send(batch);
        var expected = redis.ReadReplies(5).Select(r => Resp.Escape(r));
        Assert.Equal(expected, akka.ReadReplies(5).Select(r => Resp.Escape(r)));
    }

    [Fact]
    public void QuitIsAllowedBeforeAuthenticating()
    {
        var (akkaServer, redisServer) = servers.WithPassword;
        using var akka = akkaServer.Connect();
        using var redis = redisServer.Connect();
        Same(akka, redis, "QUIT");
        Assert.True(akka.ReadUntilClose(CloseDeadline).Closed, "akkaredis did not close after QUIT");
        Assert.True(redis.ReadUntilClose(CloseDeadline).Closed);
    }

    [Fact]
    public void HelloAuthAuthenticatesAndSwitchesProtocolLikeRedis()
    {
        var (akkaServer, redisServer) = servers.WithPassword;
        using var akka = akkaServer.Connect();
        using var redis = redisServer.Connect();
        Same(akka, redis, "HELLO", "3", "AUTH", "default", "wrong");
        Same(akka, redis, "HELLO", "3", "AUTH", "nobody", Password);
        Same(akka, redis, "PING");
        // SETNAME takes effect as it is parsed, before HELLO finds the client unauthenticated.
        Same(akka, redis, "HELLO", "3", "SETNAME", "early");
        Same(akka, redis, "HELLO", "2", "SETNAME", "early2", "AUTH", "default", "wrong");
        Same(akka, redis, "AUTH", Password);
        Same(akka, redis, "CLIENT", "GETNAME");
        Same(akka, redis, "RESET");
        Same(akka, redis, "HELLO", "3", "AUTH", "default", Password, "SETNAME", "app");
        Same(akka, redis, "CLIENT", "GETNAME");
        Same(akka, redis, "PING");
        Same(akka, redis, "HELLO", "2", "AUTH", "nobody", Password);
        Same(akka, redis, "HELLO", "2");
        Same(akka, redis, "GET", "missing");
    }

    [Fact]
    public void ResetLogsOutWhenAPasswordIsSet()
    {
        var (akkaServer, redisServer) = servers.WithPassword;
        using var akka = akkaServer.Connect();
        using var redis = redisServer.Connect();
        Same(akka, redis, "AUTH", "default", Password);
        Same(akka, redis, "SELECT", "1");
        Same(akka, redis, "RESET");
        Same(akka, redis, "PING");
        Same(akka, redis, "SELECT", "1");
        Same(akka, redis, "AUTH", Password);
        Same(akka, redis, "PING");
    }

    [Fact]
    public void ConfigSetRequirepassAppliesToNewConnectionsAtRunTime()
    {
        var (akkaServer, redisServer) = servers.Defaults;
        using var akkaAdmin = akkaServer.Connect();
        using var redisAdmin = redisServer.Connect();
        try
        {
            Same(akkaAdmin, redisAdmin, "AUTH", "x");
            Same(akkaAdmin, redisAdmin, "CONFIG", "SET", "requirepass", "pw");
            using var akka = akkaServer.Connect();
            using var redis = redisServer.Connect();
            Same(akka, redis, "PING");
            // Connections that were let in without a password stay in.
            Same(akkaAdmin, redisAdmin, "PING");
            Same(akkaAdmin, redisAdmin, "AUTH", "wrong");
            Same(akkaAdmin, redisAdmin, "PING");
            Same(akkaAdmin, redisAdmin, "CONFIG", "GET", "requirepass");
            Same(akka, redis, "AUTH", "pw");
            Same(akka, redis, "PING");

            using var akkaLate = akkaServer.Connect();
            using var redisLate = redisServer.Connect();
            Same(akkaLate, redisLate, "GET", "x");
            Same(akkaAdmin, redisAdmin, "CONFIG", "SET", "requirepass", "");
            // Without a password nobody needs to authenticate any more, but HELLO still wants an authenticated client.
            Same(akkaLate, redisLate, "GET", "x");
            Same(akkaLate, redisLate, "HELLO", "2");
            Same(akkaLate, redisLate, "AUTH", "default", "anything");
            Same(akkaLate, redisLate, "HELLO", "2");
        }
        finally
        {
            akkaAdmin.Call("CONFIG", "SET", "requirepass", "");
            redisAdmin.Call("CONFIG", "SET", "requirepass", "");
        }
    }

    /// <summary>An IPv4 address of this machine other than loopback: connecting to it is connecting from outside, as
    /// far as the server can tell.</summary>
    private static IPAddress? NonLoopbackAddress(AddressFamily family = AddressFamily.InterNetwork)
    {
        foreach (var nic in NetworkInterface.GetAllNetworkInterfaces())
        {
            if (nic.OperationalStatus != OperationalStatus.Up || nic.NetworkInterfaceType == NetworkInterfaceType.Loopback) continue;
            foreach (var unicast in nic.GetIPProperties().UnicastAddresses)
            {
                var a = unicast.Address;
                if (a.AddressFamily == family && !IPAddress.IsLoopback(a) && !a.IsIPv6LinkLocal && !a.IsIPv4MappedToIPv6) return a;
            }
        }
        return null;
    }

    private static string NoOutsideAddress(string kind) =>
        $"this machine has no {kind} address to connect from as an outside client would";

    [SkippableFact]
    public void ProtectedModeDeniesNonLoopbackIpv6ClientsToo()
    {
        var address = NonLoopbackAddress(AddressFamily.InterNetworkV6);
        Skip.If(address == null, NoOutsideAddress("global or unique-local IPv6"));
        output.WriteLine($"connecting from outside through {address}");
        var (akkaServer, redisServer) = servers.Defaults;
        var denied = new List<byte[]>();
        foreach (var server in new ServerProcess[] { akkaServer, redisServer })
        {
            using var outside = RawRespClient.Connect(address, server.Port);
            var (bytes, closed) = outside.ReadUntilClose(CloseDeadline);
            Assert.True(closed, $"{server.Name} did not close a refused connection; received {Resp.Escape(bytes)}");
            denied.Add(bytes);
        }
        Assert.StartsWith("-DENIED Redis is running in protected mode", Encoding.ASCII.GetString(denied[1]));
        Assert.True(denied[1].AsSpan().SequenceEqual(denied[0]),
            $"redis-server: {Resp.Escape(denied[1])}\nakkaredis:    {Resp.Escape(denied[0])}");
    }

    [SkippableFact]
    public void ProtectedModeDeniesNonLoopbackClientsLikeRedis()
    {
        var address = NonLoopbackAddress();
        // Nothing to connect from: the refusal itself is still covered by the unit tests of ConnectionGate.
        Skip.If(address == null, NoOutsideAddress("non-loopback IPv4"));
        output.WriteLine($"connecting from outside through {address}");
        var (akkaServer, redisServer) = servers.Defaults;
        using var akkaAdmin = akkaServer.Connect();
        using var redisAdmin = redisServer.Connect();

        var denied = new List<byte[]>();
        foreach (var (server, admin) in new[] { ((ServerProcess)akkaServer, akkaAdmin), (redisServer, redisAdmin) })
        {
            var rejectedBefore = InfoField(admin, "stats", "rejected_connections");
            var receivedBefore = InfoField(admin, "stats", "total_connections_received");
            using var outside = RawRespClient.Connect(address, server.Port);
            // The refusal comes at once, before the client says anything, and the server closes.
            var (bytes, closed) = outside.ReadUntilClose(CloseDeadline);
            Assert.True(closed, $"{server.Name} did not close a refused connection; received {Resp.Escape(bytes)}");
            denied.Add(bytes);
            Assert.Equal(rejectedBefore + 1, InfoField(admin, "stats", "rejected_connections"));
            Assert.Equal(receivedBefore, InfoField(admin, "stats", "total_connections_received"));
        }
        Assert.StartsWith("-DENIED Redis is running in protected mode", Encoding.ASCII.GetString(denied[1]));
        Assert.True(denied[1].AsSpan().SequenceEqual(denied[0]),
            $"redis-server: {Resp.Escape(denied[1])}\nakkaredis:    {Resp.Escape(denied[0])}");

        try
        {
            // A password lets outside clients in (to authenticate)...
            Same(akkaAdmin, redisAdmin, "CONFIG", "SET", "requirepass", "pw");
            using (var akka = RawRespClient.Connect(address, akkaServer.Port))
            using (var redis = RawRespClient.Connect(address, redisServer.Port))
            {
                Same(akka, redis, "PING");
                Same(akka, redis, "AUTH", "pw");
                Same(akka, redis, "PING");
            }
            Same(akkaAdmin, redisAdmin, "CONFIG", "SET", "requirepass", "");
            // ... and so does turning protected mode off at run time.
            Same(akkaAdmin, redisAdmin, "CONFIG", "SET", "protected-mode", "no");
            using (var akka = RawRespClient.Connect(address, akkaServer.Port))
            using (var redis = RawRespClient.Connect(address, redisServer.Port))
            {
                Same(akka, redis, "PING");
            }
        }
        finally
        {
            akkaAdmin.Call("CONFIG", "SET", "requirepass", "");
            redisAdmin.Call("CONFIG", "SET", "requirepass", "");
            akkaAdmin.Call("CONFIG", "SET", "protected-mode", "yes");
            redisAdmin.Call("CONFIG", "SET", "protected-mode", "yes");
        }
        // Loopback clients were never refused.
        using var local = akkaServer.Connect();
        Assert.Equal("+PONG\\r\\n", local.CallText("PING"));
    }

    [SkippableFact]
    public void DefaultBindIsRedisCompiledInDefaultAndListensOnIpv4AndIpv6()
    {
        var (akkaServer, redisServer) = servers.Defaults;
        using var akka = akkaServer.Connect();
        using var redis = redisServer.Connect();
        Same(akka, redis, "CONFIG", "GET", "bind");
        Same(akka, redis, "CONFIG", "GET", "protected-mode");
        Skip.IfNot(Socket.OSSupportsIPv6, "this machine has no IPv6: only the CONFIG GET replies were compared, not the IPv6 listener");
        using var akka6 = RawRespClient.Connect(IPAddress.IPv6Loopback, akkaServer.Port);
        using var redis6 = RawRespClient.Connect(IPAddress.IPv6Loopback, redisServer.Port);
        Same(akka6, redis6, "PING");
    }

    [SkippableFact]
    public void OptionalBindAddressesMayBeMissingAndSeveralAddressesAreBound()
    {
        // 192.0.2.123 (TEST-NET-1) is not an address of this machine.
        var address = NonLoopbackAddress();
        var binds = new List<string> { "--bind", "127.0.0.1", "-192.0.2.123" };
        if (address != null) binds.Add(address.ToString());
        using var server = AkkaRedisProcess.Started([.. E2EServers.AkkaArgs, .. binds, "--protected-mode", "no"]);
        using (var local = server.Connect()) Assert.Equal("+PONG\\r\\n", local.CallText("PING"));
        // The server's output is read asynchronously: give it a moment to arrive.
        Assert.True(Poll.Until(() => server.Output.Contains("Could not create server TCP listening socket 192.0.2.123"), CloseDeadline),
            server.Describe());

        // Without the '-', an address that is not there stops the server, as redis-server does.
        var e = Assert.Throws<ServerProcess.ServerStartException>(() =>
            AkkaRedisProcess.Started([.. E2EServers.AkkaArgs, "--bind", "127.0.0.1", "192.0.2.123"]).Dispose());
        Assert.True(e.Exited, e.Message);
        Assert.Contains("Could not create server TCP listening socket 192.0.2.123", e.Message);

        // The second bound address (an outside one) answers too.
        Skip.If(address == null, NoOutsideAddress("non-loopback IPv4") + " (only the missing optional address was tested)");
        using var outside = RawRespClient.Connect(address!, server.Port);
        Assert.Equal("+PONG\\r\\n", outside.CallText("PING"));
    }

    /// <summary>CONFIG SET bind as the first request of a new connection, which the server may read, run and answer on
    /// the stack of the accept that started the connection: closing that listener must not wait for its own accept
    /// loop (it did, and the server stopped accepting anywhere).</summary>
    [Fact]
    public void ConfigSetBindAsAConnectionsFirstRequestIsAnswered()
    {
        var (akkaServer, redisServer) = servers.Defaults;
        try
        {
            for (var i = 0; i < 20; i++)
            {
                var bind = i % 2 == 0 ? "127.0.0.1 -::1" : "* -::*";
                using var akka = akkaServer.Connect();
                using var redis = redisServer.Connect();
                Same(akka, redis, "CONFIG", "SET", "bind", bind);
            }
            using (var akka = akkaServer.Connect())
            using (var redis = redisServer.Connect())
                Same(akka, redis, "PING");
        }
        finally
        {
            using var akka = akkaServer.Connect();
            using var redis = redisServer.Connect();
            akka.Call("CONFIG", "SET", "bind", "* -::*");
            redis.Call("CONFIG", "SET", "bind", "* -::*");
        }
    }

    [SkippableFact]
    public void ConfigSetBindRebindsAtRunTimeAndRestoresTheOldAddressesOnFailure()
    {
        var (akkaServer, redisServer) = servers.Defaults;
        using var akkaAdmin = akkaServer.Connect();
        using var redisAdmin = redisServer.Connect();
        var outside = NonLoopbackAddress();
        try
        {
            Same(akkaAdmin, redisAdmin, "CONFIG", "SET", "bind", "127.0.0.1 192.0.2.123");
            Same(akkaAdmin, redisAdmin, "CONFIG", "GET", "bind");
            using (var akka = akkaServer.Connect())
            using (var redis = redisServer.Connect())
                Same(akka, redis, "PING");

            Same(akkaAdmin, redisAdmin, "CONFIG", "SET", "bind", "127.0.0.1 -192.0.2.123");
            Same(akkaAdmin, redisAdmin, "CONFIG", "GET", "bind");
            using (var akka = akkaServer.Connect())
            using (var redis = redisServer.Connect())
                Same(akka, redis, "PING");
            if (outside != null)
            {
                foreach (var server in new ServerProcess[] { akkaServer, redisServer })
                {
                    var e = Assert.ThrowsAny<Exception>(() => RawRespClient.Connect(outside, server.Port, TimeSpan.FromSeconds(5)).Dispose());
                    Assert.True(e.GetBaseException() is SocketException { SocketErrorCode: SocketError.ConnectionRefused },
                        $"{server.Name}: connecting to {outside} after binding 127.0.0.1 only: {e}");
                }
            }
            // The connections open before the change are not affected.
            Same(akkaAdmin, redisAdmin, "PING");
        }
        finally
        {
            akkaAdmin.Call("CONFIG", "SET", "bind", "* -::*");
            redisAdmin.Call("CONFIG", "SET", "bind", "* -::*");
        }
        Skip.If(outside == null, NoOutsideAddress("non-loopback IPv4") + " (the rebinding was tested from loopback only)");
        // Every interface again: an outside client reaches the server (and protected mode refuses it).
        using var again = RawRespClient.Connect(outside!, akkaServer.Port);
        Assert.StartsWith("-DENIED", Encoding.ASCII.GetString(again.ReadUntilClose(CloseDeadline).Bytes));
    }

    [Fact]
    public void MaxclientsRefusesWithRedisErrorAndCanBeChangedAtRunTime()
    {
        var (akkaServer, redisServer) = servers.Defaults;
        using var akkaAdmin = akkaServer.Connect();
        using var redisAdmin = redisServer.Connect();
        try
        {
            // The admin connection alone reaches the limit: every new connection is refused.
            Same(akkaAdmin, redisAdmin, "CONFIG", "SET", "maxclients", "1");
            Same(akkaAdmin, redisAdmin, "CONFIG", "GET", "maxclients");
            var refused = new List<byte[]>();
            foreach (var (server, admin) in new[] { ((ServerProcess)akkaServer, akkaAdmin), (redisServer, redisAdmin) })
            {
                var rejectedBefore = InfoField(admin, "stats", "rejected_connections");
                using var extra = server.Connect();
                var (bytes, closed) = extra.ReadUntilClose(CloseDeadline);
                Assert.True(closed, $"{server.Name} did not close a connection above maxclients; received {Resp.Escape(bytes)}");
                refused.Add(bytes);
                Assert.Equal(rejectedBefore + 1, InfoField(admin, "stats", "rejected_connections"));
            }
            Assert.Equal("-ERR max number of clients reached\\r\\n", Resp.Escape(refused[1]));
            Assert.Equal(Resp.Escape(refused[1]), Resp.Escape(refused[0]));

            Same(akkaAdmin, redisAdmin, "CONFIG", "SET", "maxclients", "10000");
            using var akka = akkaServer.Connect();
            using var redis = redisServer.Connect();
            Same(akka, redis, "PING");
        }
        finally
        {
            akkaAdmin.Call("CONFIG", "SET", "maxclients", "10000");
            redisAdmin.Call("CONFIG", "SET", "maxclients", "10000");
        }
    }

    [Fact]
    public void MaxclientsFromTheCommandLineRefusesTheConnectionAboveIt()
    {
        using var akkaServer = AkkaRedisProcess.Started([.. E2EServers.AkkaArgs, "--maxclients", "2"]);
        using var redisServer = RealRedisProcess.Started("--maxclients", "2");
        var refused = new List<byte[]>();
        foreach (var server in new ServerProcess[] { akkaServer, redisServer })
        {
            using var first = server.Connect();
            Assert.Equal("+PONG\\r\\n", first.CallText("PING"));
            // The start-up probe's connection must be gone before it no longer counts.
            Assert.True(Poll.Until(() => InfoField(first, "clients", "connected_clients") == 1, CloseDeadline), server.Describe());
            using var second = server.Connect();
            Assert.Equal("+PONG\\r\\n", second.CallText("PING"));
            using var third = server.Connect();
            var (bytes, closed) = third.ReadUntilClose(CloseDeadline);
            Assert.True(closed, $"{server.Name} did not close the third connection with maxclients 2; received {Resp.Escape(bytes)}");
            refused.Add(bytes);
            Assert.Equal("*2\\r\\n$10\\r\\nmaxclients\\r\\n$1\\r\\n2\\r\\n", first.CallText("CONFIG", "GET", "maxclients"));
            Assert.Equal(1, InfoField(first, "stats", "rejected_connections"));
        }
        Assert.Equal("-ERR max number of clients reached\\r\\n", Resp.Escape(refused[1]));
        Assert.Equal(Resp.Escape(refused[1]), Resp.Escape(refused[0]));
    }

    [Fact]
    public void IdleClientsAreClosedAfterTimeoutAndActiveOnesStay()
    {
        var (akkaServer, redisServer) = servers.Defaults;
        // The active connections set the timeout, so that they are not idle themselves.
        using var akkaActive = akkaServer.Connect();
        using var redisActive = redisServer.Connect();
        try
        {
            Same(akkaActive, redisActive, "CONFIG", "SET", "timeout", "1");
            Same(akkaActive, redisActive, "CONFIG", "GET", "timeout");
            using var akkaIdle = akkaServer.Connect();
            using var redisIdle = redisServer.Connect();
            Same(akkaIdle, redisIdle, "PING");
            var idleSince = DateTime.UtcNow;
            var closedAfter = new Dictionary<RawRespClient, TimeSpan>();
            var deadline = DateTime.UtcNow + CloseDeadline;
            while (closedAfter.Count < 2 && DateTime.UtcNow < deadline)
            {
                Same(akkaActive, redisActive, "PING");
                foreach (var idle in new[] { akkaIdle, redisIdle })
                {
                    if (closedAfter.ContainsKey(idle)) continue;
                    var (bytes, closed) = idle.ReadUntilClose(TimeSpan.FromMilliseconds(100));
                    Assert.True(bytes.Length == 0, $"an idle client was sent {Resp.Escape(bytes)}");
                    if (closed) closedAfter[idle] = DateTime.UtcNow - idleSince;
                }
            }
            Assert.True(closedAfter.ContainsKey(redisIdle), "redis-server did not close its idle client within the deadline");
            Assert.True(closedAfter.ContainsKey(akkaIdle), $"akkaredis did not close its idle client within {CloseDeadline.TotalSeconds} s (timeout 1)");
            output.WriteLine($"idle client closed after {closedAfter[akkaIdle].TotalMilliseconds:F0} ms (redis-server: {closedAfter[redisIdle].TotalMilliseconds:F0} ms)");
            // Redis compares whole unix seconds: more than 1 s apart means at least a little over 1 s of idleness.
            Assert.True(closedAfter[akkaIdle] >= TimeSpan.FromSeconds(1), $"closed after only {closedAfter[akkaIdle].TotalMilliseconds} ms");
            Same(akkaActive, redisActive, "PING");
        }
        finally
        {
            akkaActive.Call("CONFIG", "SET", "timeout", "0");
            redisActive.Call("CONFIG", "SET", "timeout", "0");
        }
    }

    /// <summary>The kernel's view of the server's end of a connection: its timer ("02" = keepalive) and when the
    /// timer fires, in clock ticks, from /proc/net/tcp.</summary>
    private static (string Timer, long When)? ServerSocketTimer(int serverPort, int clientPort)
    {
        var local = ":" + serverPort.ToString("X4", CultureInfo.InvariantCulture);
        var remote = ":" + clientPort.ToString("X4", CultureInfo.InvariantCulture);
        foreach (var line in File.ReadLines("/proc/net/tcp"))
        {
            var fields = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            if (fields.Length < 6 || !fields[1].EndsWith(local, StringComparison.Ordinal) || !fields[2].EndsWith(remote, StringComparison.Ordinal)) continue;
            var timer = fields[5].Split(':');
            return (timer[0], long.Parse(timer[1], NumberStyles.HexNumber, CultureInfo.InvariantCulture));
        }
        return null;
    }

    [SkippableFact]
    public void TcpKeepaliveIsSetOnNewConnectionsLikeRedis()
    {
        Skip.IfNot(File.Exists("/proc/net/tcp"), "no /proc/net/tcp to read the servers' keepalive timers from: the socket options are covered by the unit tests only");
        var (akkaServer, redisServer) = servers.Defaults;
        using var akkaAdmin = akkaServer.Connect();
        using var redisAdmin = redisServer.Connect();
        try
        {
            foreach (var seconds in new[] { "300", "0", "60" })
            {
                Same(akkaAdmin, redisAdmin, "CONFIG", "SET", "tcp-keepalive", seconds);
                Same(akkaAdmin, redisAdmin, "CONFIG", "GET", "tcp-keepalive");
                using var akka = akkaServer.Connect();
                using var redis = redisServer.Connect();
                Same(akka, redis, "PING");
                var akkaTimer = ServerSocketTimer(akkaServer.Port, akka.LocalEndPoint.Port);
                var redisTimer = ServerSocketTimer(redisServer.Port, redis.LocalEndPoint.Port);
                Assert.NotNull(akkaTimer);
                Assert.NotNull(redisTimer);
                output.WriteLine($"tcp-keepalive {seconds}: akkaredis {akkaTimer}, redis-server {redisTimer}");
                Assert.Equal(redisTimer.Value.Timer, akkaTimer.Value.Timer);
                // Both armed for the same interval (clock ticks, 100 per second): a few seconds apart at most.
                Assert.True(Math.Abs(redisTimer.Value.When - akkaTimer.Value.When) <= 500, $"keepalive timers {akkaTimer} vs {redisTimer}");
            }
        }
        finally
        {
            akkaAdmin.Call("CONFIG", "SET", "tcp-keepalive", "300");
            redisAdmin.Call("CONFIG", "SET", "tcp-keepalive", "300");
        }
    }
}
