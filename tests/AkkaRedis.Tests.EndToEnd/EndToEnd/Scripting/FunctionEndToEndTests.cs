using System.Text;
using AkkaRedis.Tests.EndToEnd.EndToEnd.Persistence;
using AkkaRedis.Tests.EndToEnd.Infrastructure;

namespace AkkaRedis.Tests.EndToEnd.EndToEnd.Scripting;

/// <summary>
/// Functions end to end, each test with servers of its own (AkkaRedis with 4 shards, redis-server 7.0.15): a function
/// that loops for ever makes the other clients get -BUSY, FUNCTION STATS shows it, FUNCTION KILL ends it and service
/// resumes; libraries survive a restart through SAVE, BGSAVE, the AOF (RDB preamble or command base, plus FUNCTION LOAD
/// appended after it) and DEBUG RELOAD; an RDB file with libraries from redis-server loads here and ours loads there;
/// FUNCTION DUMP of one server RESTOREs in the other. Libraries are compared one at a time through LIBRARYNAME (Redis
/// lists them, and a library's functions, in the order of randomly seeded dicts), each with one function.
/// </summary>
[Collection(E2ECollection.Name)]
[Trait("Category", "EndToEnd")]
public sealed class FunctionEndToEndTests
{
    private const string Busy = "-BUSY Redis is busy running a script. You can only call FUNCTION KILL or SHUTDOWN NOSAVE.\\r\\n";
    private static readonly string[] Debug = ["--enable-debug-command", "yes"];

    private const string CounterLib = "#!lua name=counter\nredis.register_function('bump', function(keys, args) return redis.call('incrby', keys[1], args[1]) end)";
    private const string ReaderLib = "#!lua name=reader\nredis.register_function{function_name='peek', callback=function(keys) return redis.call('get', keys[1]) end, flags={'no-writes'}, description='reads'}";
    private const string LoopLib = "#!lua name=loop\nredis.register_function{function_name='spin', callback=function(keys, args) local i = 0 while true do i = i + 1 end end, flags={'no-writes'}}";

    public static TheoryData<string, int> TargetsAndKeys => new()
    {
        { "akkaredis", 0 }, { "akkaredis", 1 }, { "redis", 0 }, { "redis", 1 },
    };

    public static TheoryData<string> Targets => new() { "akkaredis", "redis" };

    private static ServerProcess Start(string target, params string[] args) => target == "redis"
        ? RealRedisProcess.Started(args)
        : AkkaRedisProcess.Started([.. E2EServers.AkkaArgs, .. args]);

    /// <summary>Loads <paramref name="code"/>; skips the test when the server cannot run Lua here (liblua5.1 missing).</summary>
    private static void LoadOrSkip(RawRespClient client, string code, string library)
    {
        var reply = client.CallText("FUNCTION", "LOAD", code);
        Skip.If(reply.StartsWith("-ERR Lua is not available", StringComparison.Ordinal), $"no Lua engine here: {reply}");
        Assert.Equal($"${library.Length}\\r\\n{library}\\r\\n", reply);
    }

    private static void LoadLibraries(RawRespClient client)
    {
        LoadOrSkip(client, CounterLib, "counter");
        LoadOrSkip(client, ReaderLib, "reader");
    }

    /// <summary>Both libraries are there with their code, flags and description, and run.</summary>
    private static void AssertLibraries(RawRespClient client, string because)
    {
        Assert.True(client.CallText("FUNCTION", "LIST", "LIBRARYNAME", "counter", "WITHCODE") == Listing("counter", "bump", null, false, CounterLib), because);
        Assert.True(client.CallText("FUNCTION", "LIST", "LIBRARYNAME", "reader", "WITHCODE") == Listing("reader", "peek", "reads", true, ReaderLib), because);
        Assert.Contains("number_of_libraries:2", client.CallText("INFO", "memory"));
        var before = client.CallText("GET", "n") is var n && n.StartsWith("$-1") ? 0 : long.Parse(n.Split("\\r\\n")[1]);
        Assert.Equal($":{before + 5}\\r\\n", client.CallText("FCALL", "bump", "1", "n", "5"));
        Assert.Equal($"${(before + 5).ToString().Length}\\r\\n{before + 5}\\r\\n", client.CallText("FCALL_RO", "peek", "1", "n"));
    }

