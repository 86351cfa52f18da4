namespace AkkaRedis.Tests.EndToEnd.Differential.Scripts;

/// <summary>Keyspace notifications (notify.c): notify-keyspace-events and the events every family emits, in Redis's order. Replies compared with redis-server 7.0.15; several connections per script ([c2]..[c9], see
/// <see cref="DiffScript"/>).</summary>
public static class NotificationScripts
{
    public const string Family = "notifications";

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
