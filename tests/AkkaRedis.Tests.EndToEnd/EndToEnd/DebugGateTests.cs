using System.Net;
using System.Net.NetworkInformation;
using System.Net.Sockets;
using System.Text;
using AkkaRedis.Tests.EndToEnd.Infrastructure;
using Xunit.Abstractions;

namespace AkkaRedis.Tests.EndToEnd.EndToEnd;

/// <summary>Two pairs of servers (AkkaRedis and redis-server 7.0.15 with the same options): enable-debug-command no
/// (Redis's default), and local, listening on every IPv4 address so that a client can come from outside.
/// (yes is what the shared servers run with: the differential DEBUG scripts use it.)</summary>
public sealed class DebugGateServers : IDisposable
{
    private static readonly string[] Local = ["--enable-debug-command", "local", "--bind", "0.0.0.0", "--protected-mode", "no"];

    private readonly Lazy<(AkkaRedisProcess Akka, RealRedisProcess Redis)> _no = new(() => Pair([]));
    private readonly Lazy<(AkkaRedisProcess Akka, RealRedisProcess Redis)> _local = new(() => Pair(Local));

    public (AkkaRedisProcess Akka, RealRedisProcess Redis) No => _no.Value;
    public (AkkaRedisProcess Akka, RealRedisProcess Redis) LocalOnly => _local.Value;

    private static (AkkaRedisProcess, RealRedisProcess) Pair(string[] args)
    {
        var akka = AkkaRedisProcess.Started([.. E2EServers.AkkaArgs, .. args]);
        try
        {
            return (akka, RealRedisProcess.Started(args));
        }
        catch
        {
            akka.Dispose();
            throw;
        }
    }

    public void Dispose()
    {
        foreach (var pair in new[] { _no, _local })
        {
            if (!pair.IsValueCreated) continue;
            pair.Value.Akka.Dispose();
            pair.Value.Redis.Dispose();
        }
    }
}

/// <summary>
/// The enable-debug-command gate, every reply compared byte for byte with redis-server: refused for everyone with
/// "no"; with "local", allowed from 127.0.0.1 and refused from a non-loopback address of this machine. Arity errors
/// come before the refusal, as in Redis's processCommand.
/// </summary>
[Collection(E2ECollection.Name)]
[Trait("Category", "EndToEnd")]
public sealed class DebugGateTests(DebugGateServers servers, ITestOutputHelper output) : IClassFixture<DebugGateServers>
{
    private static readonly string[][] Requests =
    [
        ["DEBUG"], ["DEBUG", "HELP"], ["DEBUG", "DIGEST"], ["DEBUG", "SLEEP", "0"], ["DEBUG", "PROTOCOL", "string"],
        ["debug", "nosuch"], ["PING"],
    ];

    private static void Same(RawRespClient akka, RawRespClient redis, string[] command, string expectedStart)
    {
        var expected = redis.Call(command);
        var actual = akka.Call(command);
        Assert.True(expected.AsSpan().SequenceEqual(actual),
            $"{string.Join(' ', command)}\n  redis-server: {Resp.Escape(expected)}\n  akkaredis:    {Resp.Escape(actual)}");
        Assert.StartsWith(expectedStart, Encoding.Latin1.GetString(expected));
    }

    private static string Expected(string[] command, bool allowed) => command switch
    {
        ["DEBUG"] => "-ERR wrong number of arguments for 'debug' command",
        ["PING"] => "+PONG",
        _ when !allowed => "-ERR DEBUG command not allowed. If the enable-debug-command option is set to \"local\"",
        ["debug", "nosuch"] => "-ERR unknown subcommand",
        _ => "",
    };

    [Fact]
    public void No_refuses_debug_to_every_client()
    {
        var (akkaServer, redisServer) = servers.No;
        using var akka = akkaServer.Connect();
        using var redis = redisServer.Connect();
        foreach (var command in Requests) Same(akka, redis, command, Expected(command, allowed: false));
    }

    [Fact]
    public void Local_allows_debug_from_the_loopback_address()
    {
        var (akkaServer, redisServer) = servers.LocalOnly;
        using var akka = akkaServer.Connect();
        using var redis = redisServer.Connect();
        foreach (var command in Requests) Same(akka, redis, command, Expected(command, allowed: true));
    }

    [SkippableFact]
    public void Local_refuses_debug_from_another_address()
    {
        var address = NonLoopbackIpv4();
        Skip.If(address == null, "this machine has no non-loopback IPv4 address to connect from");
        output.WriteLine($"connecting from outside through {address}");
        var (akkaServer, redisServer) = servers.LocalOnly;
        using var akka = RawRespClient.Connect(address!, akkaServer.Port);
        using var redis = RawRespClient.Connect(address!, redisServer.Port);
        foreach (var command in Requests) Same(akka, redis, command, Expected(command, allowed: false));
    }

    private static IPAddress? NonLoopbackIpv4()
    {
        foreach (var nic in NetworkInterface.GetAllNetworkInterfaces())
        {
            if (nic.OperationalStatus != OperationalStatus.Up || nic.NetworkInterfaceType == NetworkInterfaceType.Loopback) continue;
            foreach (var unicast in nic.GetIPProperties().UnicastAddresses)
                if (unicast.Address.AddressFamily == AddressFamily.InterNetwork && !IPAddress.IsLoopback(unicast.Address)) return unicast.Address;
        }
        return null;
    }
}
