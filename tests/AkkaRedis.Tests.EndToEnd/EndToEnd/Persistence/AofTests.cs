using System.Text;
using AkkaRedis.Tests.EndToEnd.Infrastructure;

namespace AkkaRedis.Tests.EndToEnd.EndToEnd.Persistence;

/// <summary>
/// The multi-part AOF against Redis 7.0's own tools and server (issue 12): our AOF directory passes redis-check-aof and
/// loads in redis-server with an equal DEBUG DIGEST, redis-server's loads here, a truncated AOF loads or stops the
/// server as aof-load-truncated says, BGREWRITEAOF under writers and CONFIG SET appendonly yes lose nothing. Each test
/// starts its own servers in a temp directory of its own, deleted after.
/// </summary>
[Collection(E2ECollection.Name)]
[Trait("Category", "EndToEnd")]
public sealed class AofTests : IDisposable
{
    private readonly List<string> _dirs = new();

    public void Dispose()
    {
        foreach (var dir in _dirs)
        {
            try
            {
                Directory.Delete(dir, recursive: true);
            }
            catch (IOException)
            {
            }
        }
    }

    internal string NewDir()
    {
        var dir = Path.Combine(Path.GetTempPath(), "akkaredis-aof-" + Environment.ProcessId + "-" + Guid.NewGuid().ToString("N")[..8]);
        Directory.CreateDirectory(dir);
        _dirs.Add(dir);
        return dir;
    }

    internal string CopyOf(string dir)
    {
        var copy = NewDir();
        foreach (var file in Directory.GetFiles(Path.Combine(dir, "appendonlydir")))
        {
            Directory.CreateDirectory(Path.Combine(copy, "appendonlydir"));
            File.Copy(file, Path.Combine(copy, "appendonlydir", Path.GetFileName(file)));
        }
        return copy;
    }

    internal static AkkaRedisProcess Ours(string dir, params string[] extra) =>
        AkkaRedisProcess.Started([.. OurArgs(dir), .. extra]);

    internal static string[] OurArgs(string dir) =>
        ["--shards", "4", "--dir", dir, "--appendonly", "yes", "--save", "", "--enable-debug-command", "yes"];

    internal static RealRedisProcess Theirs(string dir, params string[] extra) =>
        RealRedisProcess.Started([.. new[] { "--dir", dir, "--appendonly", "yes", "--enable-debug-command", "yes" }, .. extra]);

    internal static string Digest(ServerProcess server)
    {
        using var c = server.Connect();
        return c.CallText("DEBUG", "DIGEST");
    }

    internal static string Info(ServerProcess server, string field)
    {
        using var c = server.Connect();
        var text = Encoding.ASCII.GetString(c.Call("INFO", "persistence"));
        foreach (var line in text.Split("\r\n"))
            if (line.StartsWith(field + ":", StringComparison.Ordinal)) return line[(field.Length + 1)..];
        return "";
    }

    /// <summary>SIGTERM and the exit (Redis and we flush the AOF on the way out).</summary>
    internal static void Stop(ServerProcess server)
    {
        server.Terminate();
        Assert.True(server.WaitForExit(TimeSpan.FromSeconds(30)) != null, $"still running 30 s after SIGTERM\n{server.Describe()}");
    }

    internal static void WaitRewriteDone(ServerProcess server, long rewrites)
    {
        Assert.True(Poll.Until(() => Info(server, "aof_rewrite_in_progress") == "0" && Info(server, "aof_rewrite_scheduled") == "0"
                                     && long.Parse(Info(server, "aof_rewrites")) >= rewrites, TimeSpan.FromSeconds(30)),
            $"the AOF rewrite did not finish\n{server.Describe()}");
    }

