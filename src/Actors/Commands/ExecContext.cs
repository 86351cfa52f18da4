using AkkaRedis.Actors.Server;
using AkkaRedis.Actors.Storage;
using AkkaRedis.Net.Resp;

namespace AkkaRedis.Actors.Commands;

/// <summary>
/// What a keyspace handler sees: its arguments, the keyspace part it may touch, and where to write its reply.
/// One instance per shard (and one in the Transaction actor), reused for every command: no allocation per command.
/// </summary>
public sealed class ExecContext : IKeyspaceEvents
{
    /// <param name="stats">The owner's statistics cell (a new one when omitted).</param>
    public ExecContext(CommandServices services, IKeyspace keyspace, StatsCell? stats = null)
    {
        Services = services;
        Keyspace = keyspace;
        Stats = stats ?? services.Stats.NewCell();
    }

    /// <summary>The statistics of the actor that runs this context (shard or Transaction actor).</summary>
    public StatsCell Stats { get; }

    /// <summary>For the runner's bookkeeping (diagnostics, statistics); handlers use <see cref="Config"/>.</summary>
    internal CommandServices Services { get; }
    public IKeyspace Keyspace { get; }
    public ServerConfig Config => Services.Config;
    /// <summary>Replication id and save times (DEBUG CHANGE-REPL-ID).</summary>
    public ServerRuntime Runtime => Services.Runtime;

    public CommandArgs Args = CommandArgs.Empty;
    public RespWriter Reply = null!;
    public CommandDef Command = null!;
    public int DbIndex;
    /// <summary>Unix time in ms, sampled once per command as Redis does.</summary>
    public long Now;

    /// <summary>Nonzero while a script runs: its start time, which the commands it calls take as their
    /// <see cref="Now"/> (Redis 7.0's keyIsExpired uses scriptTimeSnapshot() under server.script_caller, so a key
    /// cannot expire in the middle of a script); it also spares each such command a clock read.</summary>
    public long ScriptNow;

    public int Argc => Args.Length;

    /// <summary>This context's Lua state for functions (FCALL), created at its first FCALL.</summary>
    public Scripting.FunctionVm? FunctionVm;

    /// <summary>What the commands run with this context changed, for replicas and the AOF.</summary>
    public WriteEffects Effects { get; } = new();

    /// <summary>Propagates the request as the client sent it (the usual effect of a write that changed something).</summary>
    public void Propagate() => Effects.Verbatim(DbIndex, Args);

    /// <summary>Propagates a rewritten command of <paramref name="argc"/> arguments instead (Redis's
    /// rewriteClientCommandVector): <c>c.Effect(2).Arg("DEL").Arg(key)</c>.</summary>
    public WriteEffects.Builder Effect(int argc) => Effects.Begin(DbIndex, argc);

    /// <summary>A key a command deleted because the time it was given is already past (EXPIRE, GETEX EXAT...): Redis's
    /// expire commands propagate DEL, or UNLINK under lazyfree-lazy-expire.</summary>
    public void PropagateExpiredDeletion(ReadOnlySpan<byte> key) =>
        Effect(2).Arg(Config.LazyfreeLazyExpire ? "UNLINK"u8 : "DEL"u8).Arg(key);

    /// <summary>A key expired when a command looked it up (or in an active expire cycle): Redis propagates a DEL
    /// at once (deleteExpiredKeyAndPropagate), before the command's own effect.</summary>
    /// <remarks>As deleteExpiredKeyAndPropagate: the <c>expired</c> event, signalModifiedKey, then the DEL.</remarks>
    public void KeyExpired(Database db, ReadOnlySpan<byte> key)
    {
        Notify(ServerConfig.NotifyExpired, "expired", key, db.Index);
        // deleteExpiredKeyAndPropagate's signalModifiedKey(NULL, ...): no client modified it (NOLOOP does not apply).
        KeyModified(db, key, modifier: 0);
        Effects.Begin(db.Index, 2).Arg(Config.LazyfreeLazyExpire ? "UNLINK"u8 : "DEL"u8).Arg(key);
    }

    /// <summary>CLIENT PAUSE (WRITE or ALL) is in effect: expired keys stay until it ends.</summary>
    public bool ExpiryPaused => Services.Pause.Paused;

