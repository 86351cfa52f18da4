using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using AkkaRedis.Net.Resp;
using static AkkaRedis.Actors.Lua.LuaNative;

namespace AkkaRedis.Actors.Lua;

/// <summary>Function libraries inside a VM (function_lua.c): loading a library's code with
/// redis.register_function, calling a registered function with (keys, args), dropping a library.</summary>
public sealed unsafe partial class LuaVm
{
    /// <summary>FUNCTION LOAD's time limit for a library's load-time code (LOAD_TIMEOUT_MS).</summary>
    private const int LoadTimeoutMs = 500;

    /// <summary>While a library loads: the deadline (Environment.TickCount64) after which the hook stops it.</summary>
    private long _loadDeadline;

    /// <summary>The library being loaded: what redis.register_function adds to.</summary>
    private LoadContext? _loading;

    /// <summary>Loaded libraries: function name → registry reference of its callback.</summary>
    private readonly Dictionary<string, Dictionary<string, int>> _libraries = new(StringComparer.Ordinal);

    private sealed class LoadContext(List<LuaFunctionRegistration> registered)
    {
        public readonly List<LuaFunctionRegistration> Registered = registered;
        public readonly Dictionary<string, int> Functions = new(StringComparer.Ordinal);
    }

    /// <summary>Function VMs: runs a library's code (without its shebang line; keep the shebang's newline so line
    /// numbers match Redis's "user_function:2") in the load environment, where only redis.register_function,
    /// redis.log and the version fields exist (luaEngineCreate); adds what it registered to
    /// <paramref name="registered"/>. Null, or Redis's error text without the leading '-' ("ERR Error compiling
    /// function: ...", "ERR Error registering functions: ...", "ERR No functions registered"). A library of the same
    /// name already loaded here is replaced only if the load succeeds.</summary>
    public string? LoadLibrary(string library, ReadOnlySpan<byte> code, List<LuaFunctionRegistration> registered)
    {
        CheckOpen();
        var L = _L;
        lua_settop(L, FixedSlots);
        int rc;
        fixed (byte* p = code)
        fixed (byte* chunk = "@user_function\0"u8)
            rc = luaL_loadbuffer(L, p == null ? (byte*)&rc : p, (nuint)code.Length, chunk);
        if (rc != 0)
        {
            var msg = TopString(L).TrimEnd('\r', '\n');
            lua_settop(L, FixedSlots);
            return "ERR Error compiling function: " + msg;
        }
        LuaBytecode.RemoveTailCalls(L);
        var ctx = new LoadContext(registered);
        var previous = t_current;
        t_current = this;
        _loading = ctx;
        _state = 0;
        _loadDeadline = Environment.TickCount64 + LoadTimeoutMs;
        SetLoading(L, true);
        string? error = null;
        try
        {
            if (lua_pcall(L, 0, 0, 0) != 0)
            {
                // luaExtractErrorInformation without a handler: a string gets "ERR ", a table gives its err field.
                string msg;
                if (_state == 3) msg = "ERR FUNCTION LOAD timeout";
                else if (lua_type(L, -1) == LUA_TTABLE)
                {
                    GetField(L, -1, "err\0"u8);
                    msg = TryGetString(L, -1, out var e) ? CString(e) : "ERR execution failure";
                }
                else msg = "ERR " + (TryGetString(L, -1, out var s) ? CString(s) : "execution failure");
                error = "ERR Error registering functions: " + msg;
            }
            else if (ctx.Functions.Count == 0) error = "ERR No functions registered";
        }
        finally
        {
            lua_settop(L, FixedSlots);
            SetLoading(L, false);
            if (_state != 0) lua_sethook(L, (IntPtr)(delegate* unmanaged[Cdecl]<IntPtr, IntPtr, void>)&CountHook, LUA_MASKCOUNT, HookInstructions);
            _state = 0;
            _loading = null;
            _loadDeadline = 0;
            t_current = previous;
        }
        if (error != null)
        {
            foreach (var r in ctx.Functions.Values) luaL_unref(L, LUA_REGISTRYINDEX, r);
            registered.RemoveRange(registered.Count - ctx.Functions.Count, ctx.Functions.Count);
            return error;
        }
        DropLibrary(library);
        _libraries[library] = ctx.Functions;
        _usedMemory = ReadUsedMemory();
        return null;
    }

