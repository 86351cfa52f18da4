namespace AkkaRedis.Tests.EndToEnd.Differential.Scripts;

/// <summary>Client-side caching (tracking.c): CLIENT TRACKING, CACHING, GETREDIR, TRACKINGINFO and the invalidations. Replies compared with redis-server 7.0.15; several connections per script ([c2]..[c9], see
/// <see cref="DiffScript"/>).</summary>
public static class TrackingScripts
{
    public const string Family = "tracking";

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
