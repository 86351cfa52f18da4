using System.Text;
using System.Text.RegularExpressions;
using AkkaRedis.Actors.Commands.Scripting;
using AkkaRedis.Actors.Lua;
using AkkaRedis.Actors.Storage.Rdb;
using AkkaRedis.Tests.Unit.Commands;

namespace AkkaRedis.Tests.Unit.Scripting;

/// <summary>
/// The function registry's rules (functions.c) without a Lua engine: a stand-in compiler reads
/// <c>register('name'[, 'flag'...])</c> lines. Library metadata, name rules, collisions (function names across
/// libraries without case), REPLACE, RESTORE's policies and payload errors, DUMP's bytes, RDB loads, snapshots.
/// </summary>
public sealed class FunctionRegistryTests
{
    /// <summary>register('f') or register('f', 'no-writes') per line; a line "fail" fails as Lua would.</summary>
    private sealed class FakeCompiler : ILibraryCompiler
    {
        public int Calls;

        public string? Compile(string library, ReadOnlySpan<byte> body, List<LuaFunctionRegistration> registered)
        {
            Calls++;
            var text = Encoding.UTF8.GetString(body);
            if (!text.StartsWith('\n')) return "body must start at the shebang's newline";
            if (text.Contains("fail")) return "Error compiling function: user_function:2: boom";
            foreach (Match m in Regex.Matches(text, @"register\('(\w+)'(?:, '([\w-]+)')?\)"))
                registered.Add(new LuaFunctionRegistration(m.Groups[1].Value, null,
                    m.Groups[2].Value == "no-writes" ? ScriptFlags.NoWrites : ScriptFlags.None));
            return null;
        }
    }

    private static byte[] B(string s) => Encoding.UTF8.GetBytes(s);
    private static byte[] Lib(string name, params string[] functions) =>
        B($"#!lua name={name}\n" + string.Join("\n", functions.Select(f => $"register('{f}')")));

    private readonly FakeCompiler _compiler = new();
    private FunctionRegistry NewRegistry() => new(_compiler);

    [Theory]
    [InlineData("return 1", "ERR Missing library metadata")]
    [InlineData("#!lua name=x", "ERR Invalid library metadata")]
    [InlineData("#!lua name=x foo=bar\n", "ERR Invalid metadata value given: foo=bar")]
    [InlineData("#!lua name=x name=y\n", "ERR Invalid metadata value, name argument was given multiple times")]
    [InlineData("#!lua\n", "ERR Library name was not given")]
    [InlineData("#!lua name=\"ab\n", "ERR Invalid library metadata")]
    [InlineData("#!lua name=a-b\n", "ERR Library names can only contain letters, numbers, or underscores(_) and must be at least one character long")]
    [InlineData("#!lua name=\n", "ERR Library names can only contain letters, numbers, or underscores(_) and must be at least one character long")]
    [InlineData("#!js name=x\n", "ERR Engine 'js' not found")]
    [InlineData("#! name=x\n", "ERR Engine '' not found")]
    [InlineData("#!lua name=x\nreturn 1", "ERR No functions registered")]
    [InlineData("#!lua name=x\nfail", "ERR Error compiling function: user_function:2: boom")]
    [InlineData("#!lua name=x\0\nregister('f')", "ERR Invalid library metadata")]
    public void Load_errors_are_Redis_words(string code, string error)
    {
        var registry = NewRegistry();
        Assert.Equal(error, registry.Load(B(code), replace: false, out var library));
        Assert.Null(library);
        Assert.Equal(0, registry.Current.Version);
    }

    [Fact]
    public void Load_parses_the_shebang_as_sdssplitargs_and_keeps_the_whole_code()
    {
        var registry = NewRegistry();
        var code = B("#!LUA   NAME=ab  \nregister('f', 'no-writes')\nregister('g')");
        Assert.Null(registry.Load(code, replace: false, out var library));
        Assert.Equal("ab", library);
        var snapshot = registry.Current;
        var lib = Assert.Single(snapshot.Libraries);
        Assert.Equal(code, lib.Code);
        Assert.Equal("\nregister('f', 'no-writes')\nregister('g')", Encoding.UTF8.GetString(lib.Body));
        Assert.Equal(["f", "g"], lib.Functions.Select(f => f.Name));
        Assert.Equal(ScriptFlags.NoWrites, lib.Functions[0].Flags);
        Assert.Equal(1, snapshot.Version);
    }

