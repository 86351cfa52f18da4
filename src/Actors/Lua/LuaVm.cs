using AkkaRedis.Net.Resp;

namespace AkkaRedis.Actors.Lua;

/// <summary>Which of Redis's two Lua states a VM plays: EVAL scripts (globals KEYS/ARGV, f_&lt;sha&gt; functions) or
/// function libraries (redis.register_function at load, keys/args as parameters).</summary>
public enum LuaVmKind { Eval, Function }

/// <summary>
/// One Lua 5.1 state as Redis 7.0 sets it up (scriptingInit / luaRegisterRedisAPI): the sandbox, the libraries
/// (cjson, bit, struct, cmsgpack), the <c>redis</c> table. Not thread-safe: one thread at a time (see LuaVmPool).
/// STUB laid by the lead for issue 13; the lua helper fills it in (signatures may grow, not change meaning).
/// </summary>
public sealed partial class LuaVm : IDisposable
{
    public LuaVm(LuaVmKind kind) => Kind = kind;

    public LuaVmKind Kind { get; }

    /// <summary>Whether liblua5.1 (and cjson, bit) could be loaded on this machine; else <see cref="UnavailableReason"/>.</summary>
    public static bool Available => false;
    public static string? UnavailableReason => "not implemented yet";

    /// <summary>Compiles <paramref name="body"/> as the global function <paramref name="name"/> (EVAL: "f_&lt;sha1&gt;",
    /// luaCreateFunction). Null, or Redis's error text without the leading '-' ("ERR Error compiling script ...").</summary>
    public string? Define(string name, ReadOnlySpan<byte> body) => throw new NotImplementedException();

    public bool IsDefined(string name) => false;

    /// <summary>Runs the function <paramref name="name"/> with KEYS and ARGV set (luaCallFunction), bridging
    /// <c>redis.*</c> to <paramref name="bridge"/>; writes the result as Redis converts it (luaReplyToRedisReply), or the
    /// script's error, into <paramref name="reply"/> (in its Protocol).</summary>
    public void Call(string name, CommandArgs keys, CommandArgs argv, IRedisBridge bridge, RespWriter reply) =>
        throw new NotImplementedException();

    /// <summary>Bytes the Lua state uses (INFO used_memory_lua / used_memory_vm_eval).</summary>
    public long UsedMemory => 0;

    public void Dispose() { }
}
