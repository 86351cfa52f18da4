using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using AkkaRedis.Net.Resp;
using static AkkaRedis.Actors.Lua.LuaNative;

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
/// (cjson, bit, struct, cmsgpack), the <c>redis</c> table. Not thread-safe: one thread at a time.
/// </summary>
/// <remarks>
/// The main thread's stack keeps the state's fixed values in its first slots (the sandboxed globals, the real
/// globals, the error handler...), so a call finds them without a registry lookup. Scripts run under lua_pcall
/// with Redis's error handler; C# callbacks (LuaVm.Callbacks.cs) never raise, they return (E, error) to a Lua
/// wrapper. The current VM of a thread is found by the callbacks through a thread-static field.
/// </remarks>
public sealed unsafe partial class LuaVm : IDisposable
{
    // The main thread's stack holds the error handler only, below every call, as Redis's does: a script's result is
    // converted with the same stack room left as in Redis (the "reached lua stack limit" depth is the same).
    private const int SlotHandler = 1;
    private const int FixedSlots = 1;
    private const int PreludeResults = 6; // env, real globals, handler, set_loading, readonly, protected
    private int _realGlobalsRef, _setLoadingRef;

    /// <summary>The marker a callback answers first to ask its Lua wrapper to raise (never seen by scripts).</summary>
    internal static readonly IntPtr ErrorMarker = 0x5C51;

    /// <summary>Redis's luaCallFunction: a GC step every 50 calls (LUA_GC_CYCLE_PERIOD).</summary>
    private const int GcCyclePeriod = 50;

    /// <summary>Redis's count hook period (luaMaskCountHook every 100,000 instructions).</summary>
    private const int HookInstructions = 100_000;

    [ThreadStatic] private static LuaVm? t_current;

    private IntPtr _L;
    private readonly Dictionary<string, int> _functions = new(StringComparer.Ordinal);
    private IRedisBridge? _bridge;
    private readonly RespWriter _callReply = new(256);
    private byte[] _argArena = new byte[256];
    private ArgSlice[] _argSlices = new ArgSlice[8];
    private int _resp = 2;
    /// <summary>0 running, 1 killed (bridge.Interrupt), 2 aborted (bridge.Call returned false, or bridge.Interrupt), 3 load
    /// timeout.</summary>
    private int _state;
    private int _gcCount;
    /// <summary>redisLrand48's state; Redis 7.0.15 keeps one sequence for the server's life (not reseeded per call),
    /// starting from rand.c's X2:X1:X0.</summary>
    private ulong _rand48 = 0x1234_ABCD_330EUL;
    private long _usedMemory;

    public LuaVm(LuaVmKind kind)
    {
        Kind = kind;
        if (!Available) throw new InvalidOperationException("Lua is not available: " + UnavailableReason);
        _L = luaL_newstate();
        if (_L == IntPtr.Zero) throw new OutOfMemoryException("luaL_newstate");
        var previous = t_current;
        t_current = this;
        try
        {
            Initialize();
        }
        finally
        {
            t_current = previous;
        }
        _usedMemory = ReadUsedMemory();
    }

    public LuaVmKind Kind { get; }

    /// <summary>Whether liblua5.1 (and cjson, bit) could be loaded on this machine; else <see cref="UnavailableReason"/>.</summary>
    public static bool Available => LuaNative.Available;
    public static string? UnavailableReason => LuaNative.UnavailableReason;

    /// <summary>The protocol redis.call replies are converted from (2, or 3 after redis.setresp(3)) during the
    /// current call.</summary>
    public int ScriptResp => _resp;

    /// <summary>Whether the last error written by <see cref="Call"/> / <see cref="CallFunction"/> was raised by a
    /// redis.call whose command already counted the error (Redis's ignore_error_stats_update).</summary>
    public bool LastErrorFromCommand { get; private set; }

