using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using AkkaRedis.Net.Resp;
using static AkkaRedis.Actors.Lua.LuaNative;

namespace AkkaRedis.Actors.Lua;

/// <summary>
/// The C# functions Lua calls (redis.call/pcall, sha1hex, log, setresp, set_repl, math.random...). Each is an
/// [UnmanagedCallersOnly] lua_CFunction that never raises: on an error it returns (E, error) and the Lua wrapper
/// in <see cref="LuaPrelude"/> raises; an exception is caught and turned into such an error. They work on the
/// lua_State they are given (a coroutine's, possibly), and find their VM through the thread-static current VM.
/// </summary>
public sealed unsafe partial class LuaVm
{
    private static void PushCallbacks(IntPtr L)
    {
        lua_createtable(L, 0, 16);
        Reg(L, "call\0"u8, &CallCommand);
        Reg(L, "pcall\0"u8, &PcallCommand);
        Reg(L, "sha1hex\0"u8, &Sha1Hex);
        Reg(L, "log\0"u8, &LogCommand);
        Reg(L, "setresp\0"u8, &SetResp);
        Reg(L, "set_repl\0"u8, &SetRepl);
        Reg(L, "acl_check_cmd\0"u8, &AclCheckCmd);
        Reg(L, "random\0"u8, &MathRandom);
        Reg(L, "randomseed\0"u8, &MathRandomSeed);
        Reg(L, "state\0"u8, &State);
        Reg(L, "struct_pack\0"u8, &LuaStruct.Pack);
        Reg(L, "struct_unpack\0"u8, &LuaStruct.Unpack);
        Reg(L, "struct_size\0"u8, &LuaStruct.Size);
        Reg(L, "msgpack_pack\0"u8, &LuaMsgPack.Pack);
        Reg(L, "msgpack_unpack\0"u8, &LuaMsgPack.Unpack);
        Reg(L, "msgpack_unpack_one\0"u8, &LuaMsgPack.UnpackOne);
        Reg(L, "msgpack_unpack_limit\0"u8, &LuaMsgPack.UnpackLimit);
        Reg(L, "register_function\0"u8, &RegisterFunction);
    }

    private static void Reg(IntPtr L, ReadOnlySpan<byte> name, delegate* unmanaged[Cdecl]<IntPtr, int> f)
    {
        lua_pushcclosure(L, (IntPtr)f, 0);
        SetField(L, -2, name);
    }

    /// <summary>Answers (E, {err="ERR &lt;msg&gt;"}) as luaPushError does (the message gets "ERR " unless it starts with
    /// '-CODE').</summary>
    internal static int RaiseTable(IntPtr L, string message)
    {
        lua_pushlightuserdata(L, ErrorMarker);
        PushErrorTable(L, message);
        return 2;
    }

    /// <summary>Answers (E, "msg"): the wrapper raises the string with the caller's position, as luaL_error.</summary>
    internal static int RaiseString(IntPtr L, string message)
    {
        lua_pushlightuserdata(L, ErrorMarker);
        PushString(L, message);
        return 2;
    }

    /// <summary>luaPushErrorBuff: "-CODE msg" keeps CODE, anything else gets ERR; newlines at the ends trimmed.</summary>
    internal static void PushErrorTable(IntPtr L, string buffer)
    {
        string code, msg;
        if (buffer.Length > 0 && buffer[0] == '-')
        {
            var sp = buffer.IndexOf(' ');
            if (sp < 0)
            {
                code = "ERR";
                msg = buffer[1..];
            }
            else
            {
                code = buffer[1..sp];
                msg = buffer[(sp + 1)..];
            }
        }
        else
        {
            code = "ERR";
            msg = buffer;
        }
        msg = msg.Trim('\r', '\n');
        lua_createtable(L, 0, 2);
        PushLatin1(L, code + " " + msg);
        SetField(L, -2, "err\0"u8);
    }

    private static void PushLatin1(IntPtr L, string s)
    {
        var bytes = s.Length <= 512 ? stackalloc byte[s.Length] : new byte[s.Length];
        System.Text.Encoding.Latin1.GetBytes(s, bytes);
        PushString(L, bytes);
    }

