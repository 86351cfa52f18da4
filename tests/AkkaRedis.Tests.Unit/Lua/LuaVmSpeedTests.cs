using System.Diagnostics;
using System.Text;
using AkkaRedis.Actors.Lua;
using AkkaRedis.Net.Resp;
using Xunit.Abstractions;

namespace AkkaRedis.Tests.Unit.Lua;

/// <summary>The VM's own cost for the benchmark script (one GET and one SET) against a bridge that answers
/// at once: calls per second and bytes allocated per call (scripts/bench measures the whole server).</summary>
public sealed class LuaVmSpeedTests(ITestOutputHelper output)
{
    private sealed class ConstantBridge : IRedisBridge
    {
        public bool Call(CommandArgs argv, RespWriter reply)
        {
            if (argv.Length == 2) reply.Bulk("value"u8);
            else reply.Ok();
            return true;
        }

        public void SetRepl(int flags) { }
        public void Log(int level, string message) { }
        public Interruption Interrupt() => Interruption.None;
    }

    [SkippableFact]
    [Trait("Category", "Benchmark")]
    public void Get_set_script_calls_per_second()
    {
        Skip.IfNot(LuaVm.Available, LuaVm.UnavailableReason);
        using var vm = new LuaVm(LuaVmKind.Eval);
        const string body = "local v = redis.call('get', KEYS[1]) redis.call('set', KEYS[1], ARGV[1]) return v";
        Assert.Null(vm.Define("f_bench", Encoding.UTF8.GetBytes(body)));
        var bridge = new ConstantBridge();
        var reply = new RespWriter();
        CommandArgs keys = CommandArgs.Of("key:000001");
        CommandArgs argv = CommandArgs.Of("xxx");
        for (var i = 0; i < 20_000; i++)
        {
            reply.Reset();
            vm.Call("f_bench", keys, argv, bridge, reply);
        }
        Assert.Equal("$5\r\nvalue\r\n", Encoding.ASCII.GetString(reply.Written));
        const int n = 200_000;
        var allocated = GC.GetAllocatedBytesForCurrentThread();
        var cpu = Process.GetCurrentProcess().TotalProcessorTime;
        var sw = Stopwatch.StartNew();
        for (var i = 0; i < n; i++)
        {
            reply.Reset();
            vm.Call("f_bench", keys, argv, bridge, reply);
        }
        sw.Stop();
        cpu = Process.GetCurrentProcess().TotalProcessorTime - cpu;
        allocated = GC.GetAllocatedBytesForCurrentThread() - allocated;
        var perSecond = n / sw.Elapsed.TotalSeconds;
        // CPU time is the steadier number on a shared machine (wall time includes waiting for a core).
        output.WriteLine($"{perSecond:N0} calls/s wall ({sw.Elapsed.TotalMilliseconds * 1000 / n:F2} us per call), " +
                         $"{cpu.TotalMilliseconds * 1000 / n:F2} us CPU per call ({n / cpu.TotalSeconds:N0} calls per CPU second), " +
                         $"{allocated / (double)n:F1} managed bytes per call");
        Assert.True(allocated / n < 64, $"{allocated / (double)n:F1} managed bytes allocated per call");
    }
}
