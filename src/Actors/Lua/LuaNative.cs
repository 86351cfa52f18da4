using System.Runtime.InteropServices;

namespace AkkaRedis.Actors.Lua;

/// <summary>
/// The P/Invoke binding to Debian's liblua5.1 (package liblua5.1-0), plus lua-cjson and lua-bitop built against it:
/// the few C API functions the VM needs, as unmanaged function pointers resolved once (no marshalling stubs).
/// liblua5.1 is opened with RTLD_GLOBAL first so that the cjson and bit modules, which do not link it themselves,
/// find its symbols. Nothing here may raise a Lua error (longjmp) through a managed frame: every entry that can
/// raise is called under <c>lua_pcall</c> from the VM, and C# callbacks never call lua_error.
/// </summary>
internal static unsafe class LuaNative
{
    public const int LUA_REGISTRYINDEX = -10000;
    public const int LUA_GLOBALSINDEX = -10002;
    public const int LUA_MULTRET = -1;
    public const int LUA_NOREF = -2;

    public const int LUA_TNONE = -1, LUA_TNIL = 0, LUA_TBOOLEAN = 1, LUA_TLIGHTUSERDATA = 2, LUA_TNUMBER = 3,
        LUA_TSTRING = 4, LUA_TTABLE = 5, LUA_TFUNCTION = 6, LUA_TUSERDATA = 7, LUA_TTHREAD = 8;

    public const int LUA_MASKLINE = 1 << 2, LUA_MASKCOUNT = 1 << 3;
    public const int LUA_GCCOUNT = 3, LUA_GCCOUNTB = 4, LUA_GCSTEP = 5, LUA_GCCOLLECT = 2;

    public static readonly bool Available;
    public static readonly string? UnavailableReason;

    public static delegate* unmanaged[Cdecl]<IntPtr> luaL_newstate;
    public static delegate* unmanaged[Cdecl]<IntPtr, void> lua_close;
    public static delegate* unmanaged[Cdecl]<IntPtr, byte*, nuint, byte*, int> luaL_loadbuffer;
    public static delegate* unmanaged[Cdecl]<IntPtr, int, int, int, int> lua_pcall;
    public static delegate* unmanaged[Cdecl]<IntPtr, int> lua_gettop;
    public static delegate* unmanaged[Cdecl]<IntPtr, int, void> lua_settop;
    public static delegate* unmanaged[Cdecl]<IntPtr, int, void> lua_pushvalue;
    public static delegate* unmanaged[Cdecl]<IntPtr, int, void> lua_insert;
    public static delegate* unmanaged[Cdecl]<IntPtr, int, void> lua_replace;
    public static delegate* unmanaged[Cdecl]<IntPtr, int, void> lua_remove;
    public static delegate* unmanaged[Cdecl]<IntPtr, int, int> lua_checkstack;
    public static delegate* unmanaged[Cdecl]<IntPtr, int, int> lua_type;
    public static delegate* unmanaged[Cdecl]<IntPtr, int, double> lua_tonumber;
    public static delegate* unmanaged[Cdecl]<IntPtr, int, int> lua_toboolean;
    public static delegate* unmanaged[Cdecl]<IntPtr, int, int> lua_isnumber;
    public static delegate* unmanaged[Cdecl]<IntPtr, int, nuint*, byte*> lua_tolstring;
    public static delegate* unmanaged[Cdecl]<IntPtr, int, nuint> lua_objlen;
    public static delegate* unmanaged[Cdecl]<IntPtr, int, IntPtr> lua_touserdata;
    public static delegate* unmanaged[Cdecl]<IntPtr, void> lua_pushnil;
    public static delegate* unmanaged[Cdecl]<IntPtr, double, void> lua_pushnumber;
    public static delegate* unmanaged[Cdecl]<IntPtr, byte*, nuint, void> lua_pushlstring;
    public static delegate* unmanaged[Cdecl]<IntPtr, IntPtr, int, void> lua_pushcclosure;
    public static delegate* unmanaged[Cdecl]<IntPtr, int, void> lua_pushboolean;
    public static delegate* unmanaged[Cdecl]<IntPtr, IntPtr, void> lua_pushlightuserdata;
    public static delegate* unmanaged[Cdecl]<IntPtr, int, void> lua_gettable;
    public static delegate* unmanaged[Cdecl]<IntPtr, int, byte*, void> lua_getfield;
    public static delegate* unmanaged[Cdecl]<IntPtr, int, void> lua_rawget;
    public static delegate* unmanaged[Cdecl]<IntPtr, int, int, void> lua_rawgeti;
    public static delegate* unmanaged[Cdecl]<IntPtr, int, int, void> lua_createtable;
    public static delegate* unmanaged[Cdecl]<IntPtr, int, byte*, void> lua_setfield;
    public static delegate* unmanaged[Cdecl]<IntPtr, int, void> lua_rawset;
    public static delegate* unmanaged[Cdecl]<IntPtr, int, int, void> lua_rawseti;
    public static delegate* unmanaged[Cdecl]<IntPtr, int, int> lua_next;
    public static delegate* unmanaged[Cdecl]<IntPtr, int, int, int> lua_gc;
    public static delegate* unmanaged[Cdecl]<IntPtr, IntPtr, int, int, int> lua_sethook;
    public static delegate* unmanaged[Cdecl]<IntPtr, IntPtr, IntPtr, int> lua_dump;
    public static delegate* unmanaged[Cdecl]<IntPtr, int, int> luaL_ref;
    public static delegate* unmanaged[Cdecl]<IntPtr, int, int, void> luaL_unref;

