using AkkaRedis.Tests.EndToEnd.Infrastructure;

namespace AkkaRedis.Tests.EndToEnd.EndToEnd;

/// <summary>
/// io-threads sets how many socket threads run the connections (each reads, runs on idle shards and answers on its
/// own thread): one by default, as redis-server's one event loop, more when asked. Checked by counting the process's
/// socket engine threads, which .NET names ".NET Sockets".
/// </summary>
[Collection(E2ECollection.Name)]
[Trait("Category", "EndToEnd")]
public sealed class IoThreadsTests
{
    private static int SocketThreads(int pid) =>
        Directory.GetDirectories($"/proc/{pid}/task").Count(t => File.ReadAllText(Path.Combine(t, "comm")).Trim() == ".NET Sockets");

    [SkippableTheory]
    [InlineData(null, 1)]
    [InlineData("3", 3)]
    public void IoThreadsIsTheNumberOfSocketThreads(string? ioThreads, int expected)
    {
        Skip.If(AkkaRedisProcess.TargetIsRealRedis, "counts the socket threads of AkkaRedis's .NET runtime");
        using var server = ioThreads == null ? AkkaRedisProcess.Started() : AkkaRedisProcess.Started("--io-threads", ioThreads);
        using var client = server.Connect();
        Assert.Equal("+PONG\\r\\n", client.CallText("PING"));
        Assert.Equal($"*2\\r\\n$10\\r\\nio-threads\\r\\n${expected.ToString().Length}\\r\\n{expected}\\r\\n", client.CallText("CONFIG", "GET", "io-threads"));
        Assert.Equal(expected, SocketThreads(server.Pid));
    }
}
