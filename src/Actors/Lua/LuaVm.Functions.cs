using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using AkkaRedis.Net.Resp;
using static AkkaRedis.Actors.Lua.LuaNative;

namespace AkkaRedis.Actors.Lua;

/// <summary>Function libraries inside a VM (function_lua.c): loading a library's code with
/// redis.register_function, calling a registered function with (keys, args).</summary>
public sealed unsafe partial class LuaVm
{
    /// <summary>While a library loads: the deadline (Environment.TickCount64) after which the hook stops it.</summary>
    private long _loadDeadline;

    public string? LoadLibrary(string library, ReadOnlySpan<byte> code, List<LuaFunctionRegistration> registered) =>
        throw new NotImplementedException();

    public void DropLibrary(string library) => throw new NotImplementedException();

    public LuaCallResult CallFunction(string library, string function, CommandArgs keys, CommandArgs argv, IRedisBridge bridge, RespWriter reply) =>
        throw new NotImplementedException();

    [UnmanagedCallersOnly(CallConvs = [typeof(CallConvCdecl)])]
    private static int RegisterFunction(IntPtr L) => RaiseTable(L, "redis.register_function can only be called on FUNCTION LOAD command");
}
