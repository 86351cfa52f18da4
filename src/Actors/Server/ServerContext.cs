using System.Collections.Concurrent;
using Akka.Actor;
using AkkaRedis.Actors.Commands;
using AkkaRedis.Actors.Keyspace;
using AkkaRedis.Actors.Session;

namespace AkkaRedis.Actors.Server;

/// <summary>
/// Server-wide state shared by sessions and actors: configuration, command table, statistics, the client list
/// and the keyspace's actor references. Everything here is safe to read from any thread.
/// </summary>
public sealed class ServerContext
{
    public ServerContext(ServerConfig config, CommandTable commands)
    {
        Config = config;
        Commands = commands;
        Tracer = new Tracing.CommandTracer(config);
        Diagnostics = new ServerDiagnostics(config, commands);
        RunId = Convert.ToHexString(System.Security.Cryptography.RandomNumberGenerator.GetBytes(20)).ToLowerInvariant();
    }

    public ServerConfig Config { get; }
    public CommandTable Commands { get; }
    public ServerStats Stats { get; } = new();
    public Tracing.CommandTracer Tracer { get; }
    public ClientRegistry Clients { get; } = new();
    /// <summary>The shards' write effects, for whoever replays them (replicas, AOF, DEBUG EFFECTS).</summary>
    public Keyspace.EffectStream Effects { get; } = new();
    /// <summary>Slow log, latency monitor and histograms, MONITOR feed.</summary>
    public ServerDiagnostics Diagnostics { get; }
    public string RunId { get; }
    public DateTimeOffset StartTime { get; } = DateTimeOffset.UtcNow;
    public long StartTimestamp { get; } = System.Diagnostics.Stopwatch.GetTimestamp();

    /// <summary>Set once the keyspace supervisor has started.</summary>
    public KeyspaceRefs Keyspace { get; set; } = null!;

    /// <summary>Asks the host to shut the server down (SHUTDOWN); the argument is the exit code.</summary>
    public Action<int> RequestShutdown { get; set; } = _ => { };

    public static long UnixMs() => DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
}

/// <summary>The shard and dedicated actors, plus the shards' data for racy read-only statistics (INFO keyspace).</summary>
public sealed record KeyspaceRefs(IActorRef Supervisor, IActorRef[] Shards, ShardData[] ShardData, IActorRef Transactions, IActorRef Expiry);

public sealed class ServerStats
{
    public long TotalConnectionsReceived;
    public long TotalCommandsProcessed;
    public long RejectedConnections;
    public long TotalNetInputBytes;
    public long TotalNetOutputBytes;
    public long ProtocolErrors;
    public readonly ConcurrentDictionary<string, long> ErrorCounts = new();
    public long TotalErrorReplies;

    public void CountError(string code)
    {
        Interlocked.Increment(ref TotalErrorReplies);
        ErrorCounts.AddOrUpdate(code, 1, static (_, n) => n + 1);
    }

    public void Reset()
    {
        TotalConnectionsReceived = 0;
        TotalCommandsProcessed = 0;
        RejectedConnections = 0;
        TotalNetInputBytes = 0;
        TotalNetOutputBytes = 0;
        ProtocolErrors = 0;
        TotalErrorReplies = 0;
        ErrorCounts.Clear();
    }
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