    private static string Listing(string library, string function, string? description, bool noWrites, string code) =>
        $"*1\\r\\n*8\\r\\n$12\\r\\nlibrary_name\\r\\n${library.Length}\\r\\n{library}\\r\\n$6\\r\\nengine\\r\\n$3\\r\\nLUA\\r\\n$9\\r\\nfunctions\\r\\n" +
        $"*1\\r\\n*6\\r\\n$4\\r\\nname\\r\\n${function.Length}\\r\\n{function}\\r\\n$11\\r\\ndescription\\r\\n" +
        (description == null ? "$-1\\r\\n" : $"${description.Length}\\r\\n{description}\\r\\n") +
        "$5\\r\\nflags\\r\\n" + (noWrites ? "*1\\r\\n+no-writes\\r\\n" : "*0\\r\\n") +
        $"$12\\r\\nlibrary_code\\r\\n${Encoding.UTF8.GetByteCount(code)}\\r\\n{code.Replace("\n", "\\n")}\\r\\n";

    /// <summary>A function with no key (every shard held) or one key (inline on its shard) loops; once past
    /// busy-reply-threshold other commands get -BUSY, FUNCTION STATS shows it with its command, SCRIPT KILL is refused,
    /// FUNCTION KILL stops it, its client gets the kill error and service resumes.</summary>
    [SkippableTheory, MemberData(nameof(TargetsAndKeys))]
    public void LoopingFunctionIsKilledWhileOthersGetBusyThenServiceResumes(string target, int keys)
    {
        using var server = Start(target, "--busy-reply-threshold", "100");
        using var runner = server.Connect(TimeSpan.FromSeconds(30));
        using var other = server.Connect();
        LoadOrSkip(other, LoopLib, "loop");
        Assert.Equal("+OK\\r\\n", other.CallText("SET", "b", "before"));
        Assert.Equal("-NOTBUSY No scripts in execution right now.\\r\\n", other.CallText("FUNCTION", "KILL"));

        string[] call = keys == 0 ? ["FCALL", "spin", "0", "x"] : ["FCALL", "spin", "1", "a", "x"];
        runner.SendCommand(call);
        Assert.True(Poll.Until(() => other.CallText("PING") == Busy, TimeSpan.FromSeconds(10)), "never busy");
        Assert.Equal(Busy, other.CallText("GET", "b"));
        Assert.Equal(Busy, other.CallText("FUNCTION", "LIST"));
        Assert.Equal(Busy, other.CallText("EVAL", "return 1", "0"));
        Assert.Equal(Busy, other.CallText("SCRIPT", "KILL"));
        var stats = RespValue.Parse(other.Call("FUNCTION", "STATS"));
        var running = stats.Items![1];
        Assert.Equal("spin", Encoding.UTF8.GetString(running.Items![1].Payload!));
        Assert.Equal(call, running.Items[3].Items!.Select(i => Encoding.UTF8.GetString(i.Payload!)));
        Assert.Equal("duration_ms", Encoding.UTF8.GetString(running.Items[4].Payload!));

        Assert.Equal("+OK\\r\\n", other.CallText("FUNCTION", "KILL"));
        var killed = Encoding.ASCII.GetString(runner.ReadReply());
        Assert.StartsWith("-ERR Script killed by user with SCRIPT KILL...", killed);
        Assert.Equal("+PONG\\r\\n", other.CallText("PING"));
        Assert.Equal("$6\\r\\nbefore\\r\\n", other.CallText("GET", "b"));
        Assert.StartsWith("*4\\r\\n$14\\r\\nrunning_script\\r\\n$-1\\r\\n", other.CallText("FUNCTION", "STATS"));
        Assert.Equal("-NOTBUSY No scripts in execution right now.\\r\\n", other.CallText("FUNCTION", "KILL"));
    }

    public static TheoryData<string, string> RestartWays => new()
    {
        { "akkaredis", "save" }, { "akkaredis", "bgsave" }, { "akkaredis", "aof-preamble" }, { "akkaredis", "aof-commands" },
        { "redis", "save" }, { "redis", "bgsave" }, { "redis", "aof-preamble" }, { "redis", "aof-commands" },
    };

