using AkkaRedis.Actors.Commands;
using AkkaRedis.Actors.Server;
using AkkaRedis.Net.Resp;
using AkkaRedis.Actors.Keyspace;

namespace AkkaRedis.Actors.Session;

public enum ReplyMode { On, Off, Skip }

/// <summary>CLIENT LIST / CLIENT KILL TYPE classes, as Redis's getClientType derives them from the client's flags.</summary>
public enum ClientType { Normal, Replica, PubSub, Master }

/// <summary>
/// One connection's state. Owned and written by its session stage; other connections only read it (CLIENT LIST)
/// or ask it to close (CLIENT KILL) through <see cref="Close"/>.
/// </summary>
public sealed class ClientSession
{
    private volatile bool _closing;

    public ClientSession(long id, string address, string localAddress)
    {
        Id = id;
        Address = address;
        Label = new ClientLabel(address, id);
        LocalAddress = localAddress;
        CreatedAt = ServerContext.UnixMs();
        LastInteraction = CreatedAt;
    }

    public long Id { get; }
    public string Address { get; }
    public string LocalAddress { get; }
    public long CreatedAt { get; }
    public long LastInteraction { get; set; }
    /// <summary>CLIENT SETNAME / HELLO SETNAME: only bytes '!'..'~', so plain ASCII; null when unset.</summary>
    public string? Name
    {
        get => Label.Name;
        set => Label.Name = value;
    }
    /// <summary>What shard messages carry of this connection (the slow log's address and name).</summary>
    public ClientLabel Label { get; }
    public int Db { get; set; }
    public int Protocol { get; set; } = 2;
    public ReplyMode ReplyMode { get; set; } = ReplyMode.On;
    public bool NoEvict { get; set; }
    public string LastCommand { get; set; } = "NULL";
    public string User { get; set; } = "default";
    /// <summary>False until AUTH / HELLO AUTH succeeds when the default user needs a password.</summary>
    public bool Authenticated { get; set; } = true;
    public long QueryBufferBytes { get; set; }
    public long OutputBufferBytes { get; set; }
    public long CommandsProcessed { get; set; }
    /// <summary>Bytes received and sent (INFO's total_net_*_bytes sum them): written by this connection's stage
    /// only, so no shared counter is touched per request.</summary>
    public long NetInputBytes;
    public long NetOutputBytes;

    /// <summary>Per shard: this connection told the shard something it does not answer (UNWATCH's key list, tracking
    /// prefixes), so its next batch for that shard goes through the shard's mailbox, behind that message, rather than
    /// running inline (Keyspace.ShardGate) perhaps before it. Null until the first such message.</summary>
    private bool[]? _queueBehind;

    /// <summary>Something was told to <paramref name="shard"/> (of <paramref name="shardCount"/>) without an answer.</summary>
    public void ToldShard(int shard, int shardCount)
    {
        _queueBehind ??= new bool[shardCount];
        _queueBehind[shard] = true;
    }

    /// <summary>Whether a batch for <paramref name="shard"/> may run inline: nothing told to it is possibly unread, and
    /// its commands cannot push anything to this connection (an invalidation of its own read, a keyspace notification
    /// it subscribed to): those arrive as messages, which must be in before the batch's replies are put in order.</summary>
    public bool MayRunInline(int shard) =>
        (_queueBehind == null || !_queueBehind[shard]) && Tracking == null && Channels + Patterns + ShardChannels == 0;

    /// <summary>A batch was queued in <paramref name="shard"/>'s mailbox: behind everything told before it.</summary>
    public void QueuedAt(int shard)
    {
        if (_queueBehind != null) _queueBehind[shard] = false;
    }

    /// <summary>A received batch is being answered (shutdown waits for these in-flight commands).</summary>
    public volatile bool InFlight;
    public string LibraryName { get; set; } = "";
    public string LibraryVersion { get; set; } = "";

