using Akka.Actor;
using AkkaRedis.Actors.Keyspace;
using AkkaRedis.Actors.Commands;

namespace AkkaRedis.Actors.Expiry;

/// <summary>
/// Drives active expiration: every 1/hz seconds it asks each shard to run an expire cycle with a quarter of the
/// period as its time budget (Redis's ACTIVE_EXPIRE_CYCLE_SLOW_TIME_PERC), so keys with a TTL vanish without being read.
/// </summary>
public sealed class ExpiryActor : ReceiveActor, IWithTimers
{
    private sealed class Tick
    {
        public static readonly Tick Instance = new();
    }

    private readonly CommandServices _server;
    private readonly IActorRef[] _shards;
    private int _hz;

    public ExpiryActor(CommandServices server, IActorRef[] shards)
    {
        _server = server;
        _shards = shards;
        Receive<Tick>(_ => OnTick());
    }

    public ITimerScheduler Timers { get; set; } = null!;

    public static Props Props(CommandServices server, IActorRef[] shards) => Akka.Actor.Props.Create(() => new ExpiryActor(server, shards));

    protected override void PreStart() => Schedule();

    private void Schedule()
    {
        _hz = _server.Config.Hz;
        Timers.StartPeriodicTimer("expire", Tick.Instance, TimeSpan.FromMilliseconds(1000.0 / _hz));
    }

    private void OnTick()
    {
        if (_hz != _server.Config.Hz) Schedule(); // CONFIG SET hz takes effect at the next tick
        var budget = TimeSpan.FromMilliseconds(1000.0 / _hz / 4);
        var tick = new ActiveExpireTick(budget);
        foreach (var shard in _shards) shard.Tell(tick);
    }
}
