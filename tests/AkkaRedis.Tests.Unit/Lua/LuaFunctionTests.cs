using System.Text;
using AkkaRedis.Actors.Lua;
using AkkaRedis.Net.Resp;

namespace AkkaRedis.Tests.Unit.Lua;

/// <summary>Function libraries in a VM; expected texts are redis-server 7.0.15's answers to the same FUNCTION LOAD /
/// FCALL (the library code is what follows "#!lua name=lib", starting with the shebang's newline).</summary>
public sealed class LuaFunctionTests : IDisposable
{
    private readonly LuaVm? _vm;
    private readonly FakeBridge _bridge = new();

    public LuaFunctionTests()
    {
        if (LuaVm.Available) _vm = new LuaVm(LuaVmKind.Function);
    }

    public void Dispose() => _vm?.Dispose();

    private string? Load(string code, List<LuaFunctionRegistration>? registered = null, string library = "lib")
    {
        Skip.IfNot(LuaVm.Available, LuaVm.UnavailableReason);
        return _vm!.LoadLibrary(library, Encoding.UTF8.GetBytes("\n" + code), registered ?? []);
    }

    private string Fcall(string function, string[]? keys = null, string[]? args = null, string library = "lib", int protocol = 2)
    {
        var w = new RespWriter { Protocol = protocol };
        var r = _vm!.CallFunction(library, function, CommandArgs.Of(keys ?? []), CommandArgs.Of(args ?? []), _bridge, w);
        return r == LuaCallResult.Aborted ? "<aborted>" : Encoding.Latin1.GetString(w.Written);
    }

    [SkippableFact]
    public void Registers_and_calls_functions_with_keys_and_args()
    {
        var registered = new List<LuaFunctionRegistration>();
        Assert.Null(Load("""
            redis.register_function('f', function(keys, args) return {keys[1], args[1]} end)
            redis.register_function{function_name='g', callback=function() return redis.call('echo', 'x') end, flags={'no-writes', 'ALLOW-OOM'}, description='d'}
            """, registered));
        Assert.Equal([new LuaFunctionRegistration("f", null, ScriptFlags.None), new LuaFunctionRegistration("g", "d", ScriptFlags.NoWrites | ScriptFlags.AllowOom)], registered);
        Assert.Equal("*2\r\n$1\r\na\r\n$1\r\nb\r\n", Fcall("f", ["a"], ["b"]));
        Assert.Equal("$1\r\nx\r\n", Fcall("g"));
        Assert.Null(Load("redis.register_function('f5', function(keys, args) return redis.call('nosuch') end)", library: "l5"));
        Assert.Equal("-ERR Unknown Redis command called from script script: f5, on @user_function:2.\r\n", Fcall("f5", library: "l5"));
        Assert.Null(Load("redis.register_function('f16', function() error('x') end)", library: "l16"));
        Assert.Equal("-ERR user_function:2: x script: f16, on @user_function:2.\r\n", Fcall("f16", library: "l16"));
        Assert.Null(Load("redis.register_function('k', function() return type(KEYS) end)", library: "lk"));
        Assert.Equal("-ERR user_function:2: Script attempted to access nonexistent global variable 'KEYS' script: k, on @user_function:2.\r\n", Fcall("k", library: "lk"));
        const string globals = "_G _VERSION assert bit cjson cmsgpack collectgarbage coroutine error gcinfo getmetatable ipairs load loadstring math next pairs pcall rawequal rawget rawset redis select setmetatable string struct table tonumber tostring type unpack xpcall";
        const string api = "LOG_DEBUG LOG_NOTICE LOG_VERBOSE LOG_WARNING REDIS_VERSION REDIS_VERSION_NUM REPL_ALL REPL_AOF REPL_NONE REPL_REPLICA REPL_SLAVE acl_check_cmd call error_reply log pcall set_repl setresp sha1hex status_reply";
        Assert.Null(Load("""
            redis.register_function('g1', function() local t={} for k in pairs(_G) do t[#t+1]=k end table.sort(t) return table.concat(t, ' ') end)
            redis.register_function('g2', function() local t={} for k in pairs(redis) do t[#t+1]=k end table.sort(t) return table.concat(t, ' ') end)
            """, library: "g"));
        Assert.Equal($"${globals.Length}\r\n{globals}\r\n", Fcall("g1", library: "g"));
        Assert.Equal($"${api.Length}\r\n{api}\r\n", Fcall("g2", library: "g"));
    }

    [SkippableFact]
    public void Load_errors_as_redis_7_0_15()
    {
        Assert.Equal("ERR Error registering functions: ERR user_function:2: Script attempted to access nonexistent global variable 'call'", Load("redis.call('ping')"));
        Assert.Equal("ERR Error registering functions: ERR user_function:2: Script attempted to access nonexistent global variable 'string'", Load("local x = string.len('a')"));
        Assert.Equal("ERR No functions registered", Load("local x = 1"));
        Assert.Equal("ERR Error registering functions: ERR Library names can only contain letters, numbers, or underscores(_) and must be at least one character long", Load("redis.register_function('bad-name', function() end)"));
        Assert.Equal("ERR Error registering functions: ERR Function already exists in the library", Load("redis.register_function('f8', function() end)\nredis.register_function('f8', function() end)"));
        Assert.Equal("ERR Error registering functions: ERR unknown flag given", Load("redis.register_function{function_name='f9', callback=function() end, flags={'nope'}}"));
        Assert.Equal("ERR Error registering functions: ERR unknown argument given to redis.register_function", Load("redis.register_function{function_name='f10', callback=function() end, x=1}"));
        Assert.Equal("ERR Error registering functions: ERR calling redis.register_function with a single argument is only applicable to Lua table (representing named arguments).", Load("redis.register_function('a')"));
        Assert.Equal("ERR Error registering functions: ERR user_function:2: Attempt to modify a readonly table", Load("x = 1"));
        Assert.Equal("ERR Error compiling function: user_function:2: '<eof>' expected near 'error'", Load("return syntax error"));
        Assert.Equal("ERR Error registering functions: ERR user_function:2: Script attempted to access nonexistent global variable 'error'", Load("error('boom')"));
        Assert.Equal("ERR Error registering functions: ERR FUNCTION LOAD timeout", Load("while true do end"));
        // the VM still works after a timed-out load
        Assert.Null(Load("redis.register_function('ok', function() return 1 end)", library: "after"));
        Assert.Equal(":1\r\n", Fcall("ok", library: "after"));
    }

    [SkippableFact]
    public void A_failed_load_keeps_the_previous_library_and_drop_forgets_it()
    {
        Assert.Null(Load("redis.register_function('f', function() return 1 end)"));
        Assert.NotNull(Load("redis.register_function('f', function() return 2 end) error('x')"));
        Assert.Equal(":1\r\n", Fcall("f"));
        Assert.Null(Load("redis.register_function('f', function() return 2 end)"));
        Assert.Equal(":2\r\n", Fcall("f"));
        _vm!.DropLibrary("lib");
        Assert.Equal("-ERR Function not found\r\n", Fcall("f"));
        Assert.Null(Load("redis.register_function('late', function() redis.register_function('x', function() end) end)", library: "late"));
        Assert.Equal("-ERR user_function:2: attempt to call field 'register_function' (a nil value) script: late, on @user_function:2.\r\n", Fcall("late", library: "late"));
    }
}