    [Fact]
    public void Function_names_collide_across_libraries_without_case_and_are_found_without_case()
    {
        var registry = NewRegistry();
        Assert.Null(registry.Load(Lib("x", "f"), false, out _));
        Assert.Equal("ERR Function F already exists", registry.Load(Lib("y", "F"), false, out _));
        Assert.Null(registry.Load(Lib("X", "g", "G"), false, out _)); // library names have case; one library may hold g and G
        Assert.Same(registry.Current.ByName["x"], registry.Current.FindFunction(B("F"))!.Library);
        Assert.Null(registry.Current.FindFunction(B("nope")));
        // Redis counts f, g and G in FUNCTION STATS but g and G are one entry of its case-blind function dict (INFO's
        // number_of_functions is 2; redis-server 7.0.15 then crashes on FUNCTION DELETE X, which must not happen here).
        Assert.Equal(3, registry.Current.FunctionCount);
        Assert.Equal(2, registry.Current.Functions.Count);
        Assert.True(registry.Delete(B("X")));
        Assert.Equal(1, registry.Current.Functions.Count);
    }

    [Fact]
    public void Replace_swaps_a_library_and_may_reuse_its_own_function_names_only()
    {
        var registry = NewRegistry();
        Assert.Null(registry.Load(Lib("x", "f"), false, out _));
        Assert.Null(registry.Load(Lib("y", "g"), false, out _));
        Assert.Equal("ERR Library 'x' already exists", registry.Load(Lib("x", "f"), false, out _));
        Assert.Equal("ERR Function g already exists", registry.Load(Lib("x", "f", "g"), true, out _));
        var before = registry.Current;
        Assert.Null(registry.Load(Lib("x", "f", "h"), true, out _));
        Assert.NotSame(before, registry.Current);
        Assert.Equal(["f", "h"], registry.Current.ByName["x"].Functions.Select(f => f.Name));
        // The old snapshot is untouched: a VM running it meanwhile sees one consistent state.
        Assert.Equal(["f"], before.ByName["x"].Functions.Select(f => f.Name));
        Assert.True(registry.Delete(B("x")));
        Assert.False(registry.Delete(B("x")));
        Assert.Null(registry.Current.FindFunction(B("h")));
    }

    [Fact]
    public void Dump_and_restore_round_trip_with_Redis_policies()
    {
        var registry = NewRegistry();
        Assert.Null(registry.Load(Lib("x", "f"), false, out _));
        Assert.Null(registry.Load(Lib("y", "g"), false, out _));
        var payload = FunctionRegistry.Dump(registry.Current, compress: true);
        Assert.True(DumpPayload.Verify(payload, skipChecksum: false));

        Assert.Equal("ERR Library x already exists", registry.Restore(payload, FunctionRestorePolicy.Append, false));
        Assert.Null(registry.Restore(payload, FunctionRestorePolicy.Replace, false));
        Assert.Equal(["x", "y"], registry.Current.Libraries.Select(l => l.Name).Order());

        var other = NewRegistry();
        Assert.Null(other.Load(Lib("z", "F"), false, out _));
        Assert.Equal("ERR Function f already exists", other.Restore(payload, FunctionRestorePolicy.Append, false));
        Assert.Equal(["z"], other.Current.Libraries.Select(l => l.Name));
        Assert.Null(other.Restore(payload, FunctionRestorePolicy.Flush, false));
        Assert.Equal(["x", "y"], other.Current.Libraries.Select(l => l.Name));
        Assert.Equal(payload, FunctionRegistry.Dump(other.Current, compress: true));
    }

