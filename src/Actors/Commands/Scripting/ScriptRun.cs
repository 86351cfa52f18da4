using AkkaRedis.Actors.Lua;
using AkkaRedis.Net.Resp;

namespace AkkaRedis.Actors.Commands.Scripting;

/// <summary>One script or function call: what scriptPrepareForRun and the VM need.</summary>
/// <param name="Kind">Eval (EVAL*, SCRIPT KILL) or Function (FCALL*, FUNCTION KILL).</param>
/// <param name="Flags">The script's shebang flags or the function's registered flags (EvalCompatMode: none declared).</param>
/// <param name="ReadOnlyCommand">EVAL_RO, EVALSHA_RO, FCALL_RO.</param>
/// <param name="Name">The script's SHA or the function's name (the running-script registry, logs).</param>
/// <param name="State">The caller's own (EVAL: its <see cref="ScriptEntry"/>; FCALL: the library/function).</param>
public readonly record struct ScriptCall(
    LuaVmKind Kind, ScriptFlags Flags, bool ReadOnlyCommand, string Name, CommandArgs Keys, CommandArgs Argv, object? State);

/// <summary>Calls into the VM for one run: <c>vm.Call(...)</c> or <c>vm.CallFunction(...)</c>, writing the script's
/// reply into <paramref name="reply"/>. A static lambda, so that a call allocates no closure.</summary>
public delegate LuaCallResult ScriptInvoke(LuaVm vm, in ScriptCall call, IRedisBridge bridge, RespWriter reply);

/// <summary>
/// The run wrapper of EVAL and FCALL (Redis's scriptPrepareForRun, luaCallFunction's frame, scriptResetRun), against
/// the shards <see cref="ExecContext"/> holds: a shard (the declared keys all live there), or a Transaction-actor hold
/// (declared keys on several shards, no keys: every shard).
/// <para>
/// What it does: the flag checks before the run; registers the run (start time for -BUSY, killed/wrote flags for
/// SCRIPT KILL / FUNCTION KILL); runs the commands the script calls through a <see cref="ScriptBridge"/> (Redis's
/// scriptCall) in the caller's database and the protocol the VM asks for; gathers their write effects as one
/// MULTI ... EXEC block (the caller's CommandRunner.Run wraps them, as Redis 7.0 propagates a script's effects; one
/// command stays bare; inside EXEC they join the EXEC's block).
/// </para>
/// <para>
/// Keys the script did not declare, on shards this context does not hold: the bridge aborts the script, its reply is
/// dropped, what it wrote is put back from the undo journal (<see cref="ScriptUndo"/>, i13-undo) and its write effects
/// truncated, and <see cref="ExecContext.RerunHoldingEveryShard"/> is set: the shard stops its batch there and the
/// session sends the command to the Transaction actor holding every shard (the Transaction actor re-queues its own
/// such requests). Cost: the script's work up to that command is done twice, plus, while a run may abort, a copy of
/// each key it writes (one small array for a script's SET of a small string). A script that did something the
/// journal cannot take back (a big value written, a PUBLISH, keyspace notifications on) gets Redis Cluster's error
/// for that command instead (nothing is undone then, as in Redis Cluster).
/// </para>
/// <para>
/// On a session's thread (a shard batch run inline, <see cref="ExecContext.OnSessionThread"/>) a run must be able to
/// leave that thread, which also serves other connections: it yields (aborted as above, nothing of it kept,
/// <see cref="ExecContext.YieldToShardActor"/>) when it runs past <see cref="ScriptBridge.InlineBudget"/> or is about to
/// do what the journal cannot take back, and the shard's actor runs it again on its own thread, where -BUSY and SCRIPT
/// KILL work as in Redis. A script doing a few commands on small values never yields: its run costs no thread hop.
/// </para>
/// </summary>
public static class ScriptRun
{
    public const string WriteFlagOnReadOnlyCommand = "ERR Can not execute a script with write flag using *_ro command.";

