namespace AkkaRedis.Tests.EndToEnd.Differential.Scripts;

/// <summary>The streams without consumer groups (t_stream.c): XADD, XLEN, XRANGE, XREVRANGE, XDEL, XTRIM, XREAD, XSETID. Replies and write effects compared with redis-server 7.0.</summary>
public static class StreamScripts
{
    public const string Family = "streams";

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
