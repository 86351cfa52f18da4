using System.Text;
using System.Text.RegularExpressions;
using AkkaRedis.Tests.EndToEnd.Infrastructure;

namespace AkkaRedis.Tests.EndToEnd.EndToEnd.Persistence;

/// <summary>
/// BGSAVE is point-in-time under load: clients run <c>MULTI; INCR counter; RPUSH log n; EXEC</c> (the two keys on
/// different shards, so every EXEC is a cross-shard hold) while a BGSAVE runs; the file it writes passes
/// redis-check-rdb and, loaded by redis-server, has <c>GET counter == LLEN log</c>: no EXEC half in it. Then our
/// server is killed (-9) and restarted from that file, with the same invariant.
/// </summary>
[Collection(E2ECollection.Name)]
[Trait("Category", "EndToEnd")]
public sealed class BgsaveConsistencyTests : IDisposable
{
    private readonly string _dir = RealRedisProcess.NewWorkDir();

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private static string Text(byte[] reply) => Encoding.UTF8.GetString(reply);

    private static string Info(RawRespClient c, string field) =>
        Regex.Match(Text(c.Call("INFO", "persistence")), $"(?m)^{field}:([^\r\n]*)").Groups[1].Value;

    private static (long Counter, long Log) Invariant(RawRespClient c)
    {
        var counter = Text(c.Call("GET", Counter));
        var length = Text(c.Call("LLEN", Log));
        Assert.StartsWith("$", counter);
        return (long.Parse(counter.Split("\r\n")[1]), long.Parse(length[1..^2]));
    }

    // Hash tags picked so that the two keys live on different shards of a 4-shard server.
    private static readonly string Counter = PickKey("counter", 0);
    private static readonly string Log = PickKey("log", 2);

    private static string PickKey(string prefix, int shard)
    {
        for (var i = 0; ; i++)
            if (KeySlots.Shard($"{prefix}{{{i}}}", 4) == shard) return $"{prefix}{{{i}}}";
    }