    /// <summary>Every type, small and large, in several databases, TTLs, a stream with a group and a pending entry,
    /// MULTI blocks across shards (keys in different slots).</summary>
    internal static void Populate(RawRespClient c, string tag)
    {
        void Ok(params string[] args)
        {
            var reply = c.Call(args);
            Assert.False(reply.Length > 0 && reply[0] == (byte)'-', $"{string.Join(' ', args)}: {Resp.Escape(reply)}");
        }

        Ok("SELECT", "0");
        Ok("SET", $"s{tag}", "hello");
        Ok("SET", $"n{tag}", "12345");
        Ok("SET", $"big{tag}", new string('a', 5000));
        Ok("SET", $"ttl{tag}", "v", "PX", "100000000");
        Ok("RPUSH", $"l{tag}", "a", "b", "c");
        Ok([.. new[] { "RPUSH", $"biglist{tag}" }, .. Enumerable.Range(0, 300).Select(i => "item" + i)]);
        Ok("SADD", $"si{tag}", "1", "2", "3");
        Ok([.. new[] { "SADD", $"bigset{tag}" }, .. Enumerable.Range(0, 300).Select(i => "m" + i)]);
        Ok("ZADD", $"z{tag}", "1", "a", "2.5", "b", "-inf", "c");
        Ok([.. new[] { "ZADD", $"bigz{tag}" }, .. Enumerable.Range(0, 200).SelectMany(i => new[] { (i * 0.1).ToString(System.Globalization.CultureInfo.InvariantCulture), "z" + i })]);
        Ok("HSET", $"h{tag}", "f1", "v1", "f2", "v2");
        Ok([.. new[] { "HSET", $"bigh{tag}" }, .. Enumerable.Range(0, 200).SelectMany(i => new[] { "f" + i, new string('x', i) })]);
        Ok("PFADD", $"hll{tag}", "a", "b", "c");
        Ok("SETBIT", $"bits{tag}", "100", "1");
        Ok("XADD", $"st{tag}", "1-1", "f", "v");
        Ok("XADD", $"st{tag}", "2-1", "f", "w", "g", "x");
        Ok("XGROUP", "CREATE", $"st{tag}", "grp", "0");
        Ok("XREADGROUP", "GROUP", "grp", "alice", "COUNT", "1", "STREAMS", $"st{tag}", ">");
        Ok("XGROUP", "CREATECONSUMER", $"st{tag}", "grp", "bob");
        Ok("MULTI");
        Ok("INCR", $"{{a}}m{tag}");
        Ok("SET", $"{{b}}m{tag}", "y");
        Ok("LPUSH", $"{{c}}m{tag}", "z");
        Ok("EXEC");
        Ok("SELECT", "2");
        Ok("SET", $"other{tag}", "v");
        Ok("SELECT", "9");
        Ok("LPUSH", $"l9{tag}", "x");
        Ok("EXPIRE", $"l9{tag}", "100000");
        Ok("SELECT", "0");
        Ok("DEL", $"n{tag}");
        Ok("INCRBYFLOAT", $"f{tag}", "1.5");
    }

    [Fact]
    public void OurAofDirectoryPassesRedisCheckAofAndLoadsInRedisServerWithEqualDigest()
    {
        var dir = NewDir();
        string digest;
        using (var ours = Ours(dir, "--aof-timestamp-enabled", "yes"))
        {
            using (var c = ours.Connect()) Populate(c, "1");
            using (var c = ours.Connect()) Assert.Equal("+Background append only file rewriting started\r\n", Encoding.ASCII.GetString(c.Call("BGREWRITEAOF")));
            WaitRewriteDone(ours, 1);
            using (var c = ours.Connect()) Populate(c, "2");
            digest = Digest(ours);
            Assert.NotEqual("$40\\r\\n0000000000000000000000000000000000000000\\r\\n", digest);
            Stop(ours);
        }
        var manifest = File.ReadAllText(Path.Combine(dir, "appendonlydir", "appendonly.aof.manifest"));
        Assert.Contains("seq 2 type b", manifest);
        Assert.Contains("seq 2 type i", manifest);
        Assert.DoesNotContain(" type h", manifest);
        Assert.False(File.Exists(Path.Combine(dir, "appendonlydir", "appendonly.aof.1.incr.aof")), "history files are deleted after the rewrite");
        Assert.StartsWith("#TS:", File.ReadAllText(Path.Combine(dir, "appendonlydir", "appendonly.aof.2.incr.aof")));

        var check = ToolProcess.Run(RealRedisProcess.Tool("redis-check-aof"),
            [Path.Combine(dir, "appendonlydir", "appendonly.aof.manifest")], TimeSpan.FromSeconds(60));
        Assert.True(check.ExitCode == 0, check.ToString());
        Assert.Contains("All AOF files and manifest are valid", check.Stdout);

        using (var redis = Theirs(CopyOf(dir))) Assert.Equal(digest, Digest(redis));
        using (var again = Ours(dir)) Assert.Equal(digest, Digest(again));
    }

