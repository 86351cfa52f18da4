using Akka.Actor;
using AkkaRedis.Actors.Expiry;
using AkkaRedis.Actors.Server;
using AkkaRedis.Actors.Transactions;

namespace AkkaRedis.Actors.Keyspace;

/// <summary>
/// Parent of the shard actors and the dedicated actors. A shard owns data, so a failure inside it resumes it
/// (keeping its keyspace) instead of restarting it.
/// </summary>
public sealed class KeyspaceSupervisor : ReceiveActor
{
    public sealed record GetRefs;

    public KeyspaceSupervisor(ServerContext server)
    {
        var count = Math.Max(1, server.Config.Shards);
        var data = new ShardData[count];
        var shards = new IActorRef[count];
        for (var i = 0; i < count; i++)
        {
            data[i] = new ShardData(i, server.Config.Databases);
            shards[i] = Context.ActorOf(ShardActor.Props(server, data[i], count), $"shard-{i}");
        }
        var transactions = Context.ActorOf(TransactionActor.Props(server, shards), "transactions");
        var expiry = Context.ActorOf(ExpiryActor.Props(server, shards), "expiry");
        var refs = new KeyspaceRefs(Self, shards, data, transactions, expiry);
        Receive<GetRefs>(_ => Sender.Tell(refs));
    }

    public static Props Props(ServerContext server) => Akka.Actor.Props.Create(() => new KeyspaceSupervisor(server));

    /// <summary>Resume, never restart: a restarted shard would come back with an empty keyspace in a real deployment.</summary>
    public static readonly SupervisorStrategy ShardStrategy = new OneForOneStrategy(_ => Directive.Resume);

    protected override SupervisorStrategy SupervisorStrategy() => ShardStrategy;
}