    // State other families own; CLIENT LIST, CLIENT KILL TYPE and RESET read or clear it.
    /// <summary>Number of commands queued since MULTI, or -1 outside MULTI.</summary>
    public int MultiQueued { get; set; } = -1;
    /// <summary>A watched key changed: the EXEC will fail (flag 'd'). Set by the shards that own the watched keys
    /// (read racily here, for CLIENT LIST only).</summary>
    public bool DirtyCas => _transaction?.Watcher?.Dirty == true;

    private TransactionState? _transaction;

    /// <summary>CLIENT LIST's multi-mem: what the MULTI queue holds.</summary>
    public long MultiMemory => _transaction?.QueuedMemory ?? 0;

    /// <summary>MULTI queue and WATCH state (TransactionCommands), made at first use.</summary>
    public TransactionState Transaction => _transaction ??= new TransactionState();
    public int Channels { get; set; }
    public int Patterns { get; set; }
    public int ShardChannels { get; set; }
    /// <summary>In RESP2 subscriber mode (SUBSCRIBE / PSUBSCRIBE / SSUBSCRIBE).</summary>
    public bool IsPubSub { get; set; }
    /// <summary>This connection's subscriptions (made at its first SUBSCRIBE / PSUBSCRIBE / SSUBSCRIBE).</summary>
    public ClientSubscriptions? Subscriptions { get; set; }
    /// <summary>Deliveries of the PUBLISHes of the batch under way, sent before the next command runs.</summary>
    public PublishBatch? Publishes { get; set; }
    /// <summary>Output held for the connection and not yet written (CLIENT LIST omem=, the output buffer limits):
    /// written by its session stage only.</summary>
    public long OutputMemory;
    public bool IsMonitor { get; set; }
    public bool IsReplica { get; set; }
    public bool IsMaster { get; set; }
    /// <summary>Waiting in a blocking command or a client pause (flag 'b'). Read from other connections' threads.</summary>
    public bool IsBlocked
    {
        get => _isBlocked || _parking is { Parked: true };
        set
        {
            _isBlocked = value;
            _parking = null;
        }
    }
    private volatile bool _isBlocked;
    private volatile BlockedRequest? _parking;

    /// <summary>A blocking command on keys of several shards, sent to the Transaction actor: the client counts as
    /// blocked once that actor parked it (<see cref="BlockedRequest.Parked"/>), not before.</summary>
    public void BlockedOnceParked(BlockedRequest request)
    {
        _isBlocked = false;
        _parking = request;
    }
    /// <summary>CLIENT TRACKING ON: its mode (flags 't', 'R', 'B'); null while off.</summary>
    public ClientTracking? Tracking
    {
        get => Volatile.Read(ref _tracking);
        set => Volatile.Write(ref _tracking, value);
    }
    private ClientTracking? _tracking;
    /// <summary>READONLY (cluster replica reads, flag 'r').</summary>
    public bool ReadOnlyMode { get; set; }
    /// <summary>Unblocks this client from another connection (CLIENT UNBLOCK); the argument says whether with an error
    /// (-UNBLOCKED) rather than as a timeout. Returns false when it was not blocked. Set by blocking commands.</summary>
    public Func<bool, bool>? Unblock { get; set; }

    /// <summary>Set by the session stage while it keeps arrays sized for a big pipeline; the clients cron asks for
    /// them back (<see cref="TrimIdleMemory"/>) once the connection has been idle a while.</summary>
    public volatile bool HoldsBusySizedMemory;

    /// <summary>Clients cron → session stage: you are idle, give back what was sized for a big pipeline.</summary>
    public sealed class TrimIdleMemory
    {
        public static readonly TrimIdleMemory Instance = new();
    }

    /// <summary>The connection's session stage as an actor (its stage actor), set when the stage starts: what
    /// <see cref="Post"/> and <see cref="Kill"/> tell. A reference, not two closures over it (about 150 bytes a
    /// connection).</summary>
    public Akka.Actor.IActorRef? Stage { get; set; }

    /// <summary>Without a stage (tests): what <see cref="Post"/> does instead.</summary>
    public Action<object>? PostHandler { get; set; }

