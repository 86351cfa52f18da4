using AkkaRedis.Tests.EndToEnd.Infrastructure;
using Xunit.Abstractions;

namespace AkkaRedis.Tests.EndToEnd.Differential;

/// <summary>
/// Seeded random differential runs (see <see cref="CommandGenerator"/>): the same command stream to both servers,
/// replies compared one by one; the first mismatch fails with seed, step, command and both replies.
/// A fixed set of seeds runs every time, and one seed that changes with every run (from the clock, or
/// AKKAREDIS_DIFF_SEED) explores further; any failing seed replays with AKKAREDIS_DIFF_SEED=&lt;seed&gt; and the
/// <c>SeedOfThisRun</c> test. Lengthen with AKKAREDIS_DIFF_OPS.
/// </summary>
[Collection(E2ECollection.Name)]
[Trait("Category", "Random")]
public sealed class RandomDifferentialTests(E2EServers servers, ITestOutputHelper output)
{
    private static readonly int[] Protocols = [2, 3];

    public static TheoryData<int, int> FixedSeedCases()
    {
        var data = new TheoryData<int, int>();
        foreach (var seed in DiffSettings.FixedSeeds)
        foreach (var resp in Protocols)
            data.Add(seed, resp);
        return data;
    }

    public static TheoryData<int, int> RunSeedCases()
    {
        var data = new TheoryData<int, int>();
        foreach (var resp in Protocols) data.Add(DiffSettings.RunSeed, resp);
        return data;
    }

    [Theory]
    [MemberData(nameof(FixedSeedCases))]
    public void FixedSeed(int seed, int resp) => Run(seed, resp);

    /// <summary>The seed is in the test's display name, so a CI log shows which one failed.</summary>
    [Theory]
    [MemberData(nameof(RunSeedCases))]
    public void SeedOfThisRun(int seed, int resp) => Run(seed, resp);

    private void Run(int seed, int resp)
    {
        var ops = DiffSettings.Ops;
        var excluded = DiffSettings.Excluded;
        var generator = new CommandGenerator(seed, resp, excluded);
        var replay = $"AKKAREDIS_DIFF_SEED={seed} AKKAREDIS_DIFF_OPS={ops}" +
                     (DiffSettings.Probe is { } pr ? $" AKKAREDIS_DIFF_PROBE=\"{string.Join(' ', pr)}\"" : "") +
                     $" AKKAREDIS_DIFF_EXCLUDE={(excluded.Length > 0 ? string.Join(',', excluded) : "none")}" + // the draws depend on it
                     $" dotnet test tests/AkkaRedis.Tests.EndToEnd --filter \"FullyQualifiedName~RandomDifferentialTests.SeedOfThisRun&DisplayName~resp: {resp}\"";
        output.WriteLine($"seed {seed}, {ops} operations, RESP{resp}, commands: {string.Join(' ', generator.CommandNames)}");
        output.WriteLine($"replay: {replay}");

        var before = ServerConfig();
        try
        {
            using var session = new DiffSession(servers, $"random seed {seed} (RESP{resp})", replay);
            session.FlushAll();
            // The server-wide state the run may change starts the same on both servers, whatever ran before.
            foreach (var (name, runStart, _) in CommandGenerator.SafeConfig) session.Setup("CONFIG", "SET", name, runStart);
            session.Setup("SLOWLOG", "RESET");
            if (resp == 3) session.Run(DiffStep.Of("HELLO", "3"), "prelude HELLO 3");
            var probe = DiffSettings.Probe is { } p ? new DiffStep(Resp.Args(p), StepKind.Reply, 0) : null;
            for (var i = 1; i <= ops; i++)
            {
                session.Run(generator.Next(), $"step {i}/{ops}");
                if (probe != null) session.Run(probe, $"probe after step {i}/{ops}");
            }
            output.WriteLine($"{session.StepsRun} steps matched, {session.ErrorReplies} of them errors on both servers");
        }
        finally
        {
            // Later tests share both servers: the parameters go back to what redis-server had before the run.
            foreach (var server in new ServerProcess[] { servers.Redis, servers.Akka })
            {
                using var client = server.Connect();
                foreach (var (name, value) in before) client.Call("CONFIG", "SET", name, value);
            }
        }
    }

    /// <summary>The reference server's current values of the parameters a run may change.</summary>
    private List<(string Name, string Value)> ServerConfig()
    {
        using var client = servers.Redis.Connect();
        var values = new List<(string, string)>();
        foreach (var (name, _, _) in CommandGenerator.SafeConfig)
        {
            var reply = RespValue.Parse(client.Call("CONFIG", "GET", name));
            if (reply.Items is not { Count: 2 } pair) throw new InvalidOperationException($"redis-server: CONFIG GET {name} -> {reply}");
            values.Add((name, pair[1].Text));
        }
        return values;
    }
}