    [Fact]
    public void RedisServersAofDirectoryWithCommandBaseLoadsHereWithEqualDigest() => LoadRedisServersAof(preamble: false);

    [SkippableFact]
    public void RedisServersAofDirectoryWithRdbPreambleBaseLoadsHereWithEqualDigest() => LoadRedisServersAof(preamble: true);

    private void LoadRedisServersAof(bool preamble)
    {
        var dir = NewDir();
        string digest;
        using (var redis = Theirs(dir, "--aof-use-rdb-preamble", preamble ? "yes" : "no"))
        {
            using (var c = redis.Connect()) Populate(c, "1");
            using (var c = redis.Connect()) c.Call("BGREWRITEAOF");
            WaitRewriteDone(redis, 1);
            using (var c = redis.Connect()) Populate(c, "2");
            digest = Digest(redis);
            Stop(redis);
        }
        var manifest = File.ReadAllText(Path.Combine(dir, "appendonlydir", "appendonly.aof.manifest"));
        Assert.Contains(preamble ? ".base.rdb" : ".base.aof", manifest);
        using var ours = AkkaRedisProcess.Started(OurArgs(CopyOf(dir)));
        Assert.Equal(digest, Digest(ours));
    }

    /// <summary>Our AOF with a command cut off at the end: aof-load-truncated yes loads what is whole and cuts the file;
    /// no stops the server with Redis's message and exit code 1; a format error stops it either way.</summary>
    [Fact]
    public void TruncatedAofLoadsOrStopsAsAofLoadTruncatedSays()
    {
        var dir = NewDir();
        using (var ours = Ours(dir))
        {
            using var c = ours.Connect();
            Assert.Equal(":1\\r\\n", c.CallText("INCR", "counter"));
            Assert.Equal(":2\\r\\n", c.CallText("INCR", "counter"));
            Stop(ours);
        }
        var incr = Path.Combine(dir, "appendonlydir", "appendonly.aof.1.incr.aof");
        var whole = new FileInfo(incr).Length;
        File.AppendAllText(incr, "*2\r\n$4\r\nINCR\r\n$7\r\ncoun");

        var refused = new AkkaRedisProcess([.. OurArgs(dir), "--aof-load-truncated", "no"]);
        var e = Assert.Throws<ServerProcess.ServerStartException>(refused.Start);
        refused.Dispose();
        Assert.Contains("exited with code 1", e.Message);
        Assert.Contains("Unexpected end of file reading the append only file appendonly.aof.1.incr.aof", e.Message);
        Assert.True(new FileInfo(incr).Length > whole, "aof-load-truncated no must leave the file as it is");

        using (var ours = Ours(dir, "--aof-load-truncated", "yes"))
        {
            using var c = ours.Connect();
            Assert.Equal("$1\\r\\n2\\r\\n", c.CallText("GET", "counter"));
            Assert.Contains("AOF appendonly.aof.1.incr.aof loaded anyway because aof-load-truncated is enabled", ours.Output);
            Assert.Equal(":3\\r\\n", c.CallText("INCR", "counter"));
            Stop(ours);
        }
        Assert.True(new FileInfo(incr).Length > whole, "the INCR after the restart is appended after the cut");
        using (var ours = Ours(dir))
        {
            using var c = ours.Connect();
            Assert.Equal("$1\\r\\n3\\r\\n", c.CallText("GET", "counter"));
            Stop(ours);
        }

        // A MULTI whose EXEC never made it: the block is reverted and cut off (Redis's valid_before_multi).
        var beforeMulti = new FileInfo(incr).Length;
        File.AppendAllText(incr, "*1\r\n$5\r\nMULTI\r\n*2\r\n$4\r\nINCR\r\n$7\r\ncounter\r\n");
        using (var ours = Ours(dir))
        {
            using var c = ours.Connect();
            Assert.Equal("$1\\r\\n3\\r\\n", c.CallText("GET", "counter"));
            Assert.Contains("Revert incomplete MULTI/EXEC transaction in AOF file appendonly.aof.1.incr.aof", ours.Output);
            Stop(ours);
        }
        Assert.Equal(beforeMulti, new FileInfo(incr).Length);

        File.AppendAllText(incr, "garbage\r\n");
        var corrupt = new AkkaRedisProcess([.. OurArgs(dir), "--aof-load-truncated", "yes"]);
        e = Assert.Throws<ServerProcess.ServerStartException>(corrupt.Start);
        corrupt.Dispose();
        Assert.Contains("exited with code 1", e.Message);
        Assert.Contains("Bad file format reading the append only file appendonly.aof.1.incr.aof", e.Message);
    }

