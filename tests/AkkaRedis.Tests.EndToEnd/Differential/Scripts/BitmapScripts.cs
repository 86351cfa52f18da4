namespace AkkaRedis.Tests.EndToEnd.Differential.Scripts;

/// <summary>The bitmap commands on strings (bitops.c): SETBIT, GETBIT, BITCOUNT, BITPOS, BITOP, BITFIELD, BITFIELD_RO. Replies and write effects compared with redis-server 7.0.</summary>
public static class BitmapScripts
{
    public const string Family = "bitmaps";

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
