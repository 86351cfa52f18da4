namespace AkkaRedis.Tests.EndToEnd.Differential.Scripts;

/// <summary>SORT and SORT_RO (sort.c): replies and write effects compared with redis-server 7.0.</summary>
public static class SortScripts
{
    public const string Family = "sort";

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
