using System.Net;
using System.Net.Sockets;
using AkkaRedis.Tests.EndToEnd.Infrastructure;

namespace AkkaRedis.Tests.EndToEnd.EndToEnd;

/// <summary>
/// SIGTERM stops accepting connections, lets a command already received finish and answers it, then the process
/// exits 0 with Redis's "ready to exit" line. Uses its own server (it is killed).
/// </summary>
[Collection(E2ECollection.Name)]
[Trait("Category", "EndToEnd")]
public sealed class ShutdownTests
{
    private static bool Refused(int port)
    {
        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        try
        {
            socket.Connect(new IPEndPoint(IPAddress.Loopback, port));
            return false;
        }
        catch (SocketException)
        {
            return true;
        }
    }

    [Fact]
    public void SigtermAnswersTheCommandInFlightStopsAcceptingAndExitsZero()
    {
        if (AkkaRedisProcess.TargetIsRealRedis) return; // redis-server would not answer DEBUG SLEEP's client either
        using var server = AkkaRedisProcess.Started("--shards", "2", "--enable-debug-command", "yes");
        using var busy = server.Connect(TimeSpan.FromSeconds(20));
        using var observer = server.Connect();
        Assert.Equal("+OK\\r\\n", busy.CallText("SET", "kept", "1"));

        busy.SendCommand("DEBUG", "SLEEP", "2");
        Assert.True(Poll.Until(() => observer.CallText("CLIENT", "LIST").Contains("cmd=debug", StringComparison.Ordinal), TimeSpan.FromSeconds(5)),
            "DEBUG SLEEP never started");
        server.Terminate();

        Assert.True(Poll.Until(() => Refused(server.Port), TimeSpan.FromSeconds(1.5)),
            $"still accepting connections after SIGTERM\n{server.Describe()}");
        Assert.Equal("+OK\r\n", System.Text.Encoding.ASCII.GetString(busy.ReadReply()));
        var exitCode = server.WaitForExit(TimeSpan.FromSeconds(10));
        Assert.True(exitCode != null, $"still running 10 s after SIGTERM\n{server.Describe()}");
        Assert.Equal(0, exitCode);
        Assert.Contains("AkkaRedis is now ready to exit, bye bye...", server.Output);
    }
}