    /// <summary>Without a stage (tests): what <see cref="Kill"/> does instead.</summary>
    public Action? KillHandler { get; set; }

    /// <summary>Delivers a message to this connection's session stage from any thread (MONITOR lines).</summary>
    public void Post(object message)
    {
        if (PostHandler != null) PostHandler(message);
        else Stage?.Tell(message, Akka.Actor.ActorRefs.NoSender);
    }

    /// <summary>Closes the connection from another thread (CLIENT KILL, SHUTDOWN).</summary>
    public void Kill()
    {
        if (KillHandler != null) KillHandler();
        else Stage?.Tell(KillStage.Instance, Akka.Actor.ActorRefs.NoSender);
    }

    /// <summary><see cref="Kill"/> → session stage: close the connection.</summary>
    public sealed class KillStage
    {
        public static readonly KillStage Instance = new();
    }

    /// <summary>Set once the connection was asked to close: it is no longer listed nor killable, as in Redis where the
    /// killed client is freed at once.</summary>
    public bool Closing => _closing;

    /// <summary>Marks the connection as closing and asks its stage to close it.</summary>
    public void Close()
    {
        _closing = true;
        Kill();
    }

    public ClientType Type =>
        IsMaster ? ClientType.Master
        : IsReplica && !IsMonitor ? ClientType.Replica
        : IsPubSub ? ClientType.PubSub
        : ClientType.Normal;

    /// <summary>RESET's part on the connection's own state (Redis's clearClientConnectionState); the MULTI queue,
    /// subscriptions and MONITOR are cleared by the families that own them.</summary>
    public void ResetConnectionState(bool defaultUserNeedsPassword)
    {
        Db = 0;
        Protocol = 2;
        User = "default";
        Authenticated = !defaultUserNeedsPassword;
        Name = null;
        ReplyMode = ReplyMode.On;
        // Not NoEvict: clearClientConnectionState leaves CLIENT_NO_EVICT set (checked against redis-server 7.0.15).
        ReadOnlyMode = false;
    }
}

/// <summary>A handler that runs in the connection's session stage (CommandDef.SessionHandler holds one).</summary>
public delegate void SessionHandler(SessionCall call);

/// <summary>What a session handler sees: the connection, the request, and where to write its reply.</summary>
public sealed class SessionCall
{
    public SessionCall(ServerContext server, ClientSession client)
    {
        Server = server;
        Client = client;
    }

    public ServerContext Server { get; }
    public ClientSession Client { get; }
    public CommandArgs Args = CommandArgs.Empty;
    public RespWriter Reply = null!;
    public CommandDef Command = null!;
    /// <summary>Set by QUIT and friends: close the connection once this reply is written.</summary>
    public bool CloseAfterReply;
    /// <summary>Set by CLIENT REPLY OFF/SKIP: this command's own reply is not sent.</summary>
    public bool SuppressReply;
    /// <summary>Set by CLIENT REPLY ON and RESET: they turn replies back on before replying, so their own reply is
    /// sent even when it was issued with replies off or skipped.</summary>
    public bool RepliesTurnedOn;

    public int Argc => Args.Length;
    public bool ArgIs(int index, string keyword) => Keywords.Is(Args[index], keyword);

    /// <summary>Runs <paramref name="def"/>'s session handler (typed here: the table below cannot name it).</summary>
    public static void Invoke(CommandDef def, SessionCall call)
    {
        if (def.SessionHandler is ServerHandler server) server(call.Server.Services, call.Args, call.Reply);
        else ((SessionHandler)def.SessionHandler!)(call);
    }

    /// <summary>Prepares the call for the next request: its arguments and reply target, every outcome flag cleared.</summary>
    public void Begin(CommandArgs args, CommandDef command, RespWriter reply)
    {
        Args = args;
        Command = command;
        Reply = reply;
        CloseAfterReply = false;
        SuppressReply = false;
        RepliesTurnedOn = false;
    }
}
