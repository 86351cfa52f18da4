using System.Diagnostics;
using AkkaRedis.Actors.Lua;
using AkkaRedis.Actors.Server;
using AkkaRedis.Net.Resp;

namespace AkkaRedis.Actors.Commands.Scripting;

/// <summary>
/// What <c>redis.call</c>/<c>redis.pcall</c> reach: Redis 7.0's scriptCall (script.c) over the shards an
/// <see cref="ExecContext"/> holds. One per context (a shard, a Transaction-actor hold), reused for each run.
/// </summary>
public sealed class ScriptBridge : IRedisBridge
{
    /// <summary>REPL_NONE, REPL_AOF, REPL_SLAVE, REPL_ALL (PROPAGATE_AOF | PROPAGATE_REPL).</summary>
    private const int ReplAll = 3;
    private const int ReplReplica = 2;

    private readonly ExecContext _ctx;

    internal ScriptBridge(ExecContext ctx) => _ctx = ctx;

    /// <summary>The run that scriptPrepareForRun set up (flags, start, kill), registered while it runs.</summary>
    public RunningScript Script { get; } = new();

    /// <summary>SCRIPT_READ_ONLY: EVAL_RO/FCALL_RO, or a no-writes script.</summary>
    internal bool ReadOnly;
    /// <summary>SCRIPT_WRITE_DIRTY: a write command was called.</summary>
    internal bool Dirty;
    /// <summary>May ask for a re-run holding every shard (not inside EXEC, not already holding every shard).</summary>
    internal bool CanAbort;
    internal bool Aborted;
    /// <summary>Aborted to leave the session's thread it ran on (<see cref="ExecContext.YieldToShardActor"/>).</summary>
    internal bool Yielded;
    /// <summary>Running on a session's thread: the Stopwatch timestamp after which the count hook makes it yield
    /// (long.MaxValue otherwise).</summary>
    private long _yieldAfter = long.MaxValue;
    /// <summary>A command reached a key (or the whole keyspace) beyond the held shards.</summary>
    internal bool ReachedOtherShard;
    internal int ReplFlags;
    /// <summary>i13-undo: the before-images of what this run changed, while it may still abort (ScriptUndo).</summary>
    internal readonly ScriptUndo Undo = new();
    /// <summary>The script's database: its caller's, until the script SELECTs another (7.0: for the script only).</summary>
    internal int Db;
    internal ClientLabel? Client;

    /// <summary>How long a script may run on a session's thread before it yields to its shard's actor: well under
    /// any busy-reply-threshold that matters, so a script that runs long is always on an actor's thread by the time
    /// -BUSY and SCRIPT KILL concern it, while the connections that share the session's socket thread wait no longer
    /// than for a slow command. The count hook checks it every 100,000 instructions.</summary>
    internal static readonly long InlineBudget = Stopwatch.Frequency / 500; // 2 ms

    /// <param name="onSessionThread">Run inline on a session's thread: it must stay abortable to the end (strict undo
    /// journal) and yields when it runs past <see cref="InlineBudget"/>.</param>
    internal void Begin(LuaVmKind kind, string name, bool readOnly, bool canAbort, int db, ClientLabel? client,
        bool onSessionThread = false)
    {
        Script.Kind = kind;
        Script.Name = name;
        ReadOnly = readOnly;
        CanAbort = canAbort || onSessionThread;
        Undo.Begin(canAbort, strict: onSessionThread); // i13-undo
        _yieldAfter = onSessionThread ? Stopwatch.GetTimestamp() + InlineBudget : long.MaxValue;
        Aborted = false;
        Yielded = false;
        ReachedOtherShard = false;
        _slowLogged = false;
        Dirty = false;
        ReplFlags = ReplAll;
        Db = db;
        Client = client;
    }