    /// <summary>lua_error itself, used as a count/line hook once a script is killed or aborted: it raises the value
    /// on top of the stack from native frames only (luaD_callhook → lua_error → longjmp to our lua_pcall), at every
    /// instruction, so no pcall inside the script can swallow the stop (Redis's luaMaskCountHook does the same with
    /// LUA_MASKLINE).</summary>
    public static IntPtr lua_error;
    public static IntPtr luaopen_base, luaopen_table, luaopen_string, luaopen_math, luaopen_debug;
    public static IntPtr luaopen_cjson, luaopen_bit;

    private const int RTLD_NOW = 2, RTLD_GLOBAL = 0x100;

    [DllImport("libc", EntryPoint = "dlopen")]
    private static extern IntPtr dlopen(string file, int mode);

    [DllImport("libc", EntryPoint = "dlerror")]
    private static extern IntPtr dlerror();

    static LuaNative()
    {
        try
        {
            if (!OperatingSystem.IsLinux())
            {
                UnavailableReason = "Lua scripting needs Linux with liblua5.1-0, lua-cjson and lua-bitop";
                return;
            }
            var lua = Open("liblua5.1.so.0", "liblua5.1-0");
            var cjson = Open("liblua5.1-cjson.so.0", "lua-cjson");
            var bit = Open("liblua5.1-bitop.so.0", "lua-bitop");
            Resolve(lua);
            luaopen_cjson = NativeLibrary.GetExport(cjson, "luaopen_cjson");
            luaopen_bit = NativeLibrary.GetExport(bit, "luaopen_bit");
            Available = true;
        }
        catch (Exception e)
        {
            UnavailableReason = e.Message;
        }
    }

    private static IntPtr Open(string file, string package)
    {
        var h = dlopen(file, RTLD_NOW | RTLD_GLOBAL);
        if (h != IntPtr.Zero) return h;
        var err = Marshal.PtrToStringUTF8(dlerror());
        throw new DllNotFoundException($"{file} could not be loaded ({err}); install the Debian package {package} (scripts/install-test-deps)");
    }

