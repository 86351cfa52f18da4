using System.Security.Cryptography;
using System.Text;
using AkkaRedis.Actors.Lua;
using AkkaRedis.Net.Resp;

namespace AkkaRedis.Tests.Unit.Lua;

/// <summary>The Redis 7.0 Lua state against a fake bridge; expected bytes are redis-server 7.0.15's replies to the
/// same EVAL (recorded with redis-cli against the real server).</summary>
public sealed class LuaVmTests : IDisposable
{
    private readonly LuaVm? _vm;
    private readonly FakeBridge _bridge = new();

    public LuaVmTests()
    {
        if (LuaVm.Available) _vm = new LuaVm(LuaVmKind.Eval);
    }

    public void Dispose() => _vm?.Dispose();

    internal static string Sha(string body) => Convert.ToHexStringLower(SHA1.HashData(Encoding.UTF8.GetBytes(body)));

    private string Eval(string body, string[]? keys = null, string[]? args = null, int protocol = 2)
    {
        Skip.IfNot(LuaVm.Available, LuaVm.UnavailableReason);
        var name = "f_" + Sha(body);
        var err = _vm!.Define(name, Encoding.UTF8.GetBytes(body));
        if (err != null) return "-" + err + "\r\n";
        var w = new RespWriter { Protocol = protocol };
        var r = _vm.Call(name, CommandArgs.Of(keys ?? []), CommandArgs.Of(args ?? []), _bridge, w);
        return r == LuaCallResult.Aborted ? "<aborted>" : Encoding.Latin1.GetString(w.Written);
    }

    private string Err(string body, string message) => "-" + message + " script: " + Sha(body) + ", on @user_script:1.\r\n";

    [SkippableFact]
    public void Keys_argv_and_basic_conversions()
    {
        Assert.Equal("*3\r\n$1\r\na\r\n$1\r\nb\r\n$1\r\nc\r\n", Eval("return {KEYS[1], ARGV[1], ARGV[2]}", ["a"], ["b", "c"]));
        Assert.Equal(":3\r\n", Eval("return 3.99"));
        Assert.Equal(":-3\r\n", Eval("return -3.7"));
        Assert.Equal(":-9223372036854775808\r\n", Eval("return 1e30"));
        Assert.Equal(":1\r\n", Eval("return true"));
        Assert.Equal("$-1\r\n", Eval("return false"));
        Assert.Equal("$-1\r\n", Eval("return nil"));
        Assert.Equal("*2\r\n:1\r\n:2\r\n", Eval("return {1,2,nil,3}"));
        Assert.Equal("+fine\r\n", Eval("return {ok='fine'}"));
        Assert.Equal("-x\r\n", Eval("return {err='x'}"));
        Assert.Equal("$3\r\n1.5\r\n", Eval("return {double=1.5}"));
        Assert.Equal(",1.5\r\n", Eval("return {double=1.5}", protocol: 3));
        Assert.Equal("-ERR x\r\n", Eval("return redis.error_reply('x')"));
        Assert.Equal("-MY x\r\n", Eval("return redis.error_reply('-MY x')"));
        Assert.Equal("-ERR wrong number or type of arguments\r\n", Eval("return redis.status_reply(1)"));
        Assert.Equal("$0\r\n\r\n", Eval("return ''"));
    }

