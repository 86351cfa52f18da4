using Akka.Actor;
using AkkaRedis.Actors.Expiry;
using AkkaRedis.Actors.Keyspace;
using AkkaRedis.Actors.Persistence;
using AkkaRedis.Actors.PubSub;
using AkkaRedis.Actors.Session;
using AkkaRedis.Actors.Transactions;

namespace AkkaRedis.Actors;

/// <summary>
/// The composition of the actor layers (the only type above all of them, used by the host and by tests): the
/// keyspace supervisor with its shards and the dedicated actors plugged in by name, so a new dedicated actor
/// (PubSub, Replication, Persistence) is one line here and a CommandDef.ActorName, not a branch in the session.
/// </summary>
public static class ServerActors
{
    /// <summary>The keyspace supervisor's Props; <paramref name="extra"/> adds dedicated actors (tests use it).</summary>
    public static Props Keyspace(ServerContext server, IReadOnlyDictionary<string, DedicatedActorProps>? extra = null)
    {
        var dedicated = new Dictionary<string, DedicatedActorProps>
        {
            [DedicatedActors.Transactions] = TransactionActor.Props,
            [DedicatedActors.Expiry] = (services, shards, _) => ExpiryActor.Props(services, shards),
            [DedicatedActors.PubSub] = (_, _, _) => PubSubActor.Props(server.PubSub),
            [DedicatedActors.Persistence] = (services, shards, _) => PersistenceActor.Props(services, shards),
        };
        if (extra != null)
            foreach (var (name, props) in extra) dedicated[name] = props;
        return KeyspaceSupervisor.Props(server.Services, dedicated);
    }
}