    private static void SetLoading(IntPtr L, bool on)
    {
        lua_pushvalue(L, SlotSetLoading);
        lua_pushboolean(L, on ? 1 : 0);
        lua_pcall(L, 1, 0, 0);
    }

    public void DropLibrary(string library)
    {
        if (!_libraries.Remove(library, out var functions)) return;
        foreach (var r in functions.Values) luaL_unref(_L, LUA_REGISTRYINDEX, r);
        _usedMemory = ReadUsedMemory();
    }

    /// <summary>FCALL: calls a registered function with (keys, args) tables as its parameters (no KEYS/ARGV
    /// globals); errors name the function ("script: &lt;function&gt;, on @user_function:N.").</summary>
    public LuaCallResult CallFunction(string library, string function, CommandArgs keys, CommandArgs argv, IRedisBridge bridge, RespWriter reply)
    {
        CheckOpen();
        if (!_libraries.TryGetValue(library, out var functions) || !functions.TryGetValue(function, out var fref))
        {
            reply.Error("ERR Function not found");
            return LuaCallResult.Completed;
        }
        var L = _L;
        lua_settop(L, FixedSlots);
        lua_rawgeti(L, LUA_REGISTRYINDEX, fref);
        PushArray(L, keys);
        PushArray(L, argv);
        return Run(2, function, bridge, reply);
    }

