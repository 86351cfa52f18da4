using AkkaRedis.Actors.Server;
using AkkaRedis.Actors.Tracing;

namespace AkkaRedis.Actors.Commands;

/// <summary>
/// The server-wide services that the layers below the session use: shards, the Transaction actor and keyspace
/// handlers (configuration, the command table, call() bookkeeping, tracing, the write-effect stream, runtime ids).
/// It lives in Commands because CommandRunner (the lowest user of diagnostics and statistics) does; the session's
/// own services (clients, MONITOR, shutdown) are in Session.ServerContext, which holds one of these.
/// </summary>
public sealed class CommandServices
{
    public CommandServices(ServerConfig config, CommandTable commands)
    {
        Config = config;
        Commands = commands;
        Tracer = new CommandTracer(config);
        Diagnostics = new ServerDiagnostics(config, commands);
        Runtime = new ServerRuntime(StartTime);
        Stats = new StatsRegistry(commands);
        Scripts = new Scripting.ScriptEngine(config);
    }

    public ServerConfig Config { get; }
    public CommandTable Commands { get; }
    public CommandTracer Tracer { get; }
    /// <summary>Slow log, latency monitor and histograms.</summary>
    public ServerDiagnostics Diagnostics { get; }
    /// <summary>The shards' write effects, for whoever replays them (replicas, AOF, DEBUG EFFECTS).</summary>
    public EffectStream Effects { get; } = new();
    /// <summary>Command statistics, one cell per owner (shard, Transaction actor, connection), summed when read.</summary>
    public StatsRegistry Stats { get; }
    public ServerRuntime Runtime { get; }
    /// <summary>Channel and pattern subscribers (the PubSub family sets it when the server is assembled).</summary>
    public IPublisher PubSub { get; set; } = NoSubscribers.Instance;
    /// <summary>Where the shards' client-side caching tables send invalidations (the session layer sets it when the
    /// server is assembled; null: tracking is never enabled, as in unit tests).</summary>
    public Storage.ITrackingSink? Tracking { get; set; }
    /// <summary>CLIENT PAUSE.</summary>
    public ClientPause Pause { get; } = new();
    /// <summary>RDB/AOF state (issue 12), written by the Persistence actor.</summary>
    public PersistenceStatus Persistence { get; } = new();
    public DateTimeOffset StartTime { get; } = DateTimeOffset.UtcNow;
    /// <summary>EVAL's script cache and Lua states, running scripts (issue 13).</summary>
    public Scripting.ScriptEngine Scripts { get; }

    /// <summary>The function libraries (FUNCTION LOAD, FCALL; saved in the RDB and the AOF base).</summary>
    public Scripting.FunctionRegistry Functions { get; } = new();
}