    public bool Call(CommandArgs argv, RespWriter reply)
    {
        var def = Lookup(argv);
        var error = Verify(def, argv);
        if (error != null)
        {
            if (error.Length == 0) return false; // abort: re-run holding every shard
            reply.Error(error);
            // scriptCall's error path: afterErrorReply counts the error, incrCommandStatsOnError the command as rejected.
            _ctx.Stats.Error(reply.LastErrorCode ?? "ERR");
            if (def != null) _ctx.Stats.Rejected(def);
            return true;
        }
        if (def!.IsWrite)
        {
            Dirty = true;
            Script.Wrote = true;
        }
        if (def.Execution == Execution.Session || def.Execution == Execution.Actor)
        {
            // i13-undo: subscribers cannot be told to forget a message.
            if (def.Name == "publish")
            {
                Undo.Irreversible();
                if (Undo.MustYield) return Yield();
            }
            RunConnectionCommand(def, argv, reply);
            // As call() feeds monitors, after the command: a SELECT shows its new database.
            _ctx.Services.Scripts.Monitor?.Invoke(Db, def, argv);
            return true;
        }
        // i13-undo: the keys Reachable found (every one held) keep their before-images while the run may abort.
        if (Undo.Active)
        {
            Undo.BeforeCommand(_ctx, Db, def, argv, _keys);
            if (Undo.MustYield) return Yield();
        }
        var effectsBefore = _ctx.Effects.Count;
        CommandRunner.Run(_ctx, def, argv, reply, Db, Client);
        _ctx.Services.Scripts.Monitor?.Invoke(Db, def, argv);
        // redis.set_repl(redis.REPL_NONE): the command runs without being propagated. There is one effect stream
        // here (replicas and AOF read the same), so REPL_AOF and REPL_SLAVE alone propagate to both.
        if (ReplFlags == 0) _ctx.Effects.Truncate(effectsBefore);
        return true;
    }

    /// <summary>lookupCommand: the command, or the subcommand when there is an argument after a container.</summary>
    private CommandDef? Lookup(CommandArgs argv)
    {
        if (argv.Length == 0) return null;
        var def = _ctx.Services.Commands.Find(argv[0].Span);
        if (def?.Subcommands == null || argv.Length == 1) return def;
        var name = argv[1].Span;
        if (name.Length > 64) return null;
        Span<char> chars = stackalloc char[name.Length];
        for (var i = 0; i < name.Length; i++) chars[i] = (char)name[i];
        return def.Subcommands.GetAlternateLookup<ReadOnlySpan<char>>().TryGetValue(chars, out var sub) ? sub : null;
    }

    /// <summary>scriptCall's checks, in its order: null when the command may run; "" to abort the script (a key or
    /// whole keyspace this context does not hold, before the script wrote); else the error reply.</summary>
    private string? Verify(CommandDef? def, CommandArgs argv)
    {
        if (def == null) return argv.Length == 0
            ? "ERR Please specify at least one argument for this redis lib call"
            : "ERR Unknown Redis command called from script";
        if (!def.ArityOk(argv.Length)) return "ERR Wrong number of args calling Redis command from script";
        if ((def.Flags & CommandFlags.NoScript) != 0) return "ERR This Redis command is not allowed from script";
        // scriptVerifyWriteCommandAllow: may-replicate commands count as writes for read-only scripts.
        if (ReadOnly && def.MayReplicate) return "ERR Write commands are not allowed from read-only scripts.";
        if (BlockOption(def, argv)) return $"ERR {def.Name} command is not allowed with BLOCK option from scripts";
        if (Reachable(def, argv)) return null;
        ReachedOtherShard = true;
        // Redis standalone runs any key; here the shards not held are out of reach. The script is run again holding
        // every shard: nothing it did stays visible (its reply is not written, ScriptRun takes its writes back from
        // the undo journal, i13-undo). When the journal could not keep everything (a big value, a PUBLISH, keyspace
        // notifications: ScriptUndo) the command fails as in Redis Cluster instead.
        if (CanAbort && Undo.Complete)
        {
            Aborted = true;
            _ctx.RerunHoldingEveryShard = true;
            return "";
        }
        return "ERR Script attempted to access a non local key in a cluster node";
    }

    /// <summary>xreadCommand refuses BLOCK for a script's client (CLIENT_SCRIPT) while it parses its options, before
    /// STREAMS.</summary>
    private static bool BlockOption(CommandDef def, CommandArgs argv)
    {
        if (def.Name is not ("xread" or "xreadgroup")) return false;
        for (var i = 1; i + 1 < argv.Length; i++)
        {
            if (Keywords.Is(argv[i], "streams")) return false;
            if (Keywords.Is(argv[i], "block")) return true;
        }
        return false;
    }

    private readonly List<int> _keys = new();

    /// <summary>Whether every key <paramref name="def"/> touches is in a held shard (every shard for whole-keyspace
    /// commands and keys that may be anywhere).</summary>
    private bool Reachable(CommandDef def, CommandArgs argv)
    {
        var keyspace = _ctx.Keyspace;
        if (def.Execution is Execution.AllShards or Execution.ScatterGather) return keyspace.HoldsEveryPart;
        if (def.Execution != Execution.Shard) return true;
        if (def.Route != null) return keyspace.HoldsEveryPart; // SCAN's cursor names any shard
        _keys.Clear();
        def.GetKeys(argv, _keys);
        if (def.RoutingKeys != null && !def.RoutingKeys(argv, _keys)) return keyspace.HoldsEveryPart;
        foreach (var k in _keys)
            if (!keyspace.Holds(argv[k].Span)) return false;
        return true;
    }