    /// <summary>The connection whose command runs (its id: NOLOOP, invalidation order; WATCH finds its
    /// <see cref="ClientLabel.Watch"/> here); null for the server's own work.</summary>
    public ClientLabel? Client;
    /// <summary>The running command's position in its connection's received batch, set by the shard (-1 elsewhere): an
    /// invalidation the command causes to its own connection follows that command's reply (Redis's
    /// tracking_pending_keys, sent in afterCommand).</summary>
    public int Position = -1;

    /// <summary>dbAdd's <c>new</c> event (NOTIFY_NEW): with notifications off a new key costs this call and
    /// <see cref="Notify"/>'s inlined flags check.</summary>
    public void KeyAdded(Database db, ReadOnlySpan<byte> key, RedisType type)
    {
        Notify(ServerConfig.NotifyNew, "new", key, db.Index);
    }

    /// <summary>lookupKey's <c>keymiss</c> event (NOTIFY_KEY_MISS) for a read that found no key.</summary>
    public void KeyMissed(Database db, ReadOnlySpan<byte> key)
    {
        Notify(ServerConfig.NotifyKeyMiss, "keymiss", key, db.Index);
    }

    // ---- what a write tells the rest of the server (issue 11) ----------------------------------------------------

    /// <summary>
    /// Redis's signalModifiedKey: <paramref name="key"/> of <paramref name="db"/> was changed by this command (or
    /// deleted, expired, evicted, renamed, flushed). Every family calls it where Redis calls signalModifiedKey: WATCH
    /// (touchWatchedKey) and client-side caching (trackingInvalidateKey) learn of the change here.
    /// </summary>
    public void KeyModified(Database db, ReadOnlySpan<byte> key)
    {
        // server.dirty++ (one change per modified key): the shard's own counter, no shared one.
        db.Stats.Dirty++;
        KeyModified(db, key, Client?.Id ?? 0);
    }

    /// <param name="modifier">The client that modified the key (signalModifiedKey's c), 0 for the server itself
    /// (expiry, eviction).</param>
    private void KeyModified(Database db, ReadOnlySpan<byte> key, long modifier)
    {
        // touchWatchedKey; a database nobody watches costs this null check.
        db.Watched?.Touch(db, key);
        // trackingInvalidateKey: a null check while no client tracks a key of this shard.
        db.Tracking?.Invalidate(key, modifier, Position);
    }

    /// <summary>
    /// Redis's signalFlushedDb (FLUSHDB, FLUSHALL), called once per command: client-side caching forgets every key of
    /// every shard and each tracking client gets one null invalidation (trackingInvalidateKeysOnFlush).
    /// </summary>
    public void SignalFlushedDb(int dbid)
    {
        var tracking = Services.Tracking;
        if (tracking == null) return;
        for (var part = 0; part < Keyspace.PartCount; part++) Keyspace.Part(part, 0)?.Tracking?.Clear();
        tracking.Flushed(Client?.Id ?? 0);
    }

    /// <summary>
    /// Redis's signalKeyAsReady: a list, sorted set or stream at <paramref name="key"/> may now serve clients blocked on
    /// it (dbAdd of a new key of that type, XADD, XGROUP CREATE...). The shard serves them after the whole command,
    /// EXEC or script.
    /// </summary>
    public void SignalKeyAsReady(Database db, ReadOnlySpan<byte> key, RedisType type) => db.Waiting?.Signal(db, key);

