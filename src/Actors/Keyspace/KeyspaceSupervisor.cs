using Akka.Actor;
using Akka.Event;
using AkkaRedis.Actors.Commands;

namespace AkkaRedis.Actors.Keyspace;

/// <summary>Builds a dedicated actor (Transaction, Expiry, later PubSub, Replication, Persistence) given the shards.
/// The actors live in layers above this one, so the composition root hands their Props in.</summary>
public delegate Props DedicatedActorProps(CommandServices services, IActorRef[] shards, ShardData[] data);

/// <summary>The names dedicated actors are known by (actor names under the supervisor, CommandDef.ActorName).</summary>
public static class DedicatedActors
{
    public const string Transactions = "transactions";
    public const string Expiry = "expiry";
    public const string PubSub = "pubsub";
    public const string Persistence = "persistence";
}

/// <summary>The shard and dedicated actors, plus the shards' data for racy read-only statistics (shard health).</summary>
public sealed record KeyspaceRefs(IActorRef Supervisor, IActorRef[] Shards, ShardData[] ShardData, IReadOnlyDictionary<string, IActorRef> Dedicated)
{
    public IActorRef Transactions => Dedicated.GetValueOrDefault(DedicatedActors.Transactions, ActorRefs.Nobody);
    public IActorRef Expiry => Dedicated.GetValueOrDefault(DedicatedActors.Expiry, ActorRefs.Nobody);
    public IActorRef PubSub => Dedicated.GetValueOrDefault(DedicatedActors.PubSub, ActorRefs.Nobody);
    public IActorRef Persistence => Dedicated.GetValueOrDefault(DedicatedActors.Persistence, ActorRefs.Nobody);
}

/// <summary>
/// Parent of the shard actors and the dedicated actors. A shard owns data, so a failure inside it resumes it
/// (keeping its keyspace) instead of restarting it.
/// </summary>
public sealed class KeyspaceSupervisor : ReceiveActor, IWithTimers
{
    public sealed record GetRefs;

    /// <summary>Compares every shard's mailbox with shard-mailbox-warn-threshold (every second, or on demand).</summary>
    public sealed record CheckHealth
    {
        public static readonly CheckHealth Instance = new();
    }

    private readonly CommandServices _server;
    private readonly Akka.Event.ILoggingAdapter _log = Context.GetLogger();

    public ITimerScheduler Timers { get; set; } = null!;

    public KeyspaceSupervisor(CommandServices server, IReadOnlyDictionary<string, DedicatedActorProps> dedicated)
    {
        _server = server;
        // redis.log (issue 13): the scripts' lines go to the server's log at their level.
        var log = _log;
        server.Scripts.LogSink ??= (level, message) =>
        {
            if (level >= 3) log.Warning("{0}", message);
            else if (level == 2) log.Info("{0}", message);
            else log.Debug("{0}", message);
        };
        var count = Math.Max(1, server.Config.Shards);
        var data = new ShardData[count];
        var shards = new IActorRef[count];
        for (var i = 0; i < count; i++) data[i] = new ShardData(i, server.Config.Databases, count);
        for (var i = 0; i < count; i++) shards[i] = Context.ActorOf(ShardActor.Props(server, data[i], data), $"shard-{i}");
        var actors = new Dictionary<string, IActorRef>();
        foreach (var (name, props) in dedicated) actors[name] = Context.ActorOf(props(server, shards, data), name);
        var refs = new KeyspaceRefs(Self, shards, data, actors);
        Receive<GetRefs>(_ => Sender.Tell(refs));
        Receive<CheckHealth>(_ => CheckShards(refs));
    }

    protected override void PreStart() =>
        Timers.StartPeriodicTimer("health", CheckHealth.Instance, TimeSpan.FromSeconds(1));

    /// <summary>A shard whose mailbox passes the threshold is falling behind (INFO shards, a warning in the log);
    /// it has caught up once its mailbox is back under half the threshold.</summary>
    private void CheckShards(KeyspaceRefs refs)
    {
        var threshold = _server.Config.ShardMailboxWarnThreshold;
        for (var i = 0; i < refs.Shards.Length; i++)
        {
            var depth = Mailboxes.Depth(refs.Shards[i]);
            var data = refs.ShardData[i];
            if (!data.Behind && depth > threshold)
            {
                data.Behind = true;
                _log.Warning("Shard {0} is falling behind: {1} messages waiting in its mailbox (shard-mailbox-warn-threshold {2})",
                    refs.Shards[i].Path, depth, threshold);
            }
            else if (data.Behind && depth <= threshold / 2)
            {
                data.Behind = false;
                _log.Info("Shard {0} has caught up: {1} messages waiting in its mailbox", refs.Shards[i].Path, depth);
            }
        }
    }

    public static Props Props(CommandServices server, IReadOnlyDictionary<string, DedicatedActorProps> dedicated) =>
        Akka.Actor.Props.Create(() => new KeyspaceSupervisor(server, dedicated));

    /// <summary>Resume, never restart: a restarted shard would come back with an empty keyspace in a real deployment.</summary>
    public static readonly SupervisorStrategy ShardStrategy = new OneForOneStrategy(_ => Directive.Resume);

    protected override SupervisorStrategy SupervisorStrategy() => ShardStrategy;
}