    /// <summary>Libraries written by SAVE, BGSAVE or the AOF (a rewritten base, RDB preamble or commands, then a
    /// FUNCTION LOAD appended to the new incr file) come back after a restart; FLUSHALL leaves them, DEBUG RELOAD too.</summary>
    [SkippableTheory, MemberData(nameof(RestartWays))]
    public void LibrariesSurviveARestart(string target, string way)
    {
        using var dir = new TempDir();
        string[] args = way.StartsWith("aof", StringComparison.Ordinal)
            ? ["--dir", dir.Path, "--appendonly", "yes", "--aof-use-rdb-preamble", way == "aof-preamble" ? "yes" : "no", .. Debug]
            : ["--dir", dir.Path, .. Debug];
        using (var first = Start(target, args))
        {
            using var c = first.Connect();
            LoadOrSkip(c, CounterLib, "counter");
            Assert.Equal("+OK\\r\\n", c.CallText("FLUSHALL"));
            switch (way)
            {
                case "save":
                    LoadOrSkip(c, ReaderLib, "reader");
                    Assert.Equal("+OK\\r\\n", c.CallText("SAVE"));
                    break;
                case "bgsave":
                    LoadOrSkip(c, ReaderLib, "reader");
                    Assert.Equal("+Background saving started\\r\\n", c.CallText("BGSAVE"));
                    Assert.True(Poll.Until(() => c.CallText("INFO", "persistence") is var i && i.Contains("rdb_bgsave_in_progress:0") && i.Contains("rdb_last_bgsave_status:ok"),
                        TimeSpan.FromSeconds(30)), "BGSAVE did not finish");
                    break;
                default:
                    Assert.Equal("+Background append only file rewriting started\\r\\n", c.CallText("BGREWRITEAOF"));
                    Assert.True(Poll.Until(() => c.CallText("INFO", "persistence") is var i && i.Contains("aof_rewrite_in_progress:0") && i.Contains("aof_rewrite_scheduled:0") && i.Contains("aof_last_bgrewrite_status:ok"),
                        TimeSpan.FromSeconds(30)), "BGREWRITEAOF did not finish");
                    LoadOrSkip(c, ReaderLib, "reader");
                    break;
            }
            AssertLibraries(c, $"{target} before the restart ({way})");
        } // the process is killed: no save at shutdown, only what the file (or the AOF) holds comes back
        using var second = Start(target, args);
        using var client = second.Connect();
        AssertLibraries(client, $"{target} after the restart ({way})");
        Assert.Equal("+OK\\r\\n", client.CallText("DEBUG", "RELOAD"));
        AssertLibraries(client, $"{target} after DEBUG RELOAD ({way})");
    }

    /// <summary>An RDB file redis-server saved with libraries loads here with the same libraries (and ours loads in
    /// redis-server); FUNCTION DUMP of each RESTOREs in the other.</summary>
    [SkippableFact]
    public void Rdb_files_and_dump_payloads_with_libraries_go_both_ways()
    {
        using var other = AkkaRedisProcess.Started([.. E2EServers.AkkaArgs]);
        using var xc = other.Connect();
        LoadOrSkip(xc, LoopLib, "loop");
        Assert.Equal("+OK\\r\\n", xc.CallText("FUNCTION", "FLUSH"));

        using var dir = new TempDir();
        using (var redis = RealRedisProcess.Started(["--dir", dir.Path]))
        {
            using var rc = redis.Connect();
            LoadLibraries(rc);
            Assert.Equal("+OK\\r\\n", rc.CallText("SAVE"));
        }
        using (var ours = AkkaRedisProcess.Started([.. E2EServers.AkkaArgs, "--dir", dir.Path]))
        {
            using var oc = ours.Connect();
            AssertLibraries(oc, "redis-server's RDB loaded here");
            Assert.Equal("+OK\\r\\n", oc.CallText("SAVE"));
        }
        using var again = RealRedisProcess.Started(["--dir", dir.Path]);
        using var ac = again.Connect();
        AssertLibraries(ac, "our RDB loaded in redis-server");

        var payload = ac.Call("FUNCTION", "DUMP");
        Assert.Equal("+OK\\r\\n", Resp.Escape(xc.Call([Encoding.ASCII.GetBytes("FUNCTION"), Encoding.ASCII.GetBytes("RESTORE"), BulkPayload(payload)])));
        AssertLibraries(xc, "redis-server's FUNCTION DUMP restored here");
        Assert.Equal("+OK\\r\\n", ac.CallText("FUNCTION", "FLUSH"));
        Assert.Equal("+OK\\r\\n", Resp.Escape(ac.Call([Encoding.ASCII.GetBytes("FUNCTION"), Encoding.ASCII.GetBytes("RESTORE"), BulkPayload(xc.Call("FUNCTION", "DUMP"))])));
        AssertLibraries(ac, "our FUNCTION DUMP restored in redis-server");
    }

    /// <summary>The bytes of a bulk string reply.</summary>
    private static byte[] BulkPayload(byte[] reply)
    {
        Assert.Equal((byte)'$', reply[0]);
        var header = Array.IndexOf(reply, (byte)'\n') + 1;
        return reply[header..^2];
    }
}
