namespace AkkaRedis.Tests.EndToEnd.Differential.Scripts;

/// <summary>Pub/Sub (pubsub.c): SUBSCRIBE, UNSUBSCRIBE, PSUBSCRIBE, PUNSUBSCRIBE, PUBLISH, PUBSUB, SSUBSCRIBE, SUNSUBSCRIBE, SPUBLISH; RESP2 subscribed mode, RESP3 pushes. Replies compared with redis-server 7.0.15; several connections per script ([c2]..[c9], see
/// <see cref="DiffScript"/>).</summary>
public static class PubSubScripts
{
    public const string Family = "pubsub";

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
