using AkkaRedis.Actors.Lua;
using AkkaRedis.Net.Resp;

namespace AkkaRedis.Actors.Commands.Scripting;

/// <summary>
/// FCALL's run (the part of fcallCommandGeneric after its checks): the engine's call of the function through the
/// EVAL family's run wrapper (<see cref="ScriptRun"/>: scriptPrepareForRun's flag checks, the BUSY/KILL registry, the
/// bridge, the write effects), in this context's function VM brought up to the registry's libraries.
/// </summary>
public static class FunctionRun
{
    public static void Run(ExecContext c, FunctionInfo function, int numkeys, bool readOnly)
    {
        var vm = (c.FunctionVm ??= new FunctionVm(c.Services.Functions)).Sync(out var error);
        if (vm == null)
        {
            c.Reply.Error(error!.StartsWith("ERR ", StringComparison.Ordinal) ? error : "ERR " + error);
            return;
        }
        // FUNCTION STATS shows the caller's command while the function runs (read from the session's thread, so a
        // copy, not the receive buffer's slices).
        var bridge = c.ScriptBridge ??= new ScriptBridge(c);
        bridge.Script.Command = c.Args.ToArrays();
        var keys = c.Args.Slice(3, numkeys);
        var argv = c.Args.Slice(3 + numkeys, c.Argc - 3 - numkeys);
        ScriptRun.Run(c, vm, new ScriptCall(LuaVmKind.Function, function.Flags, readOnly, function.Name, keys, argv, function),
            out var reachedOtherShard, Invoke);
        if (reachedOtherShard) c.Services.Functions.Routing.Learn(function);
    }

    private static readonly ScriptInvoke Invoke = static (LuaVm vm, in ScriptCall call, IRedisBridge bridge, RespWriter reply) =>
    {
        var function = (FunctionInfo)call.State!;
        return vm.CallFunction(function.Library.Name, function.Name, call.Keys, call.Argv, bridge, reply);
    };
}
