using System.Text.RegularExpressions;
using AkkaRedis.Actors.Session;
using AkkaRedis.Actors.Server;
using AkkaRedis.Actors.Storage;

namespace AkkaRedis.Tests.Unit.Server;

public sealed class ServerCommandsTests
{
    private static string Body(string bulk)
    {
        var m = Regex.Match(bulk, @"^\$(\d+)\r\n", RegexOptions.Singleline);
        Assert.True(m.Success, bulk);
        var body = bulk.Substring(m.Length, int.Parse(m.Groups[1].Value));
        Assert.Equal(bulk, m.Value + body + "\r\n");
        return body;
    }

    private static List<string> Headers(string info) =>
        info.Split("\r\n").Where(l => l.StartsWith('#')).ToList();

    [Fact]
    public void Info_default_all_and_named_sections()
    {
        var h = new ServerHarness();
        Assert.Equal(["# Server", "# Clients", "# Memory", "# Persistence", "# Stats", "# Replication", "# CPU", "# Modules", "# Errorstats", "# Cluster", "# Keyspace"],
            Headers(Body(h.Run("info"))));
        Assert.Equal(Headers(Body(h.Run("info"))), Headers(Body(h.Run("info", "default"))));
        var all = Headers(Body(h.Run("info", "all")));
        Assert.Equal(["# Server", "# Clients", "# Memory", "# Persistence", "# Stats", "# Replication", "# CPU", "# Modules", "# Commandstats", "# Errorstats",
            "# Latencystats", "# Cluster", "# Keyspace"], all);
        // Like modules' sections in Redis, our own section is in "everything", not in "all".
        Assert.Equal([.. all, "# Shards"], Headers(Body(h.Run("info", "everything"))));
        Assert.Equal(["# CPU", "# Keyspace"], Headers(Body(h.Run("info", "keyspace", "cpu", "CPU"))));
        Assert.Equal(["# Server", "# Clients", "# Memory", "# Persistence", "# Stats", "# Replication", "# CPU", "# Modules", "# Commandstats", "# Errorstats",
            "# Cluster", "# Keyspace"], Headers(Body(h.Run("info", "default", "commandstats"))));
        Assert.Equal("$0\r\n\r\n", h.Run("info", "nosuch"));
        Assert.Equal("$30\r\n# Cluster\r\ncluster_enabled:0\r\n\r\n", h.Run("info", "cluster"));
        Assert.Equal("$12\r\n# Keyspace\r\n\r\n", h.Run("info", "keyspace"));
        Assert.Equal(["# Shards"], Headers(Body(h.Run("info", "shards"))));
    }

    [Fact]
    public void Info_sections_are_separated_by_an_empty_line()
    {
        var h = new ServerHarness();
        Assert.Equal("# Modules\r\n\r\n# Cluster\r\ncluster_enabled:0\r\n", Body(h.Run("info", "cluster", "modules")));
    }

    [Fact]
    public void Info_server_fields_in_redis_order()
    {
        var h = new ServerHarness();
        var lines = Body(h.Run("info", "server")).Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(["# Server", "redis_version", "redis_git_sha1", "redis_git_dirty", "redis_build_id", "redis_mode", "os", "arch_bits", "monotonic_clock",
            "multiplexing_api", "atomicvar_api", "gcc_version", "process_id", "process_supervised", "run_id", "tcp_port", "server_time_usec", "uptime_in_seconds",
            "uptime_in_days", "hz", "configured_hz", "lru_clock", "executable", "config_file", "io_threads_active", "akkaredis_version"],
            lines.Select(l => l.Split(':')[0]).ToList());
        Assert.Contains("redis_version:7.0.15", lines);
        Assert.Contains("redis_mode:standalone", lines);
        Assert.Contains($"run_id:{h.Server.RunId}", lines);
        Assert.Contains($"process_id:{Environment.ProcessId}", lines);
        Assert.Contains("tcp_port:6379", lines);
    }

    [Fact]
    public void Info_in_resp3_is_a_verbatim_string()
    {
        var h = new ServerHarness(protocol: 3);
        Assert.Equal("=34\r\ntxt:# Cluster\r\ncluster_enabled:0\r\n\r\n", h.Run("info", "cluster"));
    }

    [Fact]
    public void Info_keyspace_sums_the_shards_databases()
    {
        var h = new ServerHarness();
        var now = ServerContext.UnixMs();
        var db0 = h.Shard.Databases[0];
        db0.SetString("a"u8, "1"u8, now);
        db0.SetExpire(db0.SetString("b"u8, "2"u8, now), now + 100_000);
        h.Shard.Databases[3].SetString("c"u8, "3"u8, now);
        // avg_ttl is the estimate of the shard's active expire cycle (Redis's db->avg_ttl), not a walk by INFO.
        db0.ActiveExpire(now, new Random(1), long.MaxValue);
        var body = Body(h.Run("info", "keyspace"));
        Assert.Matches(@"^# Keyspace\r\ndb0:keys=2,expires=1,avg_ttl=(\d+)\r\ndb3:keys=1,expires=0,avg_ttl=0\r\n$", body);
        var ttl = long.Parse(Regex.Match(body, @"avg_ttl=(\d+)").Groups[1].Value);
        Assert.InRange(ttl, 90_000, 100_000);
    }

