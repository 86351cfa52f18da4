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
/// Keys the script did not declare, on shards this context does not hold: the bridge aborts the script before it
/// wrote anything, leaving no reply, and sets <see cref="ExecContext.RerunHoldingEveryShard"/>: the shard stops its
/// batch there and the session sends the command to the Transaction actor holding every shard (the Transaction actor
/// re-queues its own such requests). Cost: the script's work up to that command is done twice. A script that wrote
/// before it reaches such a key gets Redis Cluster's error for that command instead (nothing is undone, as in Redis).
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
        bridge.Begin(call.Kind, call.Name, readOnly, canAbort, ctx.DbIndex, ctx.Client);

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
        reachedOtherShard = bridge.ReachedOtherShard;
        if (bridge.Aborted)
        {
            // Whatever the VM began to write goes: the re-run writes the reply.
            reply.Truncate(start);
            ctx.RerunHoldingEveryShard = true;
        }
    }
}
