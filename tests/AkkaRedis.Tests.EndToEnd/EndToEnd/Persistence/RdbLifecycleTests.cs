using System.Text;
using AkkaRedis.Tests.EndToEnd.Infrastructure;
using Xunit.Abstractions;

namespace AkkaRedis.Tests.EndToEnd.EndToEnd.Persistence;

/// <summary>
/// The RDB around the server's life: loading at start-up (LOADING replies meanwhile, a corrupt file ends the process
/// with a message and a non-zero code), SAVE / LASTSAVE / rdb_changes_since_last_save, SHUTDOWN's variants and SIGTERM
/// keeping the data across a restart, FLUSHALL's empty file, DEBUG RELOAD, and -MISCONF after a failed background save.
/// Each test runs its own servers in a directory of its own.
/// </summary>
[Collection(E2ECollection.Name)]
[Trait("Category", "EndToEnd")]
[Trait("Category", "Persistence")]
public sealed class RdbLifecycleTests(ITestOutputHelper output)
{
    private static string[] Args(TempDir dir, params string[] more) =>
        [.. E2EServers.AkkaArgs, "--enable-debug-command", "yes", "--dir", dir.Path, .. more];

    private static string Info(RawRespClient c, string field)
    {
        var info = Encoding.ASCII.GetString(RespValue.Parse(c.Call("INFO", "persistence")).Payload!);
        foreach (var line in info.Split("\r\n"))
            if (line.StartsWith(field + ":", StringComparison.Ordinal)) return line[(field.Length + 1)..];
        throw new InvalidOperationException($"{field} not in INFO persistence:\n{info}");
    }

    private static string Digest(RawRespClient c) => c.CallText("DEBUG", "DIGEST");

    private static void Populate(RawRespClient c, int keys)
    {
        Assert.Equal("+OK\\r\\n", c.CallText("DEBUG", "POPULATE", keys.ToString(), "key", "8"));
        c.CallText("SET", "ttl", "v", "PX", "100000000");
        c.CallText("RPUSH", "list", "a", "b");
    }

    [Fact]
    public void Save_resets_changes_and_sets_lastsave_and_the_file_reloads()
    {
        using var dir = new TempDir();
        string digest;
        using (var ours = AkkaRedisProcess.Started(Args(dir)))
        {
            using var c = ours.Connect();
            Populate(c, 1000);
            var before = long.Parse(RespValue.Parse(c.Call("LASTSAVE")).HeadText);
            Assert.Equal("+OK\\r\\n", c.CallText("SAVE"));
            Assert.Equal("0", Info(c, "rdb_changes_since_last_save"));
            // As redis-server counts them: one per key set.
            c.CallText("SET", "a", "1");
            c.CallText("MSET", "b", "2", "c", "3");
            Assert.Equal("3", Info(c, "rdb_changes_since_last_save"));
            Assert.Equal("+OK\\r\\n", c.CallText("SAVE"));
            Assert.Equal("0", Info(c, "rdb_changes_since_last_save"));
            Assert.Equal("2", Info(c, "rdb_saves"));
            // A BGSAVE resets what it covered too (server.dirty -= dirty_before_bgsave).
            c.CallText("SET", "d", "4");
            Assert.Equal("1", Info(c, "rdb_changes_since_last_save"));
            Assert.Equal("+Background saving started\\r\\n", c.CallText("BGSAVE"));
            Assert.True(Poll.Until(() => Info(c, "rdb_bgsave_in_progress") == "0", TimeSpan.FromSeconds(30)), "BGSAVE never ended");
            Assert.Equal("ok", Info(c, "rdb_last_bgsave_status"));
            Assert.Equal("0", Info(c, "rdb_changes_since_last_save"));
            Assert.True(long.Parse(RespValue.Parse(c.Call("LASTSAVE")).HeadText) >= before);
            Assert.True(File.Exists(dir.File()));
            Assert.Empty(Directory.GetFiles(dir.Path, "temp-*.rdb"));
            digest = Digest(c);
        }
        using var again = AkkaRedisProcess.Started(Args(dir));
        using var c2 = again.Connect();
        Assert.Equal(digest, Digest(c2));
        Assert.Equal("1006", Info(c2, "rdb_last_load_keys_loaded"));
    }