    /// <summary>
    /// The connection-level commands a script may call, run here since no session runs under a script: SELECT (the
    /// script's own database, as 7.0), PING, ECHO, TIME, PUBLISH. Other connection and server commands would need
    /// their session or their actor: refused with an error naming them.
    /// </summary>
    private void RunConnectionCommand(CommandDef def, CommandArgs argv, RespWriter reply)
    {
        var errorsBefore = reply.ErrorCount;
        var t0 = Stopwatch.GetTimestamp();
        switch (def.Name)
        {
            case "select":
                if (!long.TryParse(argv[1].Span, System.Globalization.NumberStyles.AllowLeadingSign, System.Globalization.CultureInfo.InvariantCulture, out var db) ||
                    db < int.MinValue || db > int.MaxValue)
                    reply.Error(Errors.NotInteger);
                else if (db < 0 || db >= _ctx.Config.Databases) reply.Error(Errors.DbIndexOutOfRange);
                else
                {
                    Db = (int)db;
                    reply.Ok();
                }
                break;
            case "ping":
                if (argv.Length == 1) reply.SimpleString("PONG");
                else if (argv.Length == 2) reply.Bulk(argv[1].Span);
                else reply.Error("ERR wrong number of arguments for 'ping' command");
                break;
            case "echo":
                reply.Bulk(argv[1].Span);
                break;
            case "time":
                var us = (DateTimeOffset.UtcNow - DateTimeOffset.UnixEpoch).Ticks / 10;
                reply.ArrayHeader(2);
                reply.BulkInteger(us / 1_000_000);
                reply.BulkInteger(us % 1_000_000);
                break;
            case "publish":
                reply.Integer(_ctx.Services.PubSub.Publish(argv[1].Span, argv[2].Span));
                // publishCommand's forceCommandPropagation(c, PROPAGATE_REPL): replicas get it among the script's
                // effects (the AOF writer leaves PUBLISH out), unless redis.set_repl took replicas away.
                if ((ReplFlags & ReplReplica) != 0) _ctx.Effects.Verbatim(Db, argv);
                break;
            default:
                reply.Error($"ERR '{def.Name}' cannot run inside a script on this server");
                break;
        }
        CommandRunner.Record(_ctx.Services, _ctx.Stats, def, reply, errorsBefore, t0, argv, Client);
    }

    /// <summary>Aborts the run to go on on its shard's actor (false: what <see cref="Call"/> answers to abort).</summary>
    private bool Yield()
    {
        Aborted = true;
        Yielded = true;
        return false;
    }

    /// <summary>redis.acl_check_cmd: every user may run every command here (no ACL users yet); null for an unknown
    /// command, as luaRedisAclCheckCmdPermissionsCommand's lookupCommand.</summary>
    public bool? AclCheck(CommandArgs argv) => Lookup(argv) == null ? null : true;

    public void SetRepl(int flags) => ReplFlags = flags;

    public void Log(int level, string message) => _ctx.Services.Scripts.Log(level, message);

    private bool _slowLogged;

    /// <summary>The count hook (scriptInterrupt): a script on a session's thread past its budget yields (aborted,
    /// nothing of it kept: the shard's actor runs it again); otherwise logs once that the script is slow, as Redis
    /// does when it enters its timed-out mode, and tells the VM whether SCRIPT KILL / FUNCTION KILL marked it
    /// killed.</summary>
    public Interruption Interrupt()
    {
        if (Stopwatch.GetTimestamp() > _yieldAfter)
        {
            Yield();
            return Interruption.Abort;
        }
        if (!_slowLogged)
        {
            var elapsed = Script.ElapsedMs;
            if (elapsed >= _ctx.Config.BusyReplyThreshold)
            {
                _slowLogged = true;
                _ctx.Services.Scripts.Log(3, $"Slow script detected: still in execution after {elapsed} milliseconds. " +
                    $"You can try killing the script using the {(Script.Kind == LuaVmKind.Eval ? "SCRIPT KILL" : "FUNCTION KILL")} command. " +
                    $"Script name is: {Script.Name}.");
            }
        }
        return Script.Killed ? Interruption.Kill : Interruption.None;
    }
}