    private void Initialize()
    {
        var L = _L;
        // luaLoadLibraries: base, table, string, math, debug, then cjson, bit (native), struct and cmsgpack (ours).
        OpenLib(luaopen_base, ""u8);
        OpenLib(luaopen_table, "table"u8);
        OpenLib(luaopen_string, "string"u8);
        OpenLib(luaopen_math, "math"u8);
        OpenLib(luaopen_debug, "debug"u8);
        OpenModule(luaopen_cjson, "cjson"u8);
        OpenModule(luaopen_bit, "bit"u8);
        lua_settop(L, 0);

        var source = System.Text.Encoding.UTF8.GetBytes(LuaPrelude.Source);
        int rc;
        fixed (byte* p = source)
        fixed (byte* name = "=__redis\0"u8)
            rc = luaL_loadbuffer(L, p, (nuint)source.Length, name);
        if (rc != 0) throw new InvalidOperationException("Lua prelude: " + TopString(L));
        PushCallbacks(L);
        lua_pushlightuserdata(L, ErrorMarker);
        PushString(L, Kind == LuaVmKind.Eval ? "eval"u8 : "function"u8);
        if (lua_pcall(L, 3, PreludeResults, 0) != 0) throw new InvalidOperationException("Lua prelude: " + TopString(L));
        // From now on every function compiled in this state (scripts, loadstring, coroutines) sees the sandbox.
        lua_pushvalue(L, 1);
        lua_replace(L, LUA_GLOBALSINDEX);
        lua_pushvalue(L, 2);
        _realGlobalsRef = luaL_ref(L, LUA_REGISTRYINDEX);
        lua_pushvalue(L, 4);
        _setLoadingRef = luaL_ref(L, LUA_REGISTRYINDEX);
        lua_pushvalue(L, 3);
        lua_replace(L, SlotHandler);
        lua_settop(L, FixedSlots);
        lua_sethook(L, (IntPtr)(delegate* unmanaged[Cdecl]<IntPtr, IntPtr, void>)&CountHook, LUA_MASKCOUNT, HookInstructions);
    }

    private void OpenLib(IntPtr opener, ReadOnlySpan<byte> name)
    {
        lua_pushcclosure(_L, opener, 0);
        PushString(_L, name);
        if (lua_pcall(_L, 1, 0, 0) != 0) throw new InvalidOperationException("Lua library: " + TopString(_L));
    }

    /// <summary>cjson and bit: their opener returns the module table, which Redis exposes as a global.</summary>
    private void OpenModule(IntPtr opener, ReadOnlySpan<byte> name)
    {
        lua_pushcclosure(_L, opener, 0);
        PushString(_L, name);
        if (lua_pcall(_L, 1, 1, 0) != 0) throw new InvalidOperationException("Lua module: " + TopString(_L));
        PushString(_L, name);
        lua_insert(_L, -2);
        lua_rawset(_L, LUA_GLOBALSINDEX);
    }

    private static string TopString(IntPtr L) =>
        TryGetString(L, -1, out var s) ? System.Text.Encoding.Latin1.GetString(s) : "(error object is not a string)";

    /// <summary>Compiles <paramref name="body"/> as the function <paramref name="name"/> (EVAL: "f_&lt;sha1&gt;",
    /// luaCreateFunction: a shebang line is left out, its newline kept so line numbers stay). Null, or Redis's
    /// error text without the leading '-' ("ERR Error compiling script (new function): user_script:1: ...").</summary>
    public string? Define(string name, ReadOnlySpan<byte> body)
    {
        CheckOpen();
        if (_functions.ContainsKey(name)) return null;
        if (body.Length >= 2 && body[0] == '#' && body[1] == '!')
        {
            var nl = body.IndexOf((byte)'\n');
            body = nl < 0 ? default : body[nl..];
        }
        int rc;
        fixed (byte* p = body)
        fixed (byte* chunk = "@user_script\0"u8)
            rc = luaL_loadbuffer(_L, p == null ? (byte*)&rc : p, (nuint)body.Length, chunk);
        if (rc != 0)
        {
            var msg = TopString(_L).TrimEnd('\r', '\n');
            Pop(_L, 1);
            return "ERR Error compiling script (new function): " + msg;
        }
        LuaBytecode.RemoveTailCalls(_L);
        _functions[name] = luaL_ref(_L, LUA_REGISTRYINDEX);
        _usedMemory = ReadUsedMemory();
        return null;
    }

