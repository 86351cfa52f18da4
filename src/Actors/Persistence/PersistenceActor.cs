using Akka.Actor;
using AkkaRedis.Actors.Commands;

namespace AkkaRedis.Actors.Persistence;

/// <summary>
/// The Persistence actor (issue 12): RDB snapshots (SAVE, BGSAVE, save points, loading at start-up) and the AOF
/// (PersistenceActor.Aof.cs), fed by the shards' write-effect stream, in Redis 7.0's file formats. What INFO
/// persistence and the sessions read of its state is in Server.PersistenceStatus (written here only).
/// </summary>
public sealed partial class PersistenceActor : UntypedActor
{
    private readonly CommandServices _server;
    private readonly IActorRef[] _shards;

    public PersistenceActor(CommandServices server, IActorRef[] shards)
    {
        _server = server;
        _shards = shards;
    }

    public static Props Props(CommandServices server, IActorRef[] shards) =>
        Akka.Actor.Props.Create(() => new PersistenceActor(server, shards));

    protected override void OnReceive(object message)
    {
        if (OnSnapshotMessage(message) || OnRdbMessage(message) || OnAofMessage(message)) return;
        Unhandled(message);
    }

    protected override void PostStop() => StopAof();

    /// <summary>RDB messages (this file); false: not one of them.</summary>
    private bool OnRdbMessage(object message) => false;
}
