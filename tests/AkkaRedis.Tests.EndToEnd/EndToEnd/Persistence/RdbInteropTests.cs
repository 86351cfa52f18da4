using AkkaRedis.Tests.EndToEnd.Infrastructure;
using Xunit.Abstractions;

namespace AkkaRedis.Tests.EndToEnd.EndToEnd.Persistence;

/// <summary>
/// RDB files in both directions with redis-server 7.0.15: a file redis-server saved (every type in every encoding,
/// small and large, TTLs, several databases) loads here with the same DEBUG DIGEST and the same keys, types,
/// encodings, values and TTLs; a file we saved passes redis-check-rdb and loads in redis-server the same way.
/// </summary>
[Collection(E2ECollection.Name)]
[Trait("Category", "EndToEnd")]
[Trait("Category", "Persistence")]
public sealed class RdbInteropTests(ITestOutputHelper output)
{
    private static readonly string[] Debug = ["--enable-debug-command", "yes"];

    [Fact]
    public void Redis_servers_rdb_loads_here_with_equal_content()
    {
        using var dir = new TempDir();
        using var redis = RealRedisProcess.Started([.. Debug, "--dir", dir.Path]);
        using var rc = redis.Connect();
        RdbTestData.WriteEveryType(rc);
        Assert.Equal("+OK\\r\\n", rc.CallText("SAVE"));

        using var ours = AkkaRedisProcess.Started([.. E2EServers.AkkaArgs, .. Debug, "--dir", dir.Path]);
        using var oc = ours.Connect();
        // redis-server as it is after loading its own file (a loaded string is embstr where a written one was raw).
        Assert.Equal("+OK\\r\\n", rc.CallText("DEBUG", "RELOAD"));
        RdbTestData.AssertSameDataset(rc, oc, RdbTestData.Databases);
        var info = oc.CallText("INFO", "persistence");
        Assert.Contains("rdb_last_load_keys_loaded:", info);
        Assert.Contains("loading:0", info);
    }

    [Fact]
    public void Our_rdb_passes_redis_check_rdb_and_loads_in_redis_server()
    {
        using var dir = new TempDir();
        using var ours = AkkaRedisProcess.Started([.. E2EServers.AkkaArgs, .. Debug, "--dir", dir.Path]);
        using var oc = ours.Connect();
        RdbTestData.WriteEveryType(oc);
        Assert.Equal("+OK\\r\\n", oc.CallText("SAVE"));

        var check = ToolProcess.Run(RealRedisProcess.Tool("redis-check-rdb"), [dir.File()], TimeSpan.FromSeconds(60));
        output.WriteLine(check.ToString());
        Assert.True(check.ExitCode == 0, check.ToString());
        Assert.Contains("RDB looks OK!", check.Stdout + check.Stderr);

        using var redis = RealRedisProcess.Started([.. Debug, "--dir", dir.Path]);
        using var rc = redis.Connect();
        // Ours as it is after loading its own file, to compare encodings with what redis-server loaded.
        Assert.Equal("+OK\\r\\n", oc.CallText("DEBUG", "RELOAD", "NOSAVE"));
        RdbTestData.AssertSameDataset(oc, rc, RdbTestData.Databases);
    }

    [SkippableFact]
    public void Streams_with_groups_and_pending_entries_load_both_ways()
    {
        using var dir = new TempDir();
        using var redis = RealRedisProcess.Started([.. Debug, "--dir", dir.Path]);
        using var rc = redis.Connect();
        RdbTestData.WriteStreams(rc);
        Assert.Equal("+OK\\r\\n", rc.CallText("SAVE"));

        var ours = AkkaRedisProcess.Started([.. E2EServers.AkkaArgs, .. Debug, "--dir", dir.Path]);
        using (ours)
        {
            using var oc = ours.Connect();
            RdbTestData.AssertSameDataset(rc, oc, [0]);
            // And back: our SAVE of the loaded streams loads in redis-server with the same content.
            Assert.Equal("+OK\\r\\n", oc.CallText("SAVE"));
            redis.Dispose();
            using var again = RealRedisProcess.Started([.. Debug, "--dir", dir.Path]);
            using var ac = again.Connect();
            RdbTestData.AssertSameDataset(oc, ac, [0]);
        }
    }
}