    [Fact]
    public void BgrewriteaofWhileWritersRunLosesNothing()
    {
        var dir = NewDir();
        string digest;
        using (var ours = Ours(dir))
        {
            var stop = 0;
            var errors = new List<string>();
            var writers = Enumerable.Range(0, 6).Select(w => new Thread(() =>
            {
                using var c = ours.Connect();
                for (var i = 0; Volatile.Read(ref stop) == 0; i++)
                {
                    var reply = c.Call("INCR", "counter:" + w);
                    var push = c.Call("RPUSH", "log:" + w, i.ToString(System.Globalization.CultureInfo.InvariantCulture));
                    if (reply[0] == (byte)'-' || push[0] == (byte)'-') lock (errors) errors.Add(Resp.Escape(reply) + Resp.Escape(push));
                }
            })).ToList();
            writers.ForEach(t => t.Start());
            using (var c = ours.Connect())
            {
                Assert.True(Poll.Until(() => c.CallText("DBSIZE") != ":0\\r\\n", TimeSpan.FromSeconds(10)));
                Assert.Equal("+Background append only file rewriting started\r\n", Encoding.ASCII.GetString(c.Call("BGREWRITEAOF")));
                WaitRewriteDone(ours, 1);
                Assert.Equal("+Background append only file rewriting started\r\n", Encoding.ASCII.GetString(c.Call("BGREWRITEAOF")));
                WaitRewriteDone(ours, 2);
            }
            Volatile.Write(ref stop, 1);
            writers.ForEach(t => t.Join());
            Assert.Empty(errors);
            digest = Digest(ours);
            Assert.Equal("ok", Info(ours, "aof_last_bgrewrite_status"));
            Stop(ours);
        }
        using (var again = Ours(dir)) Assert.Equal(digest, Digest(again));
    }

    /// <summary>auto-aof-rewrite-percentage / -min-size: once the AOF has grown past both, the cron starts a rewrite
    /// (the base then holds the data in far fewer bytes than the SET history did).</summary>
    [Fact]
    public void TheAofIsRewrittenAutomaticallyWhenItGrows()
    {
        var dir = NewDir();
        using var ours = Ours(dir, "--auto-aof-rewrite-min-size", "65536", "--auto-aof-rewrite-percentage", "100");
        using var c = ours.Connect();
        var value = new string('v', 100);
        for (var i = 0; i < 2000; i++) c.Call("SET", "key:" + (i % 10), value);
        WaitRewriteDone(ours, 1);
        Assert.Contains("Starting automatic rewriting of AOF on", ours.Output);
        // 2,000 SETs of about 140 bytes appended 280 kB; the rewrites (one or more, as the writes went on) keep the AOF
        // near the data's own size.
        Assert.True(long.Parse(Info(ours, "aof_current_size")) < 200_000, "the AOF was not rewritten smaller");
    }