    [UnmanagedCallersOnly(CallConvs = [typeof(CallConvCdecl)])]
    private static int CallCommand(IntPtr L) => GenericCommand(L, raise: true);

    [UnmanagedCallersOnly(CallConvs = [typeof(CallConvCdecl)])]
    private static int PcallCommand(IntPtr L) => GenericCommand(L, raise: false);

    /// <summary>luaRedisGenericCommand: converts the arguments, runs the command through the bridge and converts its
    /// reply; an error reply is answered (E, table) by redis.call (its wrapper raises it) and as the table by
    /// redis.pcall.</summary>
    private static int GenericCommand(IntPtr L, bool raise)
    {
        var vm = t_current;
        try
        {
            if (vm?._bridge == null)
            {
                var msg = "redis.call/pcall can only be called inside a script invocation";
                if (raise) return RaiseTable(L, msg);
                PushErrorTable(L, msg);
                return 1;
            }
            // Stopped (killed or aborted) while the instruction calling us was already under way: Redis raises inside
            // its hook, before that instruction runs, so no command may run any more; the next instruction raises.
            if (vm._state != 0)
            {
                lua_settop(L, 0);
                return 0;
            }
            var argc = lua_gettop(L);
            string? argError = argc == 0 ? "Please specify at least one argument for this redis lib call"
                : vm.ConvertArguments(L, argc) ? null : "Lua redis lib command arguments must be strings or integers";
            lua_settop(L, 0);
            if (argError != null)
            {
                if (raise) return RaiseTable(L, argError);
                PushErrorTable(L, argError);
                return 1;
            }
            var w = vm._callReply;
            w.Reset();
            w.Protocol = vm._resp;
            if (!vm._bridge.Call(new CommandArgs(vm._argSlices, 0, argc), w))
            {
                vm.Stop(L, 2);
                return 0;
            }
            var bytes = w.Written;
            if (bytes.Length == 0)
            {
                lua_pushnil(L);
                return 1;
            }
            lua_checkstack(L, 8);
            var isError = bytes[0] == '-';
            if (isError && raise) lua_pushlightuserdata(L, ErrorMarker);
            var pos = 0;
            PushResp(L, bytes, ref pos);
            return isError && raise ? 2 : 1;
        }
        catch (Exception e)
        {
            lua_settop(L, 0);
            return RaiseTable(L, "ERR " + e.Message);
        }
    }

    /// <summary>luaArgsToRedisArgv: numbers as "%.17g" (not Lua's lossy "%.14g"), strings as they are; anything else
    /// fails. The bytes are copied into a reused arena, the slices into a reused array.</summary>
    private bool ConvertArguments(IntPtr L, int argc)
    {
        if (_argSlices.Length < argc) _argSlices = new ArgSlice[Math.Max(argc, _argSlices.Length * 2)];
        var used = 0;
        Span<byte> num = stackalloc byte[32];
        for (var j = 0; j < argc; j++)
        {
            ReadOnlySpan<byte> s;
            if (lua_type(L, j + 1) == LUA_TNUMBER)
            {
                var str = RedisNumbers.FormatG17(lua_tonumber(L, j + 1));
                var n = System.Text.Encoding.ASCII.GetBytes(str, num);
                s = num[..n];
            }
            else if (!TryGetString(L, j + 1, out s)) return false;
            if (_argArena.Length - used < s.Length)
            {
                // Earlier slices keep the old arena alive; the new one takes this and the following arguments.
                _argArena = new byte[Math.Max(_argArena.Length * 2, s.Length + 64)];
                used = 0;
            }
            s.CopyTo(_argArena.AsSpan(used));
            _argSlices[j] = new ArgSlice(_argArena, used, s.Length);
            used += s.Length;
        }
        return true;
    }

    /// <summary>Stops the running script for good: every following instruction raises (lua_error as the hook), on
    /// the thread that runs and on the main thread (a coroutine's error would otherwise be caught by resume).</summary>
    private void Stop(IntPtr L, int state)
    {
        _state = state;
        lua_sethook(L, lua_error, LUA_MASKCOUNT | LUA_MASKLINE, 1);
        if (L != _L) lua_sethook(_L, lua_error, LUA_MASKCOUNT | LUA_MASKLINE, 1);
    }