    /// <summary>redis.register_function (luaRegisterFunction): positional (name, callback) or a table of named
    /// arguments (function_name, callback, flags, description; keys case-insensitive).</summary>
    [UnmanagedCallersOnly(CallConvs = [typeof(CallConvCdecl)])]
    private static int RegisterFunction(IntPtr L)
    {
        var vm = t_current;
        var ctx = vm?._loading;
        if (ctx == null) return RaiseTable(L, "redis.register_function can only be called on FUNCTION LOAD command");
        try
        {
            var argc = lua_gettop(L);
            if (argc < 1 || argc > 2) return RaiseTable(L, "wrong number of arguments to redis.register_function");
            string? name = null, description = null;
            var flags = ScriptFlags.None;
            var cbRef = LUA_NOREF;
            int Fail(string message)
            {
                if (cbRef != LUA_NOREF) luaL_unref(L, LUA_REGISTRYINDEX, cbRef);
                return RaiseTable(L, message);
            }
            if (argc == 1)
            {
                if (lua_type(L, 1) != LUA_TTABLE)
                    return RaiseTable(L, "calling redis.register_function with a single argument is only applicable to Lua table (representing named arguments).");
                lua_pushnil(L);
                while (lua_next(L, 1) != 0)
                {
                    // stack: table, key, value
                    var kt = lua_type(L, -2);
                    if (kt != LUA_TSTRING && kt != LUA_TNUMBER) return Fail("named argument key given to redis.register_function is not a string");
                    lua_pushvalue(L, -2); // convert a copy: lua_tolstring on the key itself would confuse lua_next
                    TryGetString(L, -1, out var keyBytes);
                    var key = CString(keyBytes);
                    Pop(L, 1);
                    var vt = lua_type(L, -1);
                    if (key.Equals("function_name", StringComparison.OrdinalIgnoreCase))
                    {
                        if (vt != LUA_TSTRING && vt != LUA_TNUMBER) return Fail("function_name argument given to redis.register_function must be a string");
                        TryGetString(L, -1, out var v);
                        name = Latin1(v);
                    }
                    else if (key.Equals("description", StringComparison.OrdinalIgnoreCase))
                    {
                        if (vt != LUA_TSTRING && vt != LUA_TNUMBER) return Fail("description argument given to redis.register_function must be a string");
                        TryGetString(L, -1, out var v);
                        description = Latin1(v);
                    }
                    else if (key.Equals("callback", StringComparison.OrdinalIgnoreCase))
                    {
                        if (vt != LUA_TFUNCTION) return Fail("callback argument given to redis.register_function must be a function");
                        if (cbRef != LUA_NOREF) luaL_unref(L, LUA_REGISTRYINDEX, cbRef);
                        lua_pushvalue(L, -1);
                        cbRef = luaL_ref(L, LUA_REGISTRYINDEX);
                    }
                    else if (key.Equals("flags", StringComparison.OrdinalIgnoreCase))
                    {
                        if (vt != LUA_TTABLE) return Fail("flags argument to redis.register_function must be a table representing function flags");
                        if (!ReadFlags(L, out flags)) return Fail("unknown flag given");
                    }
                    else return Fail("unknown argument given to redis.register_function");
                    Pop(L, 1);
                }
                if (name == null) return Fail("redis.register_function must get a function name argument");
                if (cbRef == LUA_NOREF) return Fail("redis.register_function must get a callback argument");
            }
            else
            {
                var nt = lua_type(L, 1);
                if (nt != LUA_TSTRING && nt != LUA_TNUMBER) return RaiseTable(L, "first argument to redis.register_function must be a string");
                TryGetString(L, 1, out var v);
                name = Latin1(v);
                if (lua_type(L, 2) != LUA_TFUNCTION) return RaiseTable(L, "second argument to redis.register_function must be a function");
                lua_pushvalue(L, 2);
                cbRef = luaL_ref(L, LUA_REGISTRYINDEX);
            }
            // functionLibCreateFunction (its name check says "Library names" in 7.0.15).
            if (!ValidName(name))
                return Fail("Library names can only contain letters, numbers, or underscores(_) and must be at least one character long");
            if (ctx.Functions.ContainsKey(name)) return Fail("Function already exists in the library");
            ctx.Functions[name] = cbRef;
            ctx.Registered.Add(new LuaFunctionRegistration(name, description, flags));
            return 0;
        }
        catch (Exception e)
        {
            return RaiseTable(L, e.Message);
        }
    }

    /// <summary>luaRegisterFunctionReadFlags: the array part of the table on top, each a flag name (any case).</summary>
    private static bool ReadFlags(IntPtr L, out ScriptFlags flags)
    {
        flags = ScriptFlags.None;
        for (var j = 1; ; j++)
        {
            lua_rawgeti(L, -1, j);
            var t = lua_type(L, -1);
            if (t == LUA_TNIL)
            {
                Pop(L, 1);
                return true;
            }
            if (t != LUA_TSTRING && t != LUA_TNUMBER || !TryGetString(L, -1, out var s))
            {
                Pop(L, 1);
                return false;
            }
            var flag = ParseFlag(CString(s));
            Pop(L, 1);
            if (flag == null) return false;
            flags |= flag.Value;
        }
    }

    /// <summary>scripts_flags_def: the flag names of shebangs and register_function (compared ignoring case).</summary>
    public static ScriptFlags? ParseFlag(string name) => name.ToLowerInvariant() switch
    {
        "no-writes" => ScriptFlags.NoWrites,
        "allow-oom" => ScriptFlags.AllowOom,
        "allow-stale" => ScriptFlags.AllowStale,
        "no-cluster" => ScriptFlags.NoCluster,
        "allow-cross-slot-keys" => ScriptFlags.AllowCrossSlotKeys,
        _ => null,
    };

    private static bool ValidName(string name)
    {
        if (name.Length == 0) return false;
        foreach (var c in name)
            if (!(char.IsAsciiLetterOrDigit(c) || c == '_')) return false;
        return true;
    }
}