    [SkippableFact]
    public void Redis_call_and_pcall_through_the_bridge()
    {
        Assert.Equal("+OK\r\n", Eval("return redis.call('set', KEYS[1], ARGV[1])", ["k"], ["v"]));
        Assert.Equal("$1\r\nv\r\n", Eval("return redis.call('get', KEYS[1])", ["k"]));
        Assert.Equal(":1\r\n", Eval("return redis.call('incr', 'n')"));
        Assert.Equal("$19\r\n0.10000000000000001\r\n", Eval("return redis.call('echo', 0.1)"));
        Assert.Equal("$22\r\n1.2345678901234567e+19\r\n", Eval("return redis.call('echo', 12345678901234567890)"));
        Assert.Equal(":1\r\n", Eval("return redis.call('get', 'missing') == false"));
        var b = "return redis.call('nosuch')";
        Assert.Equal(Err(b, "ERR Unknown Redis command called from script"), Eval(b));
        Assert.Equal("-ERR Unknown Redis command called from script\r\n", Eval("return redis.pcall('nosuch')"));
        b = "return redis.call()";
        Assert.Equal(Err(b, "ERR Please specify at least one argument for this redis lib call"), Eval(b));
        b = "return redis.call({})";
        Assert.Equal(Err(b, "ERR Lua redis lib command arguments must be strings or integers"), Eval(b));
        Assert.Equal("-ERR Lua redis lib command arguments must be strings or integers\r\n", Eval("return redis.pcall('get', {})"));
        Assert.Equal("$58\r\nERR Wrong number of args calling Redis command from script\r\n",
            Eval("local t = redis.pcall('incr') return t.err"));
        Assert.Equal("$6\r\nstring\r\n", Eval("local ok, e = pcall(redis.call, 'incr') return type(e)"));
    }

    [SkippableFact]
    public void Script_errors_carry_redis_7_suffixes()
    {
        var b = "error('x')";
        Assert.Equal(Err(b, "ERR user_script:1: x"), Eval(b));
        b = "error({err='MY x'})";
        Assert.Equal(Err(b, "MY x"), Eval(b));
        b = "error(nil)";
        Assert.Equal(Err(b, "ERR nil"), Eval(b));
        b = "error(12)";
        Assert.Equal(Err(b, "ERR user_script:1: 12"), Eval(b));
        b = "local function f() error('deep') end\nf()";
        Assert.Equal(Err(b, "ERR user_script:1: deep"), Eval(b));
        Assert.Equal("-ERR Error compiling script (new function): user_script:1: '=' expected near 'error'\r\n", Eval("syntax error here"));
        Assert.Equal("-ERR Error compiling script (new function): user_script:1: '<eof>' expected near 'end'\r\n", Eval("return 1 end"));
        b = "return string.format('%d', 'x')";
        Assert.Equal(Err(b, "ERR user_script:1: bad argument #2 to 'format' (number expected, got string)"), Eval(b));
    }

    [SkippableFact]
    public void Sandbox_as_redis_7_0_15()
    {
        var b = "return type(x)";
        Assert.Equal(Err(b, "ERR user_script:1: Script attempted to access nonexistent global variable 'x'"), Eval(b));
        foreach (var s in new[] { "x=1", "redis.call=1", "string.x=1", "_G.x = 1", "getmetatable('').__index.x=1", "getmetatable(_G).__index = nil" })
            Assert.Equal(Err(s, "ERR user_script:1: Attempt to modify a readonly table"), Eval(s));
        b = "setmetatable(_G, nil)";
        Assert.Equal(Err(b, "ERR Attempt to modify a readonly table"), Eval(b));
        b = "return rawset(_G,'x',1)";
        Assert.Equal(Err(b, "ERR Attempt to modify a readonly table"), Eval(b));
        foreach (var g in new[] { "loadfile", "dofile", "print", "debug", "newproxy", "setfenv", "getfenv", "module", "require" })
        {
            b = "return type(" + g + ")";
            Assert.Equal(Err(b, $"ERR user_script:1: Script attempted to access nonexistent global variable '{g}'"), Eval(b));
        }
        const string globals = "ARGV KEYS _G _VERSION __redis__err__handler assert bit cjson cmsgpack collectgarbage coroutine error gcinfo getmetatable ipairs load loadstring math next pairs pcall rawequal rawget rawset redis select setmetatable string struct table tonumber tostring type unpack xpcall";
        Assert.Equal($"${globals.Length}\r\n{globals}\r\n", Eval("local t={} for k in pairs(_G) do t[#t+1]=k end table.sort(t) return table.concat(t, ' ')"));
        const string api = "LOG_DEBUG LOG_NOTICE LOG_VERBOSE LOG_WARNING REDIS_VERSION REDIS_VERSION_NUM REPL_ALL REPL_AOF REPL_NONE REPL_REPLICA REPL_SLAVE acl_check_cmd breakpoint call debug error_reply log pcall replicate_commands set_repl setresp sha1hex status_reply";
        Assert.Equal($"${api.Length}\r\n{api}\r\n", Eval("local t={} for k in pairs(redis) do t[#t+1]=k end table.sort(t) return table.concat(t, ' ')"));
        Assert.Equal("$1\r\nx\r\n", Eval("KEYS[1]='x'; return KEYS[1]", ["a"]));
        Assert.Equal(":1\r\n", Eval("return getmetatable('').__index == string"));
        Assert.Equal(":15\r\n", Eval("local t = {} for k,v in pairs(string) do t[#t+1]=k end return #t"));
        Assert.Equal("$2\r\nxx\r\n", Eval("return ('x'):rep(2)"));
        Assert.Equal(":1\r\n", Eval("local t = {} setmetatable(t, {__index=function() return 1 end}) return t.y"));
        // loadstring'd code runs in the sandbox too
        b = "loadstring('redis = nil')()";
        Assert.Equal("-ERR [string \"redis = nil\"]:1: Attempt to modify a readonly table script: " + Sha(b) + ", on redis = nil:1.\r\n", Eval(b));
        // a tail call keeps the script's frame (redis.call is a C function in Redis)
        b = "local x = 1\nreturn redis.call('nosuch')";
        Assert.Equal("-ERR Unknown Redis command called from script script: " + Sha(b) + ", on @user_script:2.\r\n", Eval(b));
    }