    [Fact]
    public void ConfigSetAppendonlyYesAtRunTimeStartsTheAofWithARewrite()
    {
        var dir = NewDir();
        string digest;
        using (var ours = AkkaRedisProcess.Started("--shards", "4", "--dir", dir, "--appendonly", "no", "--save", "", "--enable-debug-command", "yes"))
        {
            using var c = ours.Connect();
            Populate(c, "before");
            Assert.Equal("0", Info(ours, "aof_enabled"));
            Assert.Equal("+OK\\r\\n", c.CallText("CONFIG", "SET", "appendonly", "yes"));
            Assert.Equal("1", Info(ours, "aof_enabled"));
            WaitRewriteDone(ours, 1);
            Populate(c, "after");
            digest = Digest(ours);
            Stop(ours);
        }
        using (var again = Ours(dir)) Assert.Equal(digest, Digest(again));
        // CONFIG SET appendonly no: nothing more is appended; BGREWRITEAOF still writes a base and a manifest without
        // incr files, as redis-server does.
        using (var ours = Ours(dir))
        {
            using var c = ours.Connect();
            Assert.Equal("+OK\\r\\n", c.CallText("CONFIG", "SET", "appendonly", "no"));
            Assert.True(Poll.Until(() => Info(ours, "aof_enabled") == "0", TimeSpan.FromSeconds(10)));
            c.Call("SET", "not-in-the-aof", "1");
            Assert.Equal("+Background append only file rewriting started\r\n", Encoding.ASCII.GetString(c.Call("BGREWRITEAOF")));
            WaitRewriteDone(ours, 1);
            Stop(ours);
        }
        var manifest = File.ReadAllText(Path.Combine(dir, "appendonlydir", "appendonly.aof.manifest"));
        Assert.DoesNotContain(" type i", manifest);
        Assert.Contains(" type b", manifest);
        using (var again = Ours(dir))
        {
            using var c = again.Connect();
            Assert.Equal("$1\\r\\n1\\r\\n", c.CallText("GET", "not-in-the-aof"));
            Assert.Equal(":1\\r\\n", c.CallText("DEL", "not-in-the-aof"));
            Assert.Equal(digest, Digest(again));
        }
    }

    /// <summary>An incr file on /dev/full (every write fails with ENOSPC): both servers accept the write that cannot be
    /// appended, then refuse writes and PING with the same MISCONF error, and still serve reads.</summary>
    [SkippableFact]
    public void AWriteErrorRefusesWritesWithMisconfAsRedisServer()
    {
        Skip.IfNot(File.Exists("/dev/full"), "no /dev/full here to make the AOF's writes fail");
        string FullDir()
        {
            var dir = NewDir();
            var aof = Path.Combine(dir, "appendonlydir");
            Directory.CreateDirectory(aof);
            File.WriteAllText(Path.Combine(aof, "appendonly.aof.manifest"),
                "file appendonly.aof.1.base.aof seq 1 type b\nfile appendonly.aof.1.incr.aof seq 1 type i\n");
            File.WriteAllText(Path.Combine(aof, "appendonly.aof.1.base.aof"), "");
            File.CreateSymbolicLink(Path.Combine(aof, "appendonly.aof.1.incr.aof"), "/dev/full");
            return dir;
        }

        var replies = new List<string>();
        foreach (var server in new ServerProcess[] { Ours(FullDir()), Theirs(FullDir()) })
        {
            using (server)
            {
                using var c = server.Connect();
                Assert.Equal("+OK\\r\\n", c.CallText("SET", "a", "1"));
                var refused = "";
                Assert.True(Poll.Until(() => (refused = c.CallText("SET", "b", "1")).StartsWith("-", StringComparison.Ordinal), TimeSpan.FromSeconds(10)),
                    $"{server.Name} kept accepting writes\n{server.Describe()}");
                Assert.Equal("err", Info(server, "aof_last_write_status"));
                replies.Add(refused + " " + c.CallText("PING") + " " + c.CallText("GET", "a"));
            }
        }
        Assert.Equal("-MISCONF Errors writing to the AOF file: No space left on device\\r\\n -MISCONF Errors writing to the AOF file: No space left on device\\r\\n $1\\r\\n1\\r\\n", replies[0]);
        Assert.Equal(replies[1], replies[0]);
    }
}