    /// <summary>Runs <paramref name="call"/> in <paramref name="vm"/> (lent to this run by the caller), replying into
    /// ctx.Reply. With every shard held, or inside EXEC, it never aborts.</summary>
    public static void Run(ExecContext ctx, LuaVm vm, in ScriptCall call, ScriptInvoke invoke) => Run(ctx, vm, call, out _, invoke);

    /// <param name="reachedOtherShard">The script reached a key of a shard this context does not hold (it was aborted
    /// for a re-run, or failed with the cluster error after writing): worth routing holding every shard next time.</param>
    public static void Run(ExecContext ctx, LuaVm vm, in ScriptCall call, out bool reachedOtherShard, ScriptInvoke invoke)
    {
        reachedOtherShard = false;
        var reply = ctx.Reply;
        var compat = (call.Flags & ScriptFlags.EvalCompatMode) != 0;
        // scriptPrepareForRun: a script that declared flags and may write cannot run as *_RO.
        if (!compat && (call.Flags & ScriptFlags.NoWrites) == 0 && call.ReadOnlyCommand)
        {
            reply.Error(WriteFlagOnReadOnlyCommand);
            return;
        }
        var readOnly = call.ReadOnlyCommand || (!compat && (call.Flags & ScriptFlags.NoWrites) != 0);
        var bridge = ctx.ScriptBridge ??= new ScriptBridge(ctx);
        var canAbort = !ctx.InExec && !ctx.Keyspace.HoldsEveryPart;
        bridge.Begin(call.Kind, call.Name, readOnly, canAbort, ctx.DbIndex, ctx.Client, ctx.OnSessionThread && !ctx.InExec);

        // The commands the script calls run with this same context: what its current command left there comes back.
        var args = ctx.Args;
        var command = ctx.Command;
        var db = ctx.DbIndex;
        var client = ctx.Client;
        var now = ctx.Now;
        var inExec = ctx.InExec;
        var mayBlock = ctx.MayBlock;
        var request = ctx.Request;
        var start = reply.Length;
        var effectsStart = ctx.Effects.Count;
        var registry = ctx.Services.Scripts.Running;
        ctx.InExec = true;      // one effect block for the whole script, wrapped by the caller's CommandRunner.Run
        ctx.MayBlock = false;   // blocking commands answer at once, as inside MULTI
        ctx.Request = null;
        var scriptNow = ctx.ScriptNow;
        ctx.ScriptNow = now;    // the commands it calls see the script's start time (scriptTimeSnapshot)
        registry.Start(bridge.Script);
        try
        {
            invoke(vm, call, bridge, reply);
        }
        finally
        {
            registry.End(bridge.Script);
            ctx.Args = args;
            ctx.Command = command;
            ctx.Reply = reply;
            ctx.DbIndex = db;
            ctx.Client = client;
            ctx.Now = now;
            ctx.InExec = inExec;
            ctx.MayBlock = mayBlock;
            ctx.Request = request;
            ctx.ScriptNow = scriptNow;
        }
        // Stopped by SHUTDOWN NOSAVE: what it wrote is neither replicated nor appended (Redis exits before propagating).
        if (bridge.Script.StoppedForShutdown) ctx.Effects.Truncate(effectsStart);
        reachedOtherShard = bridge.ReachedOtherShard;
        if (vm.LastErrorFromCommand) ctx.ScriptErrorCounted = true;
        if (bridge.Aborted)
        {
            // Whatever the VM began to write goes: the re-run writes the reply. i13-undo: so do its writes and their
            // effects (lazy-expiry DELs included: the journal put those keys back, the re-run deletes them again).
            reply.Truncate(start);
            bridge.Undo.Undo();
            ctx.Effects.Truncate(effectsStart);
            if (bridge.Yielded) ctx.YieldToShardActor = true;
            else ctx.RerunHoldingEveryShard = true;
        }
        else bridge.Undo.Release(); // i13-undo: no copy outlives its run
    }
}