    [Fact]
    public void Info_stats_commandstats_and_errorstats()
    {
        var h = new ServerHarness();
        h.Shard.Stats.KeyspaceHits = 7;
        h.Shard.Stats.KeyspaceMisses = 3;
        h.Shard.Stats.ExpiredKeys = 2;
        h.Run("config", "get", "hz");
        h.Run("config", "set", "hz", "x");
        var stats = Body(h.Run("info", "stats"));
        Assert.Contains("\r\nkeyspace_hits:7\r\nkeyspace_misses:3\r\n", stats);
        Assert.Contains("\r\nexpired_keys:2\r\n", stats);
        Assert.Contains("\r\ntotal_commands_processed:2\r\n", stats);
        Assert.Contains("\r\ntotal_error_replies:1\r\n", stats);
        var commandStats = Body(h.Run("info", "commandstats"));
        Assert.Matches(@"^# Commandstats\r\ncmdstat_info:calls=1,usec=\d+,usec_per_call=\d+\.\d\d,rejected_calls=0,failed_calls=0\r\n" +
                       @"cmdstat_config\|get:calls=1,usec=\d+,usec_per_call=\d+\.\d\d,rejected_calls=0,failed_calls=0\r\n" +
                       @"cmdstat_config\|set:calls=1,usec=\d+,usec_per_call=\d+\.\d\d,rejected_calls=0,failed_calls=1\r\n$", commandStats);
        Assert.Equal("# Errorstats\r\nerrorstat_ERR:count=1\r\n", Body(h.Run("info", "errorstats")));
    }

    [Fact]
    public void Info_replication_says_master()
    {
        var lines = Body(new ServerHarness().Run("info", "replication")).Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(["# Replication", "role", "connected_slaves", "master_failover_state", "master_replid", "master_replid2", "master_repl_offset",
            "second_repl_offset", "repl_backlog_active", "repl_backlog_size", "repl_backlog_first_byte_offset", "repl_backlog_histlen"],
            lines.Select(l => l.Split(':')[0]).ToList());
        Assert.Contains("role:master", lines);
        Assert.Matches("^master_replid:[0-9a-f]{40}$", lines[4]);
        Assert.Contains("repl_backlog_size:1048576", lines);
    }

    [Fact]
    public void Info_memory_and_cpu_are_well_formed()
    {
        var h = new ServerHarness();
        var memory = Body(h.Run("info", "memory"));
        Assert.Matches(@"\r\nused_memory:\d+\r\nused_memory_human:\d+(\.\d\d[KMGTP]|B)\r\n", memory);
        Assert.Contains("\r\nmaxmemory:0\r\nmaxmemory_human:0B\r\nmaxmemory_policy:noeviction\r\n", memory);
        Assert.Matches(@"^# CPU\r\nused_cpu_sys:\d+\.\d{6}\r\nused_cpu_user:\d+\.\d{6}\r\nused_cpu_sys_children:0\.000000\r\nused_cpu_user_children:0\.000000\r\n" +
                       @"used_cpu_sys_main_thread:\d+\.\d{6}\r\nused_cpu_user_main_thread:\d+\.\d{6}\r\n$", Body(h.Run("info", "cpu")));
        Assert.Equal("1.00K", InfoBuilder.BytesToHuman(1024));
        Assert.Equal("1023B", InfoBuilder.BytesToHuman(1023));
        Assert.Equal("1.50M", InfoBuilder.BytesToHuman(1024 * 1536));
    }

    [Fact]
    public void Config_get_replies_with_a_map()
    {
        var h = new ServerHarness();
        Assert.Equal("*2\r\n$9\r\nMAXMEMORY\r\n$1\r\n0\r\n", h.Run("config", "get", "MAXMEMORY"));
        Assert.Equal("*4\r\n$2\r\nhz\r\n$2\r\n10\r\n$7\r\ntimeout\r\n$1\r\n0\r\n", h.Run("config", "get", "hz", "timeout", "HZ"));
        Assert.Equal("*0\r\n", h.Run("config", "get", "nosuch"));
        Assert.Equal("%1\r\n$9\r\nmaxmemory\r\n$1\r\n0\r\n", new ServerHarness(protocol: 3).Run("config", "get", "maxmemory"));
        Assert.Equal("-ERR wrong number of arguments for 'config|get' command\r\n", h.Run("config", "get"));
    }

