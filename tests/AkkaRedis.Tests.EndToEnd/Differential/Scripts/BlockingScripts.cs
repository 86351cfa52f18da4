namespace AkkaRedis.Tests.EndToEnd.Differential.Scripts;

/// <summary>Blocking commands (blocked.c, t_list.c, t_zset.c, t_stream.c): BLPOP, BRPOP, BLMOVE, BRPOPLPUSH, BLMPOP, BZPOPMIN, BZPOPMAX, BZMPOP, XREAD BLOCK, XREADGROUP BLOCK, CLIENT UNBLOCK. Replies compared with redis-server 7.0.15; several connections per script ([c2]..[c9], see
/// <see cref="DiffScript"/>).</summary>
public static class BlockingScripts
{
    public const string Family = "blocking";

    public static IEnumerable<DiffScript> All()
    {
        // Scaffolding: replaced by the family's scripts (an empty theory would fail).
        yield return new(Family, "placeholder", "[c2] PING");
    }

    public static IEnumerable<EffectScripts.Script> Effects()
    {
        yield break;
    }
}