    [Fact]
    public void Loading_replies_while_a_big_file_loads_then_serves_it()
    {
        using var dir = new TempDir();
        using (var writer = AkkaRedisProcess.Started(Args(dir)))
        {
            using var c = writer.Connect();
            Populate(c, 3000);
            Assert.Equal("+OK\\r\\n", c.CallText("SAVE"));
        }
        // key-load-delay (Redis's own test hook): 3,000 keys at 1 ms each keep the load going for seconds.
        var loading = new AkkaRedisProcess(Args(dir, "--key-load-delay", "1000"));
        var starting = Task.Run(loading.Start);
        try
        {
            string? seen = null;
            Assert.True(Poll.Until(() =>
            {
                if (loading.Port == 0) return false;
                try
                {
                    using var probe = RawRespClient.Connect(loading.Port, TimeSpan.FromSeconds(2));
                    var get = probe.CallText("GET", "key:1");
                    if (!get.StartsWith("-LOADING", StringComparison.Ordinal)) return false;
                    seen = get;
                    // INFO has the loading flag: it answers, and says so.
                    return Info(probe, "loading") == "1" && probe.CallText("PING").StartsWith("-LOADING", StringComparison.Ordinal);
                }
                catch (Exception)
                {
                    // Not listening yet, or the connection went away: probe again.
                    return false;
                }
            }, TimeSpan.FromSeconds(30)), $"never saw -LOADING\n{loading.Describe()}");
            Assert.Equal("-LOADING Redis is loading the dataset in memory\\r\\n", seen);
            Assert.True(starting.Wait(TimeSpan.FromSeconds(60)), "the load never finished");
            using var c2 = loading.Connect();
            Assert.Equal("0", Info(c2, "loading"));
            // DEBUG POPULATE pads values to the size asked for, as Redis's does.
            Assert.Equal("$8\\r\\nvalue:1\\x00\\r\\n", c2.CallText("GET", "key:1"));
            Assert.Equal("3002", Info(c2, "rdb_last_load_keys_loaded"));
        }
        finally
        {
            starting.Wait(TimeSpan.FromSeconds(60));
            loading.Dispose();
        }
    }

    [Fact]
    public void A_corrupt_file_ends_the_process_with_a_message_and_a_non_zero_code()
    {
        using var dir = new TempDir();
        using (var writer = AkkaRedisProcess.Started(Args(dir)))
        {
            using var c = writer.Connect();
            Populate(c, 100);
            Assert.Equal("+OK\\r\\n", c.CallText("SAVE"));
        }
        var bytes = File.ReadAllBytes(dir.File());
        bytes[bytes.Length / 2] ^= 0x5a;
        File.WriteAllBytes(dir.File(), bytes);

        using var broken = new AkkaRedisProcess(Args(dir));
        var e = Assert.Throws<ServerProcess.ServerStartException>(broken.Start);
        Assert.True(e.Exited, e.Message);
        var exit = broken.WaitForExit(TimeSpan.FromSeconds(10));
        Assert.NotNull(exit);
        Assert.NotEqual(0, exit);
        Assert.Contains("Fatal error loading the DB", broken.Output);
        // The broken file is left as it was: nothing was saved over it.
        Assert.Equal(bytes, File.ReadAllBytes(dir.File()));

        // A truncated file too.
        File.WriteAllBytes(dir.File(), bytes[..(bytes.Length / 3)]);
        using var truncated = new AkkaRedisProcess(Args(dir));
        Assert.Throws<ServerProcess.ServerStartException>(truncated.Start);
        Assert.NotEqual(0, truncated.WaitForExit(TimeSpan.FromSeconds(10)));
        Assert.Contains("Unexpected EOF", truncated.Output);
    }

    public static TheoryData<string[], string[], bool> Shutdowns => new()
    {
        // server arguments, SHUTDOWN arguments, whether the data survives
        { ["--save", "3600 1"], [], true },
        { ["--save", ""], [], false },
        { ["--save", ""], ["SAVE"], true },
        { ["--save", "3600 1"], ["NOSAVE"], false },
        { ["--save", "3600 1"], ["NOW", "FORCE"], true },
    };