    [Fact]
    public void Restore_refuses_bad_payloads_as_Redis()
    {
        var registry = NewRegistry();
        Assert.Equal("ERR DUMP payload version or checksum are wrong", registry.Restore(B("abc"), FunctionRestorePolicy.Append, false));
        Assert.Equal("ERR given type is not a function", registry.Restore(Payload(w => w.WriteByte(0)), FunctionRestorePolicy.Append, false));
        Assert.Equal("ERR Pre-GA function format not supported", registry.Restore(Payload(w => w.WriteByte(RdbFormat.OpFunctionPreGa)), FunctionRestorePolicy.Append, false));
        Assert.Equal("ERR Failed loading library payload", registry.Restore(Payload(w =>
        {
            w.WriteByte(RdbFormat.OpFunction2);
            w.WriteLength(100);
        }), FunctionRestorePolicy.Append, false));
        Assert.Equal("ERR Library 'x' already exists", registry.Restore(Payload(w =>
        {
            foreach (var _ in new[] { 1, 2 })
            {
                w.WriteByte(RdbFormat.OpFunction2);
                w.WriteString(Lib("x", "f"), compress: false);
            }
        }), FunctionRestorePolicy.Append, false));
        Assert.Equal(0, registry.Current.Version);
    }

    private static byte[] Payload(Action<RdbWriter> body)
    {
        var w = new RdbWriter(64);
        body(w);
        DumpPayload.WriteFooter(w);
        return w.Written.ToArray();
    }

    [Fact]
    public void Rdb_loads_add_to_the_current_libraries_and_fail_on_a_duplicate_unless_merging()
    {
        var registry = NewRegistry();
        Assert.Null(registry.LoadRdb([Lib("x", "f"), Lib("y", "g")], replace: false));
        Assert.Equal(2, registry.Current.Codes.Count);
        Assert.Equal("Failed loading library, ERR Library 'x' already exists", registry.LoadRdb([Lib("x", "f")], replace: false));
        Assert.Null(registry.LoadRdb([Lib("x", "f")], replace: true));
        registry.Flush();
        Assert.Empty(registry.Current.Libraries);
        Assert.Equal(200, registry.UsedMemory);
    }

    [Fact]
    public void Function_commands_reply_as_Redis_where_no_engine_is_needed()
    {
        var h = new HandlerHarness();
        Assert.Equal("-ERR Missing library metadata\r\n", h.Run("FUNCTION", "LOAD", "return 1"));
        Assert.Equal("-ERR Unknown option given: foo\r\n", h.Run("FUNCTION", "LOAD", "foo", "bar"));
        Assert.Equal("*0\r\n", h.Run("FUNCTION", "LIST"));
        Assert.Equal("-ERR library name argument was not given\r\n", h.Run("FUNCTION", "LIST", "LIBRARYNAME"));
        Assert.Equal("-ERR Unknown argument withcode\r\n", h.Run("FUNCTION", "LIST", "WITHCODE", "withcode"));
        Assert.Equal("-ERR Library not found\r\n", h.Run("FUNCTION", "DELETE", "x"));
        Assert.Equal("-ERR FUNCTION FLUSH only supports SYNC|ASYNC option\r\n", h.Run("FUNCTION", "FLUSH", "x"));
        Assert.Equal("-ERR unknown subcommand or wrong number of arguments for 'flush'. Try FUNCTION HELP.\r\n", h.Run("FUNCTION", "flush", "sync", "async"));
        Assert.Equal("+OK\r\n", h.Run("FUNCTION", "FLUSH", "ASYNC"));
        Assert.Equal("-ERR Wrong restore policy given, value should be either FLUSH, APPEND or REPLACE.\r\n", h.Run("FUNCTION", "RESTORE", "abc", "xx"));
        Assert.Equal("-ERR DUMP payload version or checksum are wrong\r\n", h.Run("FUNCTION", "RESTORE", "abc"));
        Assert.Equal("$10\r\n\n\0]\x9b\\@\x0f\x7f\xa2\xda\r\n", h.Run("FUNCTION", "DUMP"));
        Assert.Equal("-ERR Function not found\r\n", h.Run("FCALL", "f", "0"));
    }
}