    private static void Resolve(IntPtr h)
    {
        IntPtr F(string name) => NativeLibrary.GetExport(h, name);
        luaL_newstate = (delegate* unmanaged[Cdecl]<IntPtr>)F("luaL_newstate");
        lua_close = (delegate* unmanaged[Cdecl]<IntPtr, void>)F("lua_close");
        luaL_loadbuffer = (delegate* unmanaged[Cdecl]<IntPtr, byte*, nuint, byte*, int>)F("luaL_loadbuffer");
        lua_pcall = (delegate* unmanaged[Cdecl]<IntPtr, int, int, int, int>)F("lua_pcall");
        lua_gettop = (delegate* unmanaged[Cdecl]<IntPtr, int>)F("lua_gettop");
        lua_settop = (delegate* unmanaged[Cdecl]<IntPtr, int, void>)F("lua_settop");
        lua_pushvalue = (delegate* unmanaged[Cdecl]<IntPtr, int, void>)F("lua_pushvalue");
        lua_insert = (delegate* unmanaged[Cdecl]<IntPtr, int, void>)F("lua_insert");
        lua_replace = (delegate* unmanaged[Cdecl]<IntPtr, int, void>)F("lua_replace");
        lua_remove = (delegate* unmanaged[Cdecl]<IntPtr, int, void>)F("lua_remove");
        lua_checkstack = (delegate* unmanaged[Cdecl]<IntPtr, int, int>)F("lua_checkstack");
        lua_type = (delegate* unmanaged[Cdecl]<IntPtr, int, int>)F("lua_type");
        lua_tonumber = (delegate* unmanaged[Cdecl]<IntPtr, int, double>)F("lua_tonumber");
        lua_toboolean = (delegate* unmanaged[Cdecl]<IntPtr, int, int>)F("lua_toboolean");
        lua_isnumber = (delegate* unmanaged[Cdecl]<IntPtr, int, int>)F("lua_isnumber");
        lua_tolstring = (delegate* unmanaged[Cdecl]<IntPtr, int, nuint*, byte*>)F("lua_tolstring");
        lua_objlen = (delegate* unmanaged[Cdecl]<IntPtr, int, nuint>)F("lua_objlen");
        lua_touserdata = (delegate* unmanaged[Cdecl]<IntPtr, int, IntPtr>)F("lua_touserdata");
        lua_pushnil = (delegate* unmanaged[Cdecl]<IntPtr, void>)F("lua_pushnil");
        lua_pushnumber = (delegate* unmanaged[Cdecl]<IntPtr, double, void>)F("lua_pushnumber");
        lua_pushlstring = (delegate* unmanaged[Cdecl]<IntPtr, byte*, nuint, void>)F("lua_pushlstring");
        lua_pushcclosure = (delegate* unmanaged[Cdecl]<IntPtr, IntPtr, int, void>)F("lua_pushcclosure");
        lua_pushboolean = (delegate* unmanaged[Cdecl]<IntPtr, int, void>)F("lua_pushboolean");
        lua_pushlightuserdata = (delegate* unmanaged[Cdecl]<IntPtr, IntPtr, void>)F("lua_pushlightuserdata");
        lua_gettable = (delegate* unmanaged[Cdecl]<IntPtr, int, void>)F("lua_gettable");
        lua_getfield = (delegate* unmanaged[Cdecl]<IntPtr, int, byte*, void>)F("lua_getfield");
        lua_rawget = (delegate* unmanaged[Cdecl]<IntPtr, int, void>)F("lua_rawget");
        lua_rawgeti = (delegate* unmanaged[Cdecl]<IntPtr, int, int, void>)F("lua_rawgeti");
        lua_createtable = (delegate* unmanaged[Cdecl]<IntPtr, int, int, void>)F("lua_createtable");
        lua_setfield = (delegate* unmanaged[Cdecl]<IntPtr, int, byte*, void>)F("lua_setfield");
        lua_rawset = (delegate* unmanaged[Cdecl]<IntPtr, int, void>)F("lua_rawset");
        lua_rawseti = (delegate* unmanaged[Cdecl]<IntPtr, int, int, void>)F("lua_rawseti");
        lua_next = (delegate* unmanaged[Cdecl]<IntPtr, int, int>)F("lua_next");
        lua_gc = (delegate* unmanaged[Cdecl]<IntPtr, int, int, int>)F("lua_gc");
        lua_sethook = (delegate* unmanaged[Cdecl]<IntPtr, IntPtr, int, int, int>)F("lua_sethook");
        lua_dump = (delegate* unmanaged[Cdecl]<IntPtr, IntPtr, IntPtr, int>)F("lua_dump");
        luaL_ref = (delegate* unmanaged[Cdecl]<IntPtr, int, int>)F("luaL_ref");
        luaL_unref = (delegate* unmanaged[Cdecl]<IntPtr, int, int, void>)F("luaL_unref");
        lua_error = F("lua_error");
        luaopen_base = F("luaopen_base");
        luaopen_table = F("luaopen_table");
        luaopen_string = F("luaopen_string");
        luaopen_math = F("luaopen_math");
        luaopen_debug = F("luaopen_debug");
    }

    // Small helpers over the raw API (the macros of lua.h).
    public static void Pop(IntPtr L, int n) => lua_settop(L, -n - 1);

    public static void PushString(IntPtr L, ReadOnlySpan<byte> s)
    {
        fixed (byte* p = s) lua_pushlstring(L, p, (nuint)s.Length);
    }

    public static void PushString(IntPtr L, string s)
    {
        Span<byte> buf = s.Length <= 256 ? stackalloc byte[s.Length * 3] : new byte[s.Length * 3];
        var n = System.Text.Encoding.UTF8.GetBytes(s, buf);
        PushString(L, buf[..n]);
    }

    /// <summary>The string (or number, converted in place by Lua) at <paramref name="idx"/>; empty span and false
    /// when it is neither.</summary>
    public static bool TryGetString(IntPtr L, int idx, out ReadOnlySpan<byte> s)
    {
        nuint len;
        var p = lua_tolstring(L, idx, &len);
        if (p == null)
        {
            s = default;
            return false;
        }
        s = new ReadOnlySpan<byte>(p, (int)len);
        return true;
    }

    public static void GetField(IntPtr L, int idx, ReadOnlySpan<byte> nulTerminated)
    {
        fixed (byte* p = nulTerminated) lua_getfield(L, idx, p);
    }

    public static void SetField(IntPtr L, int idx, ReadOnlySpan<byte> nulTerminated)
    {
        fixed (byte* p = nulTerminated) lua_setfield(L, idx, p);
    }
}
