namespace AkkaRedis.Tests.EndToEnd.Differential.Scripts;

/// <summary>The HyperLogLog (hyperloglog.c): PFADD, PFCOUNT, PFMERGE, PFDEBUG, PFSELFTEST. Replies and write effects compared with redis-server 7.0.</summary>
public static class HyperLogLogScripts
{
    public const string Family = "hyperloglog";

    public static IEnumerable<DiffScript> All()
    {
        // Placeholder until the family lands (an empty theory would fail).
        yield return new(Family, "placeholder", """
            PING
            """);
    }

    /// <summary>Scripts for the write-effects differential (<see cref="EffectScripts"/>).</summary>
    public static IEnumerable<EffectScripts.Script> Effects()
    {
        yield break;
    }
}