    [Fact]
    public void Config_set_replies_and_errors()
    {
        var h = new ServerHarness();
        Assert.Equal("+OK\r\n", h.Run("config", "set", "hz", "20", "maxmemory", "1mb"));
        Assert.Equal(20, h.Server.Config.Hz);
        Assert.Equal("-ERR syntax error\r\n", h.Run("config", "set", "a", "b", "c"));
        Assert.Equal("-ERR wrong number of arguments for 'config|set' command\r\n", h.Run("config", "set", "a"));
        Assert.Equal("-ERR CONFIG SET failed (possibly related to argument 'hz') - argument couldn't be parsed into an integer\r\n",
            h.Run("config", "set", "maxmemory", "2mb", "hz", "x"));
        Assert.Equal("1048576", h.Server.Config.Find("maxmemory")!.Get());
        Assert.Equal("-ERR CONFIG SET failed (possibly related to argument 'dir') - can't set protected config\r\n", h.Run("config", "set", "dir", "."));
    }

    [Fact]
    public void Protected_configs_can_be_set_when_enabled()
    {
        var local = new ServerHarness();
        Assert.Null(local.Server.Config.SetFromFile("enable-protected-configs", ["local"]));
        Assert.Equal("+OK\r\n", local.Run("config", "set", "dbfilename", "x.rdb"));
        var remote = new ServerHarness(address: "10.1.2.3:5000");
        Assert.Null(remote.Server.Config.SetFromFile("enable-protected-configs", ["local"]));
        Assert.Equal("-ERR CONFIG SET failed (possibly related to argument 'dbfilename') - can't set protected config\r\n",
            remote.Run("config", "set", "dbfilename", "x.rdb"));
    }

    [Fact]
    public void Config_resetstat_clears_every_counter()
    {
        var h = new ServerHarness();
        h.Shard.Stats.KeyspaceHits = 7;
        h.Run("config", "set", "hz", "x");
        h.Run("time");
        Assert.Equal("+OK\r\n", h.Run("config", "resetstat"));
        Assert.Equal(0, h.Shard.Stats.KeyspaceHits);
        Assert.Empty(h.Server.CommandStats.Errors());
        Assert.Equal(0, h.Server.CommandStats.For(h.Server.Commands.Find("time")!).Calls);
        Assert.Equal(0, h.Server.CommandStats.For(h.Server.Commands.Find("config")!.Subcommands!["set"]).Failed);
        // The reset itself is counted afterwards, as in Redis.
        Assert.Equal(1, h.Server.CommandStats.For(h.Server.Commands.Find("config")!.Subcommands!["resetstat"]).Calls);
    }

    [Fact]
    public void Config_rewrite_needs_a_config_file_and_rewrites_it()
    {
        var h = new ServerHarness();
        Assert.Equal("-ERR The server is running without a config file\r\n", h.Run("config", "rewrite"));
        var path = Path.Combine(Path.GetTempPath(), $"akkaredis-rewrite-{Guid.NewGuid():N}.conf");
        try
        {
            File.WriteAllText(path, "# mine\nport 7000\nhz 20\n");
            Assert.Null(ConfigText.Load(h.Server.Config, File.ReadAllText(path)));
            h.Server.Config.ConfigFile = path;
            h.Run("config", "set", "hz", "15", "maxmemory", "2gb");
            Assert.Equal("+OK\r\n", h.Run("config", "rewrite"));
            var text = File.ReadAllText(path);
            Assert.StartsWith("# mine\nport 7000\nhz 15\n\n# Generated by CONFIG REWRITE\n", text);
            Assert.Contains("\nmaxmemory 2gb\n", text);
            var reloaded = new ServerConfig();
            Assert.Null(ConfigText.Load(reloaded, text.Replace("user default on nopass ~* &* +@all\n", "")));
            Assert.Equal(15, reloaded.Hz);
            Assert.Equal(2UL << 30, reloaded.MaxMemory);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void Config_help()
    {
        Assert.Equal(
            "*11\r\n+CONFIG <subcommand> [<arg> [value] [opt] ...]. Subcommands are:\r\n+GET <pattern>\r\n+    Return parameters matching the glob-like <pattern> and their values.\r\n+SET <directive> <value>\r\n+    Set the configuration <directive> to <value>.\r\n+RESETSTAT\r\n+    Reset statistics reported by the INFO command.\r\n+REWRITE\r\n+    Rewrite the configuration file.\r\n+HELP\r\n+    Prints this help.\r\n",
            new ServerHarness().Run("config", "help"));
        Assert.Equal("-ERR unknown subcommand 'foo'. Try CONFIG HELP.\r\n", new ServerHarness().Run("config", "foo"));
    }

    [Fact]
    public void Time_and_lastsave()
    {
        var h = new ServerHarness();
        var m = Regex.Match(h.Run("time"), @"^\*2\r\n\$\d+\r\n(\d+)\r\n\$\d+\r\n(\d+)\r\n$");
        Assert.True(m.Success);
        Assert.InRange(long.Parse(m.Groups[1].Value), DateTimeOffset.UtcNow.ToUnixTimeSeconds() - 2, DateTimeOffset.UtcNow.ToUnixTimeSeconds());
        Assert.InRange(long.Parse(m.Groups[2].Value), 0, 999_999);
        Assert.Equal($":{h.Server.StartTime.ToUnixTimeSeconds()}\r\n", h.Run("lastsave"));
        Assert.Equal("-ERR wrong number of arguments for 'time' command\r\n", h.Run("time", "x"));
    }
}
