using System.Text;
using AkkaRedis.Actors.Commands.Scripting;
using AkkaRedis.Actors.Lua;
using AkkaRedis.Net.Resp;

namespace AkkaRedis.Tests.Unit.Scripting;

/// <summary>
/// A context's function VM follows the registry's snapshots with the real Lua engine: it loads libraries at its first
/// use, picks up a replaced library's new code, drops deleted and flushed ones, and does nothing while the version
/// stands still (skipped where liblua5.1 cannot be loaded).
/// </summary>
public sealed class FunctionVmTests
{
    private sealed class NoCalls : IRedisBridge
    {
        public bool Call(CommandArgs argv, RespWriter reply) => throw new InvalidOperationException("no redis.call here");
        public void SetRepl(int flags) { }
        public void Log(int level, string message) { }
        public Interruption Interrupt() => Interruption.None;
    }

    private static byte[] B(string s) => Encoding.UTF8.GetBytes(s);

    private static string Call(LuaVm vm, FunctionInfo function)
    {
        var w = new RespWriter();
        Assert.Equal(LuaCallResult.Completed, vm.CallFunction(function.Library.Name, function.Name, CommandArgs.Empty, CommandArgs.Empty, new NoCalls(), w));
        return Encoding.Latin1.GetString(w.Written);
    }

    [SkippableFact]
    public void Follows_loads_replacements_deletes_and_flushes()
    {
        Skip.IfNot(LuaVm.Available, LuaVm.UnavailableReason);
        var registry = new FunctionRegistry();
        using var functions = new FunctionVm(registry);
        Assert.Null(registry.Load(B("#!lua name=x\nredis.register_function('f', function() return 'one' end)"), false, out _));
        var vm = functions.Sync(out var error);
        Assert.Null(error);
        Assert.Equal("$3\r\none\r\n", Call(vm!, registry.Current.FindFunction(B("F"))!));
        Assert.Same(vm, functions.Sync(out _));

        Assert.Null(registry.Load(B("#!lua name=x\nredis.register_function('f', function() return 'two' end)"), true, out _));
        Assert.Null(registry.Load(B("#!lua name=y\nredis.register_function('g', function() return 3 end)"), false, out _));
        vm = functions.Sync(out _);
        Assert.Equal("$3\r\ntwo\r\n", Call(vm!, registry.Current.FindFunction(B("f"))!));
        Assert.Equal(":3\r\n", Call(vm!, registry.Current.FindFunction(B("g"))!));
        Assert.True(registry.UsedMemory > 200);
        Assert.True(registry.VmMemory > 0);

        Assert.True(registry.Delete(B("y")));
        Assert.Same(vm, functions.Sync(out _));
        Assert.Null(registry.Current.FindFunction(B("g")));
        Assert.Equal("$3\r\ntwo\r\n", Call(vm!, registry.Current.FindFunction(B("f"))!));

        registry.Flush();
        Assert.NotNull(functions.Sync(out _));
        Assert.Null(registry.Current.FindFunction(B("f")));
    }

    [SkippableFact]
    public void Compile_errors_are_the_engines_words()
    {
        Skip.IfNot(LuaVm.Available, LuaVm.UnavailableReason);
        var registry = new FunctionRegistry();
        Assert.Equal("ERR Error compiling function: user_function:2: unexpected symbol near '<eof>'",
            registry.Load(B("#!lua name=x\nredis.register_function('f', function() return 1 end) foo("), false, out _));
        Assert.Equal("ERR No functions registered", registry.Load(B("#!lua name=x\nreturn 1"), false, out _));
    }
}
