using System.Collections.Concurrent;
using AkkaRedis.Actors.Commands;
using AkkaRedis.Actors.Keyspace;
using AkkaRedis.Actors.Server;

namespace AkkaRedis.Actors.Session;

/// <summary>
/// What the session stage and the connection-level families (connection, client, server, config, introspection)
/// use: the services below the session (<see cref="Services"/>, shared with shards and the Transaction actor), plus
/// the client list, the MONITOR feed and the keyspace's actor references. Safe to read from any thread.
/// </summary>
public sealed class ServerContext
{
    public ServerContext(ServerConfig config, CommandTable commands) : this(new CommandServices(config, commands))
    {
    }

    public ServerContext(CommandServices services)
    {
        Services = services;
        services.PubSub = PubSub;
        Tracking = new TrackingRegistry(Clients);
        services.Tracking = Tracking;
        // MONITOR shows the commands scripts call, from "lua" (issue 13).
        services.Scripts.Monitor = (db, def, args) => Monitors.FeedScript(db, def, args);
        RunId = Convert.ToHexString(System.Security.Cryptography.RandomNumberGenerator.GetBytes(20)).ToLowerInvariant();
    }

    /// <summary>What the keyspace layers below the session are given.</summary>
    public CommandServices Services { get; }
    public ServerConfig Config => Services.Config;
    public CommandTable Commands => Services.Commands;
    /// <summary>Connection-level counters (connections, network bytes, protocol errors).</summary>
    public ServerStats Stats { get; } = new();
    /// <summary>Command counters and latency histograms, per owner, summed when read.</summary>
    public StatsRegistry CommandStats => Services.Stats;
    public Tracing.CommandTracer Tracer => Services.Tracer;
    public ClientRegistry Clients { get; } = new();
    /// <summary>Client-side caching: tracking clients, invalidations from the shards to the connections.</summary>
    public TrackingRegistry Tracking { get; }
    /// <summary>The shards' write effects, for whoever replays them (replicas, AOF, DEBUG EFFECTS).</summary>
    public EffectStream Effects => Services.Effects;
    /// <summary>Slow log, latency monitor and histograms.</summary>
    public ServerDiagnostics Diagnostics => Services.Diagnostics;
    /// <summary>Channel, pattern and shard-channel subscribers (written by the PubSub actor only); also what the
    /// shards publish keyspace notifications through (<see cref="CommandServices.PubSub"/>).</summary>
    public PubSubRegistry PubSub { get; } = new();
    /// <summary>MONITOR: the connections that watch every command.</summary>
    public MonitorFeed Monitors { get; } = new();
    public ServerRuntime Runtime => Services.Runtime;
    public string RunId { get; }
    public DateTimeOffset StartTime => Services.StartTime;
    public long StartTimestamp { get; } = System.Diagnostics.Stopwatch.GetTimestamp();

    /// <summary>Set once the keyspace supervisor has started.</summary>
    public KeyspaceRefs Keyspace { get; set; } = null!;

    /// <summary>Asks the host to shut the server down (SHUTDOWN); the argument is the exit code.</summary>
    public Action<int> RequestShutdown { get; set; } = _ => { };

    public static long UnixMs() => ServerClock.UnixMs();
}

public sealed class ClientRegistry
{
    private readonly ConcurrentDictionary<long, ClientSession> _clients = new();
    private long _nextId;

    public long NextId() => Interlocked.Increment(ref _nextId);
    public int Count => _clients.Count;
    public void Add(ClientSession client) => _clients[client.Id] = client;
    public void Remove(ClientSession client) => _clients.TryRemove(client.Id, out _);
    public IEnumerable<ClientSession> All => _clients.Values.OrderBy(c => c.Id);

    /// <summary>Every client in no particular order, without <see cref="All"/>'s locks, copy and sort (periodic sweeps).</summary>
    public IEnumerable<ClientSession> Unordered
    {
        get
        {
            foreach (var pair in _clients) yield return pair.Value;
        }
    }
    public ClientSession? Find(long id) => _clients.GetValueOrDefault(id);

    /// <summary>Whether some connection is still answering commands it received.</summary>
    public bool AnyInFlight()
    {
        foreach (var client in _clients.Values)
            if (client.InFlight) return true;
        return false;
    }
}