    [SkippableFact]
    public void Math_random_follows_redis_lrand48()
    {
        // redis-server 7.0.15: one sequence for the server's life; math.randomseed(0) restarts it.
        Assert.Equal("*4\r\n$16\r\n0.17082803611217\r\n$16\r\n0.74990198051087\r\n:10\r\n:10\r\n",
            Eval("math.randomseed(0) local a = math.random() return {tostring(a), tostring(math.random()), math.random(100), math.random(5,10)}"));
        Assert.Equal("*2\r\n:267\r\n:683\r\n", Eval("math.randomseed(7) return {math.random(1000), math.random(1000)}"));
    }

    [SkippableFact]
    public void Redis_helpers()
    {
        Assert.Equal("$40\r\nda39a3ee5e6b4b0d3255bfef95601890afd80709\r\n", Eval("return redis.sha1hex('')"));
        Assert.Equal("$13\r\n7.0.15 458767\r\n", Eval("return redis.REDIS_VERSION .. ' ' .. redis.REDIS_VERSION_NUM"));
        Assert.Equal(":1\r\n", Eval("return redis.replicate_commands()"));
        Assert.Equal("*1\r\n$-1\r\n", Eval("return {redis.breakpoint(), redis.debug('x')}"));
        Assert.Equal("$-1\r\n", Eval("redis.log(redis.LOG_WARNING, 'hi', 1, {})"));
        Assert.Equal((3, "hi 1"), _bridge.Logs.Single());
        var b = "redis.log(5, 'hi')";
        Assert.Equal(Err(b, "ERR Invalid debug level."), Eval(b));
        b = "redis.log('x', 'hi')";
        Assert.Equal(Err(b, "ERR First argument must be a number (log level)."), Eval(b));
        b = "redis.log(1)";
        Assert.Equal(Err(b, "ERR redis.log() requires two arguments or more."), Eval(b));
        b = "return redis.set_repl(9)";
        Assert.Equal(Err(b, "ERR Invalid replication flags. Use REPL_AOF, REPL_REPLICA, REPL_ALL or REPL_NONE."), Eval(b));
        b = "return redis.set_repl()";
        Assert.Equal(Err(b, "ERR redis.set_repl() requires two arguments."), Eval(b));
        Eval("redis.set_repl(redis.REPL_AOF)");
        Assert.Equal(1, _bridge.ReplFlags);
        b = "return redis.setresp(4)";
        Assert.Equal(Err(b, "ERR RESP version must be 2 or 3."), Eval(b));
    }
}
