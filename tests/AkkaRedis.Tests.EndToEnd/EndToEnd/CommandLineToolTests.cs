using System.Globalization;
using AkkaRedis.Tests.EndToEnd.Infrastructure;
using Xunit.Abstractions;

namespace AkkaRedis.Tests.EndToEnd.EndToEnd;

/// <summary>The real redis-cli and redis-benchmark binaries against AkkaRedis.</summary>
[Collection(E2ECollection.Name)]
[Trait("Category", "Clients")]
public sealed class CommandLineToolTests(E2EServers servers, ITestOutputHelper output)
{
    private string[] Cli(params string[] args) => ["-h", "127.0.0.1", "-p", servers.Akka.Port.ToString(CultureInfo.InvariantCulture), .. args];

    private string RunCli(params string[] args)
    {
        var r = ToolProcess.Run(RealRedisProcess.Tool("redis-cli"), Cli(args), TimeSpan.FromSeconds(30));
        Assert.True(r.ExitCode == 0, $"redis-cli {string.Join(' ', args)}: {r}");
        return r.Stdout;
    }

    [Fact]
    public void RedisCliPingSetGet()
    {
        Assert.Equal("PONG\n", RunCli("ping"));
        Assert.Equal("OK\n", RunCli("set", "cli:key", "hello world"));
        Assert.Equal("hello world\n", RunCli("get", "cli:key"));
        Assert.Equal("\n", RunCli("get", "cli:missing"));
        Assert.Equal("\"hello world\"\n", RunCli("--no-raw", "get", "cli:key"));
        Assert.Equal("(nil)\n", RunCli("--no-raw", "get", "cli:missing"));
        Assert.Equal("hello\n", RunCli("echo", "hello"));
        Assert.StartsWith("ERR unknown command 'nosuchcommand'", RunCli("nosuchcommand", "x"));
    }

    [Fact]
    public void RedisCliReadsCommandsFromStdin()
    {
        var r = ToolProcess.Run(RealRedisProcess.Tool("redis-cli"), Cli(), TimeSpan.FromSeconds(30),
            stdin: "set cli:stdin 42\nget cli:stdin\nping\n");
        Assert.True(r.ExitCode == 0, r.ToString());
        Assert.Equal("OK\n42\nPONG\n", r.Stdout);
    }

    /// <summary>
    /// `redis-benchmark -P 100 -n 1000000 -t set,get -q` completes (a few seconds at a few hundred thousand requests per
    /// second). AKKAREDIS_BENCH_N changes the request count (e.g. 200000 on a slow machine); this checks that the
    /// server survives the load and answers correctly, scripts/bench measures performance.
    /// </summary>
    [Fact]
    [Trait("Category", "Benchmark")]
    public void RedisBenchmarkPipelinedSetGetCompletes()
    {
        var n = Environment.GetEnvironmentVariable("AKKAREDIS_BENCH_N") is { Length: > 0 } s ? s : "1000000";
        var args = new[] { "-h", "127.0.0.1", "-p", servers.Akka.Port.ToString(CultureInfo.InvariantCulture), "-P", "100", "-n", n, "-t", "set,get", "-q" };
        var r = ToolProcess.Run(RealRedisProcess.Tool("redis-benchmark"), args, TimeSpan.FromSeconds(240));
        output.WriteLine(r.ToString());
        Assert.True(r.ExitCode == 0, r.ToString());
        // -q prints one line per test, e.g. "SET: 412371.12 requests per second, p50=10.2 msec".
        Assert.Matches(@"(?m)SET: [0-9.]+ requests per second", r.Stdout.Replace('\r', '\n'));
        Assert.Matches(@"(?m)GET: [0-9.]+ requests per second", r.Stdout.Replace('\r', '\n'));
    }
}
