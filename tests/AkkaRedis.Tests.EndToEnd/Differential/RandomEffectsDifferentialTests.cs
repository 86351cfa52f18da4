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

    [Fact]
    public void SeededRandomCommandsHaveTheSameEffects()
    {
        var seed = DiffSettings.Seed;
        var ops = DiffSettings.Ops;
        var excluded = DiffSettings.Excluded;
        var generator = new CommandGenerator(seed, 2, excluded);
        var replay = $"AKKAREDIS_DIFF_SEED={seed} AKKAREDIS_DIFF_OPS={ops}" +
                     (excluded.Length > 0 ? $" AKKAREDIS_DIFF_EXCLUDE={string.Join(',', excluded)}" : "") +
                     " dotnet test tests/AkkaRedis.Tests.EndToEnd -c Release --no-build --filter FullyQualifiedName~RandomEffectsDifferentialTests";
        output.WriteLine($"seed {seed}, {ops} operations");

        using var diff = new EffectsDiff(servers, $"random seed {seed} (effects)", replay);
        var since = new List<string>();
        for (var i = 1; i <= ops; i++)
        {
            var step = generator.Next();
            diff.Session.Run(step, $"step {i}/{ops}");
            since.Add($"step {i}: {step.Text}");
            if (i % StepsPerCheck != 0 && i != ops) continue;
            diff.Check($"after step {i}/{ops}", since);
            since.Clear();
        }
        output.WriteLine($"{diff.Checks} comparisons, {diff.Effects} effects equal on both servers; " +
                         $"{diff.Session.ErrorReplies} of {diff.Session.StepsRun} steps were errors on both");
    }
}
