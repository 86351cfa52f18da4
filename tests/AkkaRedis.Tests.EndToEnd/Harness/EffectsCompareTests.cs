using AkkaRedis.Tests.EndToEnd.Differential;
using AkkaRedis.Tests.EndToEnd.Infrastructure;

namespace AkkaRedis.Tests.EndToEnd.Harness;

/// <summary>The write-effects comparison rule (<see cref="EffectsDiff.Compare"/>): byte for byte, except computed
/// absolute times within the tolerance.</summary>
[Trait("Category", "Harness")]
public sealed class EffectsCompareTests
{
    private static List<byte[][]> Stream(params string[][] commands) => commands.Select(c => Resp.Args(c)).ToList();

    [Fact]
    public void EqualStreamsMatch() =>
        Assert.Null(EffectsDiff.Compare(Stream(["SELECT", "0"], ["SET", "k", "v"]), Stream(["SELECT", "0"], ["SET", "k", "v"])));

    [Fact]
    public void ComputedTimesMatchWithinTheTolerance()
    {
        Assert.Null(EffectsDiff.Compare(Stream(["SET", "k", "v", "PXAT", "1700000000000"]), Stream(["SET", "k", "v", "PXAT", "1700000004000"])));
        Assert.Null(EffectsDiff.Compare(Stream(["PEXPIREAT", "k", "1700000000000"]), Stream(["PEXPIREAT", "k", "1699999999000"])));
        Assert.Null(EffectsDiff.Compare(Stream(["EXPIREAT", "k", "1700000000"]), Stream(["EXPIREAT", "k", "1700000003"])));
    }

    [Fact]
    public void TimesBeyondTheToleranceOrElsewhereDiffer()
    {
        Assert.NotNull(EffectsDiff.Compare(Stream(["SET", "k", "v", "PXAT", "1700000000000"]), Stream(["SET", "k", "v", "PXAT", "1700000006000"])));
        Assert.NotNull(EffectsDiff.Compare(Stream(["SET", "k", "1700000000000"]), Stream(["SET", "k", "1700000000001"])));
        Assert.NotNull(EffectsDiff.Compare(Stream(["PEXPIRE", "k", "1000"]), Stream(["PEXPIRE", "k", "1001"])));
        Assert.NotNull(EffectsDiff.Compare(Stream(["SET", "k", "v", "PXAT", "1700000000000"]), Stream(["SET", "k", "v", "EXAT", "1700000000"])));
    }

    [Fact]
    public void CaseCountAndOrderMatter()
    {
        Assert.NotNull(EffectsDiff.Compare(Stream(["SET", "k", "v"]), Stream(["set", "k", "v"])));
        Assert.NotNull(EffectsDiff.Compare(Stream(["DEL", "k"]), Stream(["DEL", "k"], ["DEL", "k"])));
        Assert.NotNull(EffectsDiff.Compare(Stream(["DEL", "k"], ["SET", "k", "v"]), Stream(["DEL", "k"])));
        Assert.NotNull(EffectsDiff.Compare(Stream(["DEL", "a"], ["DEL", "b"]), Stream(["DEL", "b"], ["DEL", "a"])));
    }
}
