using Akka.Actor;
using Akka.Event;
using AkkaRedis.Actors.Commands;
using AkkaRedis.Actors.Server;
using AkkaRedis.Actors.Keyspace;

namespace AkkaRedis.Actors.Session;

/// <summary>
/// Redis's clientsCron, the part that concerns idle clients: every 1/hz seconds it closes the clients idle for more
/// than <c>timeout</c> seconds, and asks clients idle for 2 seconds to give back memory sized for a big pipeline;
/// a quiet server also collects the garbage of its last burst (<see cref="IdleCollector"/>).
/// One sweep over the client registry for the whole server, so a command costs nothing for it.
/// </summary>
public sealed class ClientsCron : ReceiveActor, IWithTimers
{
    private sealed class Tick
    {
        public static readonly Tick Instance = new();
    }

    private const long TrimAfterIdleMs = 2000;

    /// <summary>A client that sent a command this recently keeps the server from counting as quiet: the idle
    /// collector's full GC pauses every client, so it only runs while nobody is waiting for a reply.</summary>
    private const long ActiveWithinMs = 1000;

    private readonly ServerContext _server;
    private readonly IdleCollector _idleCollector = new();
    private readonly ILoggingAdapter _log = Context.GetLogger();
    private int _hz;

    public ClientsCron(ServerContext server)
    {
        _server = server;
        Receive<Tick>(_ => OnTick());
    }

    public ITimerScheduler Timers { get; set; } = null!;

    public static Props Props(ServerContext server) => Akka.Actor.Props.Create(() => new ClientsCron(server));

    protected override void PreStart() => Schedule();

    private void Schedule()
    {
        _hz = _server.Config.Hz;
        Timers.StartPeriodicTimer("clients-cron", Tick.Instance, TimeSpan.FromMilliseconds(1000.0 / _hz));
    }

    private void OnTick()
    {
        if (_hz != _server.Config.Hz) Schedule(); // CONFIG SET hz takes effect at the next tick
        var timeout = _server.Config.IdleTimeoutSeconds;
        var now = ServerContext.UnixMs();
        var clientsActive = false;
        foreach (var client in _server.Clients.Unordered)
        {
            if (client.InFlight || now - client.LastInteraction < ActiveWithinMs) clientsActive = true;
            // Redis's clientsCronResizeQueryBuffer / clientsCronResizeOutputBuffer: memory sized for a burst goes
            // back once the client has been idle for 2 seconds.
            if (client.HoldsBusySizedMemory && !client.InFlight && now - client.LastInteraction > TrimAfterIdleMs)
                client.Post(ClientSession.TrimIdleMemory.Instance);
            if (timeout == 0 || !IsIdleTooLong(client, timeout, now)) continue;
            _log.Debug("Closing idle client id={0} addr={1}", client.Id, client.Address);
            client.Close();
        }
        _idleCollector.Tick(_hz, clientsActive, _server.Clients.Count);
    }

    /// <summary>
    /// Redis's clientsCronHandleTimeout test: idle for more than <paramref name="timeoutSeconds"/> whole seconds
    /// (Redis compares unix times in seconds), and not a replica, monitor, master, blocked or Pub/Sub client — those
    /// wait for the server, not the other way round. (Blocking commands, Pub/Sub, MONITOR and replication do not
    /// exist yet; their flags are tested here so that they are exempt once they do. A blocked client's own timeout
    /// is its blocking command's business.)
    /// </summary>
    public static bool IsIdleTooLong(ClientSession client, long timeoutSeconds, long nowMs)
    {
        if (client.Closing || client.IsReplica || client.IsMonitor || client.IsMaster || client.IsBlocked) return false;
        // Redis's cron cannot run during a command; ours can, so a client whose own command (DEBUG SLEEP, a big
        // KEYS) runs longer than the timeout is not idle.
        if (client.InFlight) return false;
        if (client.IsPubSub || client.Channels + client.Patterns + client.ShardChannels > 0) return false;
        return nowMs / 1000 - client.LastInteraction / 1000 > timeoutSeconds;
    }
}