    [Theory]
    [MemberData(nameof(Shutdowns))]
    public void Shutdown_saves_as_redis_decides(string[] serverArgs, string[] shutdownArgs, bool kept)
    {
        using var dir = new TempDir();
        string digest;
        using (var ours = AkkaRedisProcess.Started(Args(dir, serverArgs)))
        {
            using var c = ours.Connect();
            Populate(c, 500);
            digest = Digest(c);
            c.SendCommand(["SHUTDOWN", .. shutdownArgs]);
            var (bytes, closed) = c.ReadUntilClose(TimeSpan.FromSeconds(30));
            Assert.True(closed, $"no close after SHUTDOWN: {Resp.Escape(bytes)}");
            Assert.Empty(bytes);
            Assert.Equal(0, ours.WaitForExit(TimeSpan.FromSeconds(30)));
        }
        Assert.Equal(kept, File.Exists(dir.File()));
        using var again = AkkaRedisProcess.Started(Args(dir));
        using var c2 = again.Connect();
        if (kept) Assert.Equal(digest, Digest(c2));
        else Assert.Equal(":0\\r\\n", c2.CallText("DBSIZE"));
    }

    [Fact]
    public void Sigterm_saves_with_save_points_and_the_data_survives()
    {
        using var dir = new TempDir();
        string digest;
        using (var ours = AkkaRedisProcess.Started(Args(dir, "--save", "3600 1")))
        {
            using var c = ours.Connect();
            Populate(c, 2000);
            digest = Digest(c);
            ours.Terminate();
            Assert.Equal(0, ours.WaitForExit(TimeSpan.FromSeconds(30)));
            Assert.Contains("Saving the final RDB snapshot before exiting.", ours.Output);
        }
        using var again = AkkaRedisProcess.Started(Args(dir));
        using var c2 = again.Connect();
        Assert.Equal(digest, Digest(c2));
    }

    [Fact]
    public void Shutdown_that_cannot_save_answers_an_error_and_keeps_running_unless_forced()
    {
        using var dir = new TempDir();
        // A directory where the file should go: the rename fails (even for root, whom permissions do not stop).
        Directory.CreateDirectory(dir.File());
        using var ours = AkkaRedisProcess.Started(Args(dir, "--save", "3600 1"));
        using var c = ours.Connect();
        c.CallText("SET", "k", "v");
        // The options are checked first (SHUTDOWN's syntax, as redis-server answers it).
        Assert.Equal("-ERR No shutdown in progress.\\r\\n", c.CallText("SHUTDOWN", "ABORT"));
        Assert.Equal("-ERR syntax error\\r\\n", c.CallText("SHUTDOWN", "foo"));
        Assert.Equal("-ERR syntax error\\r\\n", c.CallText("SHUTDOWN", "NOSAVE", "SAVE"));
        Assert.Equal("-ERR syntax error\\r\\n", c.CallText("SHUTDOWN", "NOW", "ABORT"));
        Assert.Equal("-ERR Errors trying to SHUTDOWN. Check logs.\\r\\n", c.CallText("SHUTDOWN"));
        Assert.Equal("-ERR\\r\\n", c.CallText("SAVE"));
        Assert.Equal("$1\\r\\nv\\r\\n", c.CallText("GET", "k"));
        Assert.Empty(Directory.GetFiles(dir.Path, "temp-*.rdb"));
        c.SendCommand("SHUTDOWN", "FORCE");
        Assert.True(c.ReadUntilClose(TimeSpan.FromSeconds(30)).Closed);
        Assert.Equal(0, ours.WaitForExit(TimeSpan.FromSeconds(30)));
    }

    [Fact]
    public void Flushall_with_save_points_leaves_an_empty_rdb()
    {
        using var dir = new TempDir();
        using var ours = AkkaRedisProcess.Started(Args(dir, "--save", "3600 1"));
        using var c = ours.Connect();
        Populate(c, 100);
        Assert.Equal("+OK\\r\\n", c.CallText("FLUSHALL"));
        Assert.True(File.Exists(dir.File()), "FLUSHALL wrote no file");
        Assert.Equal("0", Info(c, "rdb_changes_since_last_save"));
        var check = ToolProcess.Run(RealRedisProcess.Tool("redis-check-rdb"), [dir.File()], TimeSpan.FromSeconds(30));
        Assert.True(check.ExitCode == 0, check.ToString());
        using var redis = RealRedisProcess.Started("--dir", dir.Path);
        using var rc = redis.Connect();
        Assert.Equal(":0\\r\\n", rc.CallText("DBSIZE"));
    }