    [UnmanagedCallersOnly(CallConvs = [typeof(CallConvCdecl)])]
    private static void CountHook(IntPtr L, IntPtr ar)
    {
        var vm = t_current;
        if (vm == null) return;
        try
        {
            if (vm._bridge != null)
            {
                var verdict = vm._bridge.Interrupt();
                if (verdict != Interruption.None) vm.Stop(L, verdict == Interruption.Kill ? 1 : 2);
            }
            else if (vm._loadDeadline != 0 && Environment.TickCount64 > vm._loadDeadline) vm.Stop(L, 3);
        }
        catch
        {
            // a hook must not throw into native code
        }
    }

    [UnmanagedCallersOnly(CallConvs = [typeof(CallConvCdecl)])]
    private static int State(IntPtr L)
    {
        lua_pushnumber(L, t_current?._state ?? 0);
        return 1;
    }

    [UnmanagedCallersOnly(CallConvs = [typeof(CallConvCdecl)])]
    private static int Sha1Hex(IntPtr L)
    {
        if (lua_gettop(L) != 1) return RaiseTable(L, "wrong number of arguments");
        TryGetString(L, 1, out var s);
        Span<byte> hash = stackalloc byte[20];
        System.Security.Cryptography.SHA1.HashData(s, hash);
        Span<byte> hex = stackalloc byte[40];
        const string digits = "0123456789abcdef";
        for (var i = 0; i < 20; i++)
        {
            hex[i * 2] = (byte)digits[hash[i] >> 4];
            hex[i * 2 + 1] = (byte)digits[hash[i] & 15];
        }
        PushString(L, hex);
        return 1;
    }

    [UnmanagedCallersOnly(CallConvs = [typeof(CallConvCdecl)])]
    private static int LogCommand(IntPtr L)
    {
        try
        {
            var argc = lua_gettop(L);
            if (argc < 2) return RaiseTable(L, "redis.log() requires two arguments or more.");
            if (lua_isnumber(L, 1) == 0) return RaiseTable(L, "First argument must be a number (log level).");
            var level = TruncateToInt(lua_tonumber(L, 1));
            if (level < 0 || level > 3) return RaiseTable(L, "Invalid debug level.");
            var sb = new System.Text.StringBuilder();
            for (var j = 2; j <= argc; j++)
            {
                if (!TryGetString(L, j, out var s)) continue;
                if (j != 2) sb.Append(' ');
                sb.Append(System.Text.Encoding.UTF8.GetString(s));
            }
            t_current?._bridge?.Log(level, sb.ToString());
            t_current?._logSink?.Invoke(level, sb.ToString());
            return 0;
        }
        catch (Exception e)
        {
            return RaiseTable(L, e.Message);
        }
    }

    /// <summary>Where redis.log goes when no script runs (a library's load-time code): set by the owner.</summary>
    public Action<int, string>? LogSink
    {
        get => _logSink;
        set => _logSink = value;
    }

    private Action<int, string>? _logSink;

    [UnmanagedCallersOnly(CallConvs = [typeof(CallConvCdecl)])]
    private static int SetResp(IntPtr L)
    {
        var vm = t_current;
        if (vm?._bridge == null) return RaiseTable(L, "redis.setresp can only be called inside a script invocation");
        if (lua_gettop(L) != 1) return RaiseTable(L, "redis.setresp() requires one argument.");
        var resp = TruncateToInt(lua_tonumber(L, 1));
        if (resp != 2 && resp != 3) return RaiseTable(L, "RESP version must be 2 or 3.");
        vm._resp = resp;
        return 0;
    }

    [UnmanagedCallersOnly(CallConvs = [typeof(CallConvCdecl)])]
    private static int SetRepl(IntPtr L)
    {
        var vm = t_current;
        if (vm?._bridge == null) return RaiseTable(L, "redis.set_repl can only be called inside a script invocation");
        if (lua_gettop(L) != 1) return RaiseTable(L, "redis.set_repl() requires two arguments.");
        var flags = TruncateToInt(lua_tonumber(L, 1));
        if ((flags & ~3) != 0) return RaiseTable(L, "Invalid replication flags. Use REPL_AOF, REPL_REPLICA, REPL_ALL or REPL_NONE.");
        try
        {
            vm._bridge.SetRepl(flags);
        }
        catch (Exception e)
        {
            return RaiseTable(L, e.Message);
        }
        return 0;
    }