    /// <summary>
    /// Redis's notifyKeyspaceEvent: when notify-keyspace-events enables <paramref name="type"/> (ServerConfig.Notify*),
    /// publishes <c>__keyspace@db__:key event</c> and/or <c>__keyevent@db__:event key</c>. <paramref name="db"/>
    /// defaults to the command's database (MOVE and COPY name the other one). Inlined into the handlers, so that with
    /// notify-keyspace-events off (the default) an event costs the flags check and nothing else.
    /// </summary>
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveInlining)]
    public void Notify(int type, string @event, ReadOnlySpan<byte> key, int db = -1)
    {
        if ((Config.NotifyKeyspaceEvents & type) != 0) Publish(@event, key, db);
    }

    private void Publish(string @event, ReadOnlySpan<byte> key, int db)
    {
        var flags = Config.NotifyKeyspaceEvents;
        if (db < 0) db = DbIndex;
        var prefixLength = 14 + Digits(db); // "__keyspace@" + db + "__:" ("__keyevent@" is as long)
        if ((flags & ServerConfig.NotifyKeyspace) != 0)
        {
            var channel = new byte[prefixLength + key.Length];
            WriteChannelPrefix(channel, "__keyspace@", db);
            key.CopyTo(channel.AsSpan(prefixLength));
            Services.PubSub.Publish(channel, System.Text.Encoding.ASCII.GetBytes(@event));
        }
        if ((flags & ServerConfig.NotifyKeyevent) != 0)
        {
            var channel = new byte[prefixLength + @event.Length];
            WriteChannelPrefix(channel, "__keyevent@", db);
            System.Text.Encoding.ASCII.GetBytes(@event, channel.AsSpan(prefixLength));
            Services.PubSub.Publish(channel, key);
        }
    }

    private static int Digits(int n) => n < 10 ? 1 : n < 100 ? 2 : n.ToString(System.Globalization.CultureInfo.InvariantCulture).Length;

    private static void WriteChannelPrefix(Span<byte> channel, string kind, int db)
    {
        var at = System.Text.Encoding.ASCII.GetBytes(kind, channel);
        db.TryFormat(channel[at..], out var written, default, System.Globalization.CultureInfo.InvariantCulture);
        at += written;
        "__:"u8.CopyTo(channel[at..]);
    }

    /// <summary>Set while a blocking command (BLPOP, XREAD BLOCK...) runs as a request that may wait in its shard; false
    /// inside EXEC and scripts (and in any ordinary batch), where Redis answers such a command as if it had timed out.</summary>
    public bool MayBlock;


    /// <summary>Set while EXEC runs its queue: the commands' effects are wrapped in one MULTI ... EXEC for the whole
    /// queue, not one per command (Redis does not nest MULTI).</summary>
    public bool InExec;

    /// <summary>Set by a script that reached a key of a shard this context does not hold before it wrote anything
    /// (Scripting.ScriptRun): the command wrote no reply and must run again with every shard held; whoever runs
    /// the context (shard, Transaction actor) sees it after CommandRunner.Run, clears it and arranges the re-run.</summary>
    public bool RerunHoldingEveryShard;

    /// <summary>Set while a session runs this shard context's batch on its own (socket) thread under the shard's gate
    /// (Keyspace.ShardGate): a script may not stay there long (Scripting.ScriptRun yields it to the shard actor).</summary>
    public bool OnSessionThread;

    /// <summary>Set by a script run on a session's thread that must leave it (it ran past the inline budget, or was
    /// about to do something the undo journal cannot take back): like <see cref="RerunHoldingEveryShard"/> nothing of
    /// it stays, and the shard's actor runs it again, from this command on, on its own thread.</summary>
    public bool YieldToShardActor;

    /// <summary>Set by a script whose error reply a redis.call raised (LuaVm.LastErrorFromCommand): CommandRunner counts
    /// it in failed_calls but not again in errorstats, as Redis's ignore_error_stats_update.</summary>
    public bool ScriptErrorCounted;

    /// <summary>The script bridge of this context, made at its first script (reused: one script at a time here).</summary>
    internal Scripting.ScriptBridge? ScriptBridge;

    /// <summary>The blocking request being attempted (first attempt, or served from a ready key); null otherwise.</summary>
    public BlockedRequest? Request;

    /// <summary>When a parked request is served: the argument index of the ready key it is served from (Redis 7.0
    /// serves a waiter from the key that became ready, not from its first non-empty key); -1 otherwise.</summary>
    public int ServeKey = -1;

    /// <summary>A blocking handler about to answer (served, or an error it found): false when another party already
    /// answered the request (its timeout, CLIENT UNBLOCK, its client left), and the handler must leave everything as
    /// it is. Always true outside blocking requests.</summary>
    public bool Claim() => Request == null || Request.TryClaim();

    /// <summary>
    /// The pop-like commands' key scan ([B]LPOP/[B]RPOP, [B]LMPOP, BZPOPMIN/MAX, [B]ZMPOP): the first key among arguments
    /// <paramref name="firstKey"/>..<paramref name="lastKey"/> holding a value (only the ready key when a parked waiter
    /// is served), claimed for this request. False when the command has answered already (WRONGTYPE, or another party
    /// answered the waiter) or when no key holds a value (<paramref name="index"/> is then -1).
    /// </summary>
    public bool TryClaimFirstNonEmpty(RedisType type, int firstKey, int lastKey, out int index, out Database db, out KeyEntry obj)
    {
        for (index = firstKey; index <= lastKey; index++)
        {
            if (ServeKey >= 0 && index != ServeKey) continue;
            var key = Args[index];
            db = Db(key);
            obj = db.LookupWrite(key, Now);
            if (!obj.Exists) continue;
            if (WrongType(obj, type) || !Claim()) break;
            return true;
        }
        if (index > lastKey) index = -1;
        db = null!;
        obj = default;
        return false;
    }

    /// <summary>Nothing to serve: the request waits (<see cref="Block"/>) when it may, else it answers as a timed-out
    /// one (a null array); <paramref name="deadline"/> below 0 means a command that never blocks (LMPOP, ZMPOP).</summary>
    public void BlockOrAnswerNull(RedisType type, long deadline, int firstKey, int lastKey)
    {
        if (deadline >= 0 && MayBlock) Block(type, deadline, firstKey, lastKey);
        else Reply.NullArray();
    }

    /// <summary>
    /// blockForKeys: nothing to serve and the command may block (<see cref="MayBlock"/>): the request waits on the keys at
    /// arguments <paramref name="firstKey"/>..<paramref name="lastKey"/> for a key of <paramref name="type"/>, until
    /// <paramref name="deadline"/> (absolute unix ms, 0 = for ever). The handler writes no reply. When a parked request
    /// is offered a ready key it cannot use, it calls this again and keeps its place.
    /// </summary>
    public void Block(RedisType type, long deadline, int firstKey, int lastKey, object? state = null)
    {
        var request = Request ?? throw new InvalidOperationException("Block outside a blocking request");
        request.Blocked = true;
        if (ServeKey >= 0) return;
        request.WaitType = type;
        request.Deadline = deadline;
        request.FirstKey = firstKey;
        request.LastKey = lastKey;
        request.State = state;
    }

    /// <summary>Set by a handler run under the Transaction actor (DEBUG SLEEP) to keep the shards held this long.</summary>
    public TimeSpan? HoldFor;

    /// <summary>The database (of the right shard) that holds <paramref name="key"/> in the selected db.</summary>
    public Database Db(ReadOnlySpan<byte> key) => Keyspace.For(DbIndex, key);

    public Database Db(int dbIndex, ReadOnlySpan<byte> key) => Keyspace.For(dbIndex, key);

    /// <summary>Redis's checkType: true, after replying WRONGTYPE, when <paramref name="obj"/> exists and holds
    /// another type than <paramref name="type"/>.</summary>
    public bool WrongType(Storage.KeyEntry obj, Storage.RedisType type)
    {
        if (!obj.Exists || obj.Type == type) return false;
        Reply.Error(Errors.WrongType);
        return true;
    }

    /// <summary>Case-insensitive comparison of argument <paramref name="index"/> with an ASCII keyword.</summary>
    public bool ArgIs(int index, string keyword) => Keywords.Is(Args[index], keyword);
}

public static class Keywords
{
    public static bool Is(ReadOnlySpan<byte> arg, string keyword)
    {
        if (arg.Length != keyword.Length) return false;
        for (var i = 0; i < arg.Length; i++)
        {
            var a = arg[i];
            if (a >= 'A' && a <= 'Z') a = (byte)(a + 32);
            var k = keyword[i];
            if (k >= 'A' && k <= 'Z') k = (char)(k + 32);
            if (a != k) return false;
        }
        return true;
    }
}

/// <summary>Redis's error replies, worded exactly as Redis 7.0 words them.</summary>
public static class Errors
{
    public const string WrongType = "WRONGTYPE Operation against a key holding the wrong kind of value";
    public const string Syntax = "ERR syntax error";
    public const string NotInteger = "ERR value is not an integer or out of range";
    public const string NotFloat = "ERR value is not a valid float";
    public const string Overflow = "ERR increment or decrement would overflow";
    public const string NoSuchKey = "ERR no such key";
    public const string IndexOutOfRange = "ERR index out of range";
    public const string DbIndexOutOfRange = "ERR DB index is out of range";
    public const string NotPositive = "ERR value is out of range, must be positive";
    public static string InvalidExpire(string command) => $"ERR invalid expire time in '{command}' command";
}