    /// <summary>flushAllDataAndResetRDB kills a running BGSAVE (killRDBChild) before writing the empty file: the older
    /// snapshot never replaces it, and a killed BGSAVE leaves rdb_last_bgsave_status as it was (no MISCONF).</summary>
    [Fact]
    public void Flushall_during_a_bgsave_keeps_the_empty_file_and_the_status()
    {
        using var dir = new TempDir();
        using (var ours = AkkaRedisProcess.Started(Args(dir, "--save", "3600 1")))
        {
            using var c = ours.Connect();
            // FLUSHALL, sent right behind BGSAVE, arrives while the snapshot walks or while its file is written (an
            // idle shard walks at full speed): either way the old snapshot must not replace FLUSHALL's empty file.
            Populate(c, 300_000);
            Assert.Equal("+Background saving started\\r\\n", c.CallText("BGSAVE"));
            Assert.Equal("+OK\\r\\n", c.CallText("FLUSHALL"));
            Assert.True(Poll.Until(() => Info(c, "rdb_bgsave_in_progress") == "0", TimeSpan.FromSeconds(60)), "BGSAVE never ended");
            Assert.Equal("ok", Info(c, "rdb_last_bgsave_status"));
            Assert.Equal("+OK\\r\\n", c.CallText("SET", "after", "1"));
            Assert.Empty(Directory.GetFiles(dir.Path, "temp-*.rdb"));
        }
        // Killed (no final save): what the restart loads is FLUSHALL's empty file.
        using var again = AkkaRedisProcess.Started(Args(dir));
        using var c2 = again.Connect();
        Assert.Equal(":0\\r\\n", c2.CallText("DBSIZE"));
    }

    [Fact]
    public void Debug_reload_keeps_the_digest()
    {
        using var dir = new TempDir();
        using var ours = AkkaRedisProcess.Started(Args(dir));
        using var c = ours.Connect();
        RdbTestData.WriteEveryType(c);
        var digest = Digest(c);
        Assert.Equal("+OK\\r\\n", c.CallText("DEBUG", "RELOAD"));
        Assert.Equal(digest, Digest(c));
        // NOSAVE NOFLUSH MERGE: the file's keys come back over what is there.
        c.CallText("SET", "db0:int", "changed");
        c.CallText("SET", "new", "kept");
        Assert.Equal("+OK\\r\\n", c.CallText("DEBUG", "RELOAD", "NOSAVE", "NOFLUSH", "MERGE"));
        Assert.Equal("$5\\r\\n12345\\r\\n", c.CallText("GET", "db0:int"));
        Assert.Equal("$4\\r\\nkept\\r\\n", c.CallText("GET", "new"));
        Assert.Equal("-ERR DEBUG RELOAD only supports the MERGE, NOFLUSH and NOSAVE options.\\r\\n", c.CallText("DEBUG", "RELOAD", "BOGUS"));
    }

    [Fact]
    public void Misconf_after_a_failed_background_save_until_one_succeeds()
    {
        using var dir = new TempDir();
        Directory.CreateDirectory(dir.File());
        using var ours = AkkaRedisProcess.Started(Args(dir, "--save", "1 1"));
        using var c = ours.Connect();
        Assert.Equal("+OK\\r\\n", c.CallText("SET", "k", "v"));
        Assert.True(Poll.Until(() => Info(c, "rdb_last_bgsave_status") == "err", TimeSpan.FromSeconds(20)), "the save point never failed");
        const string misconf = "-MISCONF Redis is configured to save RDB snapshots, but it's currently unable to persist to disk. Commands that may modify the data set are disabled, because this instance is configured to report errors during writes if RDB snapshotting fails (stop-writes-on-bgsave-error option). Please check the Redis logs for details about the RDB error.\\r\\n";
        Assert.Equal(misconf, c.CallText("SET", "k", "w"));
        Assert.Equal(misconf, c.CallText("PING"));
        Assert.Equal("$1\\r\\nv\\r\\n", c.CallText("GET", "k"));
        // stop-writes-on-bgsave-error no lets writes through.
        c.CallText("CONFIG", "SET", "stop-writes-on-bgsave-error", "no");
        Assert.Equal("+OK\\r\\n", c.CallText("SET", "k", "w"));
        c.CallText("CONFIG", "SET", "stop-writes-on-bgsave-error", "yes");
        Assert.Equal(misconf, c.CallText("SET", "k", "x"));
        // Once the directory is fixed, the next save point (retried every 5 s) succeeds and writes are allowed again.
        Directory.Delete(dir.File());
        Assert.True(Poll.Until(() => Info(c, "rdb_last_bgsave_status") == "ok", TimeSpan.FromSeconds(30)), "the save point never succeeded");
        Assert.Equal("+OK\\r\\n", c.CallText("SET", "k", "x"));
        Assert.True(File.Exists(dir.File()));
    }
}
