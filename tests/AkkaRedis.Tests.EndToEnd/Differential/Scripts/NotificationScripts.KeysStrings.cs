namespace AkkaRedis.Tests.EndToEnd.Differential.Scripts;

public static partial class NotificationScripts
{
    /// <summary>Strings, keys, expiry, bitmaps, HyperLogLog, lists, hashes.</summary>
    private static partial IEnumerable<DiffScript> PartA()
    {
        // Scaffolding: replaced by the family's scripts (an empty theory would fail).
        yield return new(Family, "placeholder-a", "[c2] PING");
    }
}
