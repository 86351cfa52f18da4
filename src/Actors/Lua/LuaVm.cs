using AkkaRedis.Net.Resp;

namespace AkkaRedis.Actors.Lua;

/// <summary>Which of Redis's two Lua states a VM plays: EVAL scripts (globals KEYS/ARGV, f_&lt;sha&gt; functions) or
/// function libraries (redis.register_function at load, keys/args as parameters).</summary>
public enum LuaVmKind { Eval, Function }

/// <summary>How a script run ended: its reply (or its error) is written, or the bridge aborted it and nothing is.</summary>
public enum LuaCallResult { Completed, Aborted }

/// <summary>Script flags (SCRIPT_FLAG_* of script.h), from an EVAL shebang (<c>#!lua flags=no-writes,allow-oom</c>)
/// or a function's <c>flags</c> in redis.register_function.</summary>
[Flags]
public enum ScriptFlags
{
    None = 0,
    NoWrites = 1 << 0,
    AllowOom = 1 << 1,
    AllowStale = 1 << 2,
    NoCluster = 1 << 3,
    /// <summary>A script without a shebang (Redis's SCRIPT_FLAG_EVAL_COMPAT_MODE): the pre-7.0 rules.</summary>
    EvalCompatMode = 1 << 4,
    AllowCrossSlotKeys = 1 << 5,
}

/// <summary>One function a library registered while it loaded (redis.register_function).</summary>
public sealed record LuaFunctionRegistration(string Name, string? Description, ScriptFlags Flags);

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
    public LuaCallResult Call(string name, CommandArgs keys, CommandArgs argv, IRedisBridge bridge, RespWriter reply) =>
        throw new NotImplementedException();

    /// <summary>Function VMs: runs a library's code (without its shebang line) in its own environment, where only
    /// redis.register_function and the load-time API exist (functionsCreateWithLibraryCtx / luaEngineCreate): adds
    /// what it registered to <paramref name="registered"/>. Null, or Redis's error text without the leading '-'.
    /// A library of the same name already loaded here is replaced only if the load succeeds.</summary>
    public string? LoadLibrary(string library, ReadOnlySpan<byte> code, List<LuaFunctionRegistration> registered) =>
        throw new NotImplementedException();

    public void DropLibrary(string library) => throw new NotImplementedException();

    /// <summary>FCALL: calls a registered function with (keys, args) tables as its parameters.</summary>
    public LuaCallResult CallFunction(string library, string function, CommandArgs keys, CommandArgs argv, IRedisBridge bridge, RespWriter reply) =>
        throw new NotImplementedException();

    /// <summary>Bytes the Lua state uses (INFO used_memory_lua / used_memory_vm_eval).</summary>
    public long UsedMemory => 0;

    public void Dispose() { }
}
