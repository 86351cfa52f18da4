using System.Text;
using AkkaRedis.Actors.Lua;
using AkkaRedis.Net.Resp;

namespace AkkaRedis.Tests.Unit.Lua;

/// <summary>The count hook (SCRIPT KILL / FUNCTION KILL through IRedisBridge.Interrupt) and the bridge's abort: both
/// stop the script for good, whatever pcall it hides behind.</summary>
public sealed class LuaKillTests : IDisposable
{
    private readonly LuaVm? _vm;
    private readonly FakeBridge _bridge = new();

    public LuaKillTests()
    {
        if (LuaVm.Available) _vm = new LuaVm(LuaVmKind.Eval);
    }

    public void Dispose() => _vm?.Dispose();

    private string Eval(string body)
    {
        Skip.IfNot(LuaVm.Available, LuaVm.UnavailableReason);
        var name = "f_" + LuaVmTests.Sha(body);
        Assert.Null(_vm!.Define(name, Encoding.UTF8.GetBytes(body)));
        var w = new RespWriter();
        var r = _vm.Call(name, CommandArgs.Empty, CommandArgs.Empty, _bridge, w);
        return r == LuaCallResult.Aborted ? "<aborted>" : Encoding.Latin1.GetString(w.Written);
    }

    [SkippableTheory]
    [InlineData("while true do end")]
    [InlineData("while true do pcall(function() while true do end end) end")]
    [InlineData("local co = coroutine.wrap(function() while true do end end)\nwhile true do pcall(co) end")]
    [InlineData("while true do local ok = pcall(redis.call, 'get', 'x') end")]
    [InlineData("local t = {} for i = 1, 100 do t[i] = i end\nwhile true do pcall(table.sort, t, function(a, b) while true do end end) end")]
    public void A_killed_script_stops_whatever_pcall_it_hides_behind(string body)
    {
        _bridge.InterruptFn = () => _bridge.Interrupts >= 3;
        var reply = Eval(body);
        Assert.StartsWith("-ERR Script killed by user with SCRIPT KILL... script: ", reply);
        Assert.True(_bridge.Interrupts >= 3);
        // the VM is usable again afterwards, with a working hook
        _bridge.InterruptFn = () => false;
        Assert.Equal(":7\r\n", Eval("return 7"));
        var before = _bridge.Interrupts;
        Assert.Equal(":1\r\n", Eval("local n = 0 for i = 1, 1000000 do n = n + 1 end return 1"));
        Assert.True(_bridge.Interrupts > before);
    }

    [SkippableFact]
    public void A_bridge_abort_is_uncatchable_and_writes_nothing()
    {
        _bridge.AbortNext = true;
        Assert.Equal("<aborted>", Eval("local ok = pcall(redis.call, 'get', 'x') return 1"));
        Assert.Equal("<aborted>", Eval("local ok = redis.pcall('get', 'x') return 1"));
        Assert.Equal("<aborted>", Eval("local co = coroutine.wrap(function() redis.call('get', 'x') end) pcall(co) return 1"));
        _bridge.AbortNext = false;
        Assert.Equal(":1\r\n", Eval("local x = redis.call('get', 'x') return 1"));
    }
}