    public bool IsDefined(string name) => _functions.ContainsKey(name);

    /// <summary>Forgets every function (SCRIPT FLUSH on a VM that is kept).</summary>
    public void Forget(string name)
    {
        if (_functions.Remove(name, out var r)) luaL_unref(_L, LUA_REGISTRYINDEX, r);
    }

    /// <summary>Runs the function <paramref name="name"/> with KEYS and ARGV set (luaCallFunction), bridging
    /// <c>redis.*</c> to <paramref name="bridge"/>; writes the result as Redis converts it (luaReplyToRedisReply), or the
    /// script's error, into <paramref name="reply"/> (in its Protocol). The arguments handed to the bridge are valid
    /// only during its Call: copy what must outlive it.</summary>
    public LuaCallResult Call(string name, CommandArgs keys, CommandArgs argv, IRedisBridge bridge, RespWriter reply)
    {
        CheckOpen();
        if (!_functions.TryGetValue(name, out var fref))
        {
            reply.Error("NOSCRIPT No matching script. Please use EVAL.");
            return LuaCallResult.Completed;
        }
        var L = _L;
        lua_settop(L, FixedSlots);
        // KEYS and ARGV are globals in eval mode: set straight into the real globals table.
        lua_rawgeti(L, LUA_REGISTRYINDEX, _realGlobalsRef);
        PushArray(L, keys);
        SetField(L, -2, "KEYS\0"u8);
        PushArray(L, argv);
        SetField(L, -2, "ARGV\0"u8);
        Pop(L, 1);
        lua_rawgeti(L, LUA_REGISTRYINDEX, fref);
        var sha = name.StartsWith("f_", StringComparison.Ordinal) ? name.AsSpan(2) : name.AsSpan();
        return Run(0, sha, bridge, reply);
    }

    /// <summary>Calls the function on top of the stack (above its <paramref name="nargs"/> arguments) under the error
    /// handler, then writes its reply or its error.</summary>
    private LuaCallResult Run(int nargs, ReadOnlySpan<char> funcname, IRedisBridge bridge, RespWriter reply)
    {
        var L = _L;
        var previous = t_current;
        t_current = this;
        _bridge = bridge;
        _resp = 2;
        _state = 0;
        LastErrorFromCommand = false;
        try
        {
            var rc = lua_pcall(L, nargs, 1, SlotHandler);
            if (++_gcCount == GcCyclePeriod)
            {
                lua_gc(L, LUA_GCSTEP, GcCyclePeriod);
                _gcCount = 0;
                _usedMemory = ReadUsedMemory(); // refreshed with the GC step, not on every call
            }
            if (_state == 2)
                return LuaCallResult.Aborted;
            if (rc == 0 && _state == 1)
            {
                // Killed at the script's very last instruction: Redis's hook would have raised before it ran.
                reply.Error(LuaPrelude.KilledMessage);
                return LuaCallResult.Completed;
            }
            if (rc == 0)
            {
                lua_checkstack(L, 8);
                WriteLuaReply(L, reply);
            }
            else WriteError(L, funcname, reply);
            return LuaCallResult.Completed;
        }
        finally
        {
            lua_settop(L, FixedSlots);
            if (_state != 0) lua_sethook(L, (IntPtr)(delegate* unmanaged[Cdecl]<IntPtr, IntPtr, void>)&CountHook, LUA_MASKCOUNT, HookInstructions);
            _state = 0;
            _bridge = null;
            t_current = previous;
        }
    }