    [UnmanagedCallersOnly(CallConvs = [typeof(CallConvCdecl)])]
    private static int AclCheckCmd(IntPtr L)
    {
        var vm = t_current;
        try
        {
            if (vm?._bridge == null) return RaiseTable(L, "redis.acl_check_cmd can only be called inside a script invocation");
            var argc = lua_gettop(L);
            if (argc == 0) return RaiseTable(L, "Please specify at least one argument for this redis lib call");
            if (!vm.ConvertArguments(L, argc)) return RaiseTable(L, "Lua redis lib command arguments must be strings or integers");
            lua_settop(L, 0);
            var allowed = vm._bridge.AclCheck(new CommandArgs(vm._argSlices, 0, argc));
            if (allowed == null) return RaiseTable(L, "Invalid command passed to redis.acl_check_cmd()");
            lua_pushboolean(L, allowed.Value ? 1 : 0);
            return 1;
        }
        catch (Exception e)
        {
            return RaiseTable(L, e.Message);
        }
    }

    /// <summary>redis_math_random: Lua's math.random with rand() replaced by redisLrand48.</summary>
    [UnmanagedCallersOnly(CallConvs = [typeof(CallConvCdecl)])]
    private static int MathRandom(IntPtr L)
    {
        var vm = t_current;
        if (vm == null) return RaiseString(L, "math.random can only be called inside a script invocation");
        const int max = int.MaxValue; // REDIS_LRAND48_MAX
        var r = (double)(vm.Lrand48() % max) / max;
        switch (lua_gettop(L))
        {
            case 0:
                lua_pushnumber(L, r);
                break;
            case 1:
            {
                if (lua_isnumber(L, 1) == 0) return RaiseString(L, BadArgument(L, 1, "random", "number"));
                var u = TruncateToInt(lua_tonumber(L, 1));
                if (u < 1) return RaiseString(L, "bad argument #1 to 'random' (interval is empty)");
                lua_pushnumber(L, Math.Floor(r * u) + 1);
                break;
            }
            case 2:
            {
                if (lua_isnumber(L, 1) == 0) return RaiseString(L, BadArgument(L, 1, "random", "number"));
                if (lua_isnumber(L, 2) == 0) return RaiseString(L, BadArgument(L, 2, "random", "number"));
                var l = TruncateToInt(lua_tonumber(L, 1));
                var u = TruncateToInt(lua_tonumber(L, 2));
                if (l > u) return RaiseString(L, "bad argument #2 to 'random' (interval is empty)");
                lua_pushnumber(L, Math.Floor(r * ((double)u - l + 1)) + l);
                break;
            }
            default:
                return RaiseString(L, "wrong number of arguments");
        }
        return 1;
    }

    [UnmanagedCallersOnly(CallConvs = [typeof(CallConvCdecl)])]
    private static int MathRandomSeed(IntPtr L)
    {
        var vm = t_current;
        if (vm == null) return RaiseString(L, "math.randomseed can only be called inside a script invocation");
        if (lua_isnumber(L, 1) == 0) return RaiseString(L, BadArgument(L, 1, "randomseed", "number"));
        vm.Srand48(TruncateToInt(lua_tonumber(L, 1)));
        return 0;
    }

    /// <summary>luaL_typerror's text: "bad argument #n to 'f' (number expected, got string)".</summary>
    internal static string BadArgument(IntPtr L, int n, string function, string expected)
    {
        var t = lua_type(L, n);
        return $"bad argument #{n} to '{function}' ({expected} expected, got {TypeName(t)})";
    }

    internal static string TypeName(int t) => t switch
    {
        LUA_TNONE => "no value",
        LUA_TNIL => "nil",
        LUA_TBOOLEAN => "boolean",
        LUA_TLIGHTUSERDATA => "userdata",
        LUA_TNUMBER => "number",
        LUA_TSTRING => "string",
        LUA_TTABLE => "table",
        LUA_TFUNCTION => "function",
        LUA_TUSERDATA => "userdata",
        LUA_TTHREAD => "thread",
        _ => "?",
    };
}
