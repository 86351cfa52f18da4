using AkkaRedis.Tests.EndToEnd.Infrastructure;
using Xunit.Abstractions;

namespace AkkaRedis.Tests.EndToEnd.Differential;

/// <summary>
/// The seeded random command stream (<see cref="CommandGenerator"/>, the same seed and knobs as
/// <see cref="RandomDifferentialTests"/>) run with both replication streams attached: replies compared step by step,
/// write effects compared every <see cref="StepsPerCheck"/> steps (<see cref="EffectsDiff"/>), so a divergence is
/// reported with the few commands that caused it. The generator's TTLs are at least 1000 s and its past absolute
/// times delete at once (EXPIREAT/PEXPIREAT), so no key expires by the clock during a run: the streams are
/// deterministic up to the absolute times the servers compute, which compare within a tolerance.
/// RESP2 only: the protocol changes replies, not effects.
/// </summary>
[Collection(E2ECollection.Name)]
[Trait("Category", "Effects")]
[Trait("Category", "Random")]
public sealed class RandomEffectsDifferentialTests(E2EServers servers, ITestOutputHelper output)
{
    private const int StepsPerCheck = 20;

    /// <summary>Operations per run unless AKKAREDIS_DIFF_OPS says otherwise: four runs stay within seconds.</summary>
    private const int DefaultOps = 3000;

    /// <summary>
    /// Left out of these runs: they write nothing, and their replies depend on server-wide state that the plain
    /// random differential sets up and restores around its own runs (CONFIG SET of <see cref="CommandGenerator.SafeConfig"/>,
    /// the slow log, latency history) or on the attached stream itself (INFO's replication section lists redis-server's
    /// replica, DEBUG EFFECTS is none; CLIENT KILL TYPE replica would cut redis-server's stream, CLIENT LIST lists it);
    /// the plain random differential covers their replies.
    /// </summary>
    private static readonly string[] NotHere = ["config", "slowlog", "latency", "info", "client"];

    /// <summary>The first fixed seed (a regression check) and this run's seed (explores; replay with AKKAREDIS_DIFF_SEED).</summary>
    public static TheoryData<int> Seeds() => new(DiffSettings.FixedSeeds[0], DiffSettings.RunSeed);

    [Theory, MemberData(nameof(Seeds))]
    public void SeededRandomCommandsHaveTheSameEffects(int seed) => Run(seed, expiredKeys: false);

    /// <summary>
    /// The same with active expiry off on both servers (DEBUG SET-ACTIVE-EXPIRE 0) and, before one step in
    /// <see cref="ExpiredKeyEvery"/>, <c>SET &lt;the step's first argument&gt; x PXAT 1</c>: a key that has already
    /// expired and stays until something touches it (Redis 7.0 sets it regardless), so every command of the generator
    /// meets expired keys deterministically and propagates their DELs (with MULTI/EXEC when a write's own effect
    /// follows). Left out too: the commands that meet expired keys in hash-table or random order (SCAN, RANDOMKEY).
    /// </summary>
    [Theory, MemberData(nameof(Seeds))]
    public void SeededRandomCommandsOnExpiredKeysHaveTheSameEffects(int seed) => Run(seed, expiredKeys: true);

    private const int ExpiredKeyEvery = 8;

    private void Run(int seed, bool expiredKeys)
    {
        var ops = Environment.GetEnvironmentVariable("AKKAREDIS_DIFF_OPS") is { Length: > 0 } ? DiffSettings.Ops : DefaultOps;
        var excluded = DiffSettings.Excluded;
        var generator = new CommandGenerator(seed, 2, [.. excluded, .. NotHere, .. expiredKeys ? ["scan", "randomkey"] : Array.Empty<string>()]);
        var test = expiredKeys ? nameof(SeededRandomCommandsOnExpiredKeysHaveTheSameEffects) : nameof(SeededRandomCommandsHaveTheSameEffects);
        var replay = $"AKKAREDIS_DIFF_SEED={seed} AKKAREDIS_DIFF_OPS={ops}" +
                     $" AKKAREDIS_DIFF_EXCLUDE={(excluded.Length > 0 ? string.Join(',', excluded) : "none")}" + // the draws depend on it
                     $" dotnet test tests/AkkaRedis.Tests.EndToEnd -c Release --no-build --filter \"FullyQualifiedName~{test}&DisplayName~{seed}\"";
        output.WriteLine($"seed {seed}, {ops} operations");

        using var diff = new EffectsDiff(servers, $"random seed {seed} (effects{(expiredKeys ? ", expired keys" : "")})", replay);
        // A second generator stream (same seed) decides where expired keys go, leaving the commands as in the other test.
        var placement = new Random(seed);
        if (expiredKeys) diff.Session.Run(DiffStep.Of("DEBUG", "SET-ACTIVE-EXPIRE", "0"), "setup");
        try
        {
            var since = new List<string>();
            for (var i = 1; i <= ops; i++)
            {
                var step = generator.Next();
                if (expiredKeys && step.Args.Length > 1 && placement.Next(ExpiredKeyEvery) == 0)
                {
                    var expired = new DiffStep([Resp.Bytes("SET"), step.Args[1], Resp.Bytes("x"), Resp.Bytes("PXAT"), Resp.Bytes("1")], StepKind.Reply, 0);
                    diff.Session.Run(expired, $"before step {i}/{ops}");
                    since.Add($"before step {i}: {expired.Text}");
                }
                diff.Session.Run(step, $"step {i}/{ops}");
                since.Add($"step {i}: {step.Text}");
                if (i % StepsPerCheck != 0 && i != ops) continue;
                diff.Check($"after step {i}/{ops}", since);
                since.Clear();
            }
        }
        finally
        {
            if (expiredKeys) EffectsDiff.OnBoth(servers, "DEBUG SET-ACTIVE-EXPIRE 1");
        }
        output.WriteLine($"{diff.Checks} comparisons, {diff.Effects} effects equal on both servers; " +
                         $"{diff.Session.ErrorReplies} of {diff.Session.StepsRun} steps were errors on both");
    }
}
