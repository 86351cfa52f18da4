using AkkaRedis.Tests.EndToEnd.Infrastructure;
using Xunit.Abstractions;

namespace AkkaRedis.Tests.EndToEnd.Differential;

/// <summary>
/// Seeded random differential runs (see <see cref="CommandGenerator"/>): the same command stream to both servers,
/// replies compared one by one; the first mismatch fails with seed, step, command and both replies.
/// Replay with AKKAREDIS_DIFF_SEED=&lt;seed&gt;; lengthen with AKKAREDIS_DIFF_OPS.
/// </summary>
[Collection(E2ECollection.Name)]
[Trait("Category", "Random")]
public sealed class RandomDifferentialTests(E2EServers servers, ITestOutputHelper output)
{
    [Theory]
    [InlineData(2)]
    [InlineData(3)]
    public void SeededRandomCommands(int resp)
    {
        var seed = DiffSettings.Seed;
        var ops = DiffSettings.Ops;
        var excluded = DiffSettings.Excluded;
        var generator = new CommandGenerator(seed, resp, excluded);
        var replay = $"AKKAREDIS_DIFF_SEED={seed} AKKAREDIS_DIFF_OPS={ops}" +
                     (DiffSettings.Probe is { } pr ? $" AKKAREDIS_DIFF_PROBE=\"{string.Join(' ', pr)}\"" : "") +
                     (excluded.Length > 0 ? $" AKKAREDIS_DIFF_EXCLUDE={string.Join(',', excluded)}" : "") +
                     $" dotnet test tests/AkkaRedis.Tests.EndToEnd --filter \"FullyQualifiedName~RandomDifferentialTests&DisplayName~resp: {resp}\"";
        output.WriteLine($"seed {seed}, {ops} operations, RESP{resp}, commands: {string.Join(' ', generator.CommandNames)}");

        using var session = new DiffSession(servers, $"random seed {seed} (RESP{resp})", replay);
        session.FlushAll();
        if (resp == 3) session.Run(DiffStep.Of("HELLO", "3"), "prelude HELLO 3");
        var probe = DiffSettings.Probe is { } p ? new DiffStep(Resp.Args(p), StepKind.Reply, 0) : null;
        for (var i = 1; i <= ops; i++)
        {
            session.Run(generator.Next(), $"step {i}/{ops}");
            if (probe != null) session.Run(probe, $"probe after step {i}/{ops}");
        }
        output.WriteLine($"{session.StepsRun} steps matched, {session.ErrorReplies} of them errors on both servers");
    }
}