    /// <summary>luaCallFunction's error reply: the handler's {err=, source=, line=} as "-&lt;err&gt; script: &lt;name&gt;,
    /// on &lt;source&gt;:&lt;line&gt;.", or "Error running script ..." for a non-table error object.</summary>
    private void WriteError(IntPtr L, ReadOnlySpan<char> funcname, RespWriter reply)
    {
        if (lua_type(L, -1) != LUA_TTABLE)
        {
            var msg = TryGetString(L, -1, out var s) ? Latin1(s) : "execution failure";
            if (msg.Length > 100) msg = msg[..100];
            reply.Error(("ERR Error running script " + funcname.ToString() + ", " + msg).TrimEnd('\r', '\n'));
            return;
        }
        GetField(L, -1, "err\0"u8);
        var err = lua_type(L, -1) is LUA_TSTRING or LUA_TNUMBER && TryGetString(L, -1, out var e) ? CString(e) : null;
        Pop(L, 1);
        GetField(L, -1, "source\0"u8);
        var source = lua_type(L, -1) is LUA_TSTRING or LUA_TNUMBER && TryGetString(L, -1, out var so) ? CString(so) : null;
        Pop(L, 1);
        GetField(L, -1, "line\0"u8);
        var line = lua_type(L, -1) is LUA_TSTRING or LUA_TNUMBER && TryGetString(L, -1, out var li) ? CString(li) : null;
        Pop(L, 1);
        GetField(L, -1, "ignore_error_stats_update\0"u8);
        LastErrorFromCommand = lua_type(L, -1) == LUA_TBOOLEAN && lua_toboolean(L, -1) != 0;
        Pop(L, 1);
        // Redis 7.0.15 crashes on an error table without a string 'err' (error({x=1})); we answer instead.
        var text = err ?? "ERR execution failure";
        if (line != null && source != null) text = text + " script: " + funcname.ToString() + ", on " + source + ":" + line + ".";
        reply.Error(TrimCrlf(text));
    }

    private static string Latin1(ReadOnlySpan<byte> s) => System.Text.Encoding.Latin1.GetString(s);

    /// <summary>What C code sees of a Lua string: up to its first NUL.</summary>
    private static string CString(ReadOnlySpan<byte> s)
    {
        var nul = s.IndexOf((byte)0);
        return Latin1(nul < 0 ? s : s[..nul]);
    }

    /// <summary>addReplyErrorFormat trims newlines at the ends (the writer turns inner ones into spaces).</summary>
    private static string TrimCrlf(string s) => s.Trim('\r', '\n');

    private static void PushArray(IntPtr L, CommandArgs args)
    {
        lua_createtable(L, args.Length, 0);
        for (var i = 0; i < args.Length; i++)
        {
            PushString(L, args[i].Span);
            lua_rawseti(L, -2, i + 1);
        }
    }

    /// <summary>Bytes the Lua state uses (INFO used_memory_lua / used_memory_vm_eval), as of the last call; safe to
    /// read from any thread (a racy read of a long).</summary>
    public long UsedMemory => Volatile.Read(ref _usedMemory);

    private long ReadUsedMemory() => _L == IntPtr.Zero ? 0 : lua_gc(_L, LUA_GCCOUNT, 0) * 1024L + lua_gc(_L, LUA_GCCOUNTB, 0);

    private void CheckOpen() => ObjectDisposedException.ThrowIf(_L == IntPtr.Zero, this);

    public void Dispose()
    {
        if (_L == IntPtr.Zero) return;
        lua_close(_L);
        _L = IntPtr.Zero;
        _functions.Clear();
        _callReply.Release();
    }

    // --- redisLrand48 (rand.c): the 48-bit linear congruential generator of drand48, so math.random gives the
    // same sequence as Redis on every platform.
    private void Srand48(int seed) => _rand48 = ((ulong)(uint)seed << 16) | 0x330E;

    private int Lrand48()
    {
        _rand48 = (0x5DEECE66DUL * _rand48 + 0xB) & 0xFFFF_FFFF_FFFFUL;
        return (int)(_rand48 >> 17);
    }

    /// <summary>x86's cvttsd2si, which C's (long long) cast of a double compiles to: out of range or NaN gives
    /// long.MinValue (.NET saturates instead).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static long TruncateToLong(double d) =>
        d >= -9223372036854775808.0 && d < 9223372036854775808.0 ? (long)d : long.MinValue;

    /// <summary>C's (int) cast of a double (luaL_checkint): out of range or NaN gives int.MinValue.</summary>
    internal static int TruncateToInt(double d) =>
        d > -2147483649.0 && d < 2147483648.0 ? (int)d : int.MinValue;
}