    [SkippableFact]
    public void A_bgsave_under_a_load_of_cross_shard_execs_is_point_in_time_in_redis_and_after_a_kill_and_restart()
    {
        Skip.If(AkkaRedisProcess.TargetIsRealRedis, "redis-server forks for BGSAVE; this tests our snapshot");
        string[] args = ["--shards", "4", "--dir", _dir, "--save", ""];
        long savedCounter;
        using (var server = AkkaRedisProcess.Started(args))
        {
            using var admin = server.Connect(TimeSpan.FromSeconds(60));
            // Keys enough that the save takes many steps with EXECs landing between them.
            for (var batch = 0; batch < 100; batch++)
            {
                var mset = new List<string> { "MSET" };
                for (var i = 0; i < 1000; i++) mset.AddRange([$"filler:{batch}:{i}", $"value {batch} {i}"]);
                Assert.Equal("+OK\r\n", Text(admin.Call(mset.ToArray())));
            }

            var stop = 0;
            var execs = new long[16];
            var errors = new List<Exception>();
            var threads = Enumerable.Range(0, execs.Length).Select(t => new Thread(() =>
            {
                try
                {
                    using var c = server.Connect(TimeSpan.FromSeconds(60));
                    for (var n = 0; Volatile.Read(ref stop) == 0; n++)
                    {
                        c.SendCommand("MULTI");
                        c.SendCommand("INCR", Counter);
                        c.SendCommand("RPUSH", Log, $"{t}:{n}");
                        c.SendCommand("EXEC");
                        var exec = Text(c.ReadReplies(4)[3]);
                        if (!exec.StartsWith("*2\r\n")) throw new InvalidOperationException("EXEC replied " + exec);
                        Interlocked.Increment(ref execs[t]);
                    }
                }
                catch (Exception e)
                {
                    lock (errors) errors.Add(e);
                }
            })).ToList();
            threads.ForEach(t => t.Start());
            Assert.True(Poll.Until(() => execs.Sum() > 500, TimeSpan.FromSeconds(60)), "the load did not start");
            Assert.Equal("+Background saving started\r\n", Text(admin.Call("BGSAVE")));
            Assert.True(Poll.Until(() => Info(admin, "rdb_saves") == "1", TimeSpan.FromSeconds(120)), "BGSAVE did not finish");
            var during = execs.Sum();
            Assert.True(Poll.Until(() => execs.Sum() > during + 200, TimeSpan.FromSeconds(60)), "the load stopped with the save");
            Volatile.Write(ref stop, 1);
            threads.ForEach(t => Assert.True(t.Join(TimeSpan.FromSeconds(60))));
            if (errors.Count > 0) throw new AggregateException(errors);
            Assert.Equal("ok", Info(admin, "rdb_last_bgsave_status"));
            Assert.Equal("0", Info(admin, "rdb_bgsave_in_progress"));
            var (counter, log) = Invariant(admin);
            Assert.Equal(execs.Sum(), counter);
            Assert.Equal(counter, log);

            var file = Path.Combine(_dir, "dump.rdb");
            var check = ToolProcess.Run(RealRedisProcess.Tool("redis-check-rdb"), [file], TimeSpan.FromSeconds(60));
            Assert.True(check.ExitCode == 0 && check.Stdout.Contains("RDB looks OK"), check.ToString());

            // redis-server loads it: one file, taken while EXECs ran, holds every EXEC wholly or not at all.
            var redisDir = RealRedisProcess.NewWorkDir();
            try
            {
                File.Copy(file, Path.Combine(redisDir, "dump.rdb"));
                using var redis = RealRedisProcess.Started("--dir", redisDir);
                using var r = redis.Connect(TimeSpan.FromSeconds(60));
                var (savedInRedis, logInRedis) = Invariant(r);
                Assert.Equal(savedInRedis, logInRedis);
                Assert.InRange(savedInRedis, 500, counter - 200);
                Assert.Equal(":100002\r\n", Text(r.Call("DBSIZE")));
                savedCounter = savedInRedis;
            }
            finally
            {
                Directory.Delete(redisDir, recursive: true);
            }
        } // killed (SIGKILL): what survives is the file

        using (var restarted = AkkaRedisProcess.Started(args))
        {
            using var c = restarted.Connect(TimeSpan.FromSeconds(60));
            Assert.True(Poll.Until(() => !Text(c.Call("PING")).StartsWith("-LOADING"), TimeSpan.FromSeconds(60)));
            Assert.Equal((savedCounter, savedCounter), Invariant(c));
        }
    }

    [SkippableFact]
    public void A_bgsave_that_cannot_write_its_file_reports_err_leaves_no_temp_file_and_the_next_one_succeeds()
    {
        Skip.If(AkkaRedisProcess.TargetIsRealRedis, "redis-server's child process is not what this tests");
        // A directory where the file should go: the rename over it fails as a full or read-only disk would (and
        // root, which these tests may run as, ignores permission bits).
        Directory.CreateDirectory(Path.Combine(_dir, "dump.rdb"));
        using var server = AkkaRedisProcess.Started("--dir", _dir, "--save", "");
        using var c = server.Connect(TimeSpan.FromSeconds(60));
        Assert.Equal("+OK\r\n", Text(c.Call("SET", "k", "v")));
        Assert.Equal("-ERR syntax error\r\n", Text(c.Call("BGSAVE", "later")));
        Assert.Equal("+Background saving started\r\n", Text(c.Call("BGSAVE", "SCHEDULE"))); // nothing else runs: it starts
        Assert.True(Poll.Until(() => Info(c, "rdb_bgsave_in_progress") == "0", TimeSpan.FromSeconds(60)));
        Assert.Equal("err", Info(c, "rdb_last_bgsave_status"));
        Assert.Equal("0", Info(c, "rdb_saves"));
        Assert.Empty(Directory.GetFiles(_dir, "temp-*"));

        Directory.Delete(Path.Combine(_dir, "dump.rdb"));
        Assert.Equal("+Background saving started\r\n", Text(c.Call("BGSAVE")));
        Assert.True(Poll.Until(() => Info(c, "rdb_saves") == "1", TimeSpan.FromSeconds(60)));
        Assert.Equal("ok", Info(c, "rdb_last_bgsave_status"));
        Assert.True(File.Exists(Path.Combine(_dir, "dump.rdb")));
        Assert.Empty(Directory.GetFiles(_dir, "temp-*"));
    }
}
