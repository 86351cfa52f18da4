using AkkaRedis.Actors.Server;

namespace AkkaRedis.Tests.Unit.Server;

public sealed class ServerConfigTests
{
    private static string? Get(ServerConfig c, string name) => c.Find(name)?.Get();

    [Theory]
    [InlineData("port", "6379")]
    [InlineData("bind", "* -::*")]
    [InlineData("databases", "16")]
    [InlineData("hz", "10")]
    [InlineData("maxmemory", "0")]
    [InlineData("maxmemory-policy", "noeviction")]
    [InlineData("save", "3600 1 300 100 60 10000")]
    [InlineData("appendonly", "no")]
    [InlineData("appendfsync", "everysec")]
    [InlineData("client-output-buffer-limit", "normal 0 0 0 slave 268435456 67108864 60 pubsub 33554432 8388608 60")]
    [InlineData("proto-max-bulk-len", "536870912")]
    [InlineData("client-query-buffer-limit", "1073741824")]
    [InlineData("list-max-listpack-size", "-2")]
    [InlineData("list-max-ziplist-size", "-2")]
    [InlineData("slave-read-only", "yes")]
    [InlineData("lua-time-limit", "5000")]
    [InlineData("requirepass", "")]
    [InlineData("notify-keyspace-events", "")]
    [InlineData("oom-score-adj-values", "0 200 800")]
    [InlineData("latency-tracking-info-percentiles", "50 99 99.9")]
    [InlineData("unixsocketperm", "0")]
    [InlineData("cluster-enabled", "no")]
    [InlineData("loglevel", "notice")]
    [InlineData("dbfilename", "dump.rdb")]
    [InlineData("proc-title-template", "{title} {listen-addr} {server-mode}")]
    public void Defaults_are_Redis_7_0s(string name, string expected) => Assert.Equal(expected, Get(new ServerConfig(), name));

    [Fact]
    public void Config_set_changes_several_parameters_at_once()
    {
        var c = new ServerConfig();
        Assert.Null(c.SetAtomically([("maxmemory", "10mb"), ("hz", "20"), ("slave-read-only", "no")], false));
        Assert.Equal("10485760", Get(c, "maxmemory"));
        Assert.Equal(20, c.Hz);
        Assert.Equal("no", Get(c, "replica-read-only"));
    }

    [Fact]
    public void Config_set_is_all_or_nothing()
    {
        var c = new ServerConfig();
        var error = c.SetAtomically([("maxmemory", "10mb"), ("save", "100 10"), ("hz", "nope"), ("timeout", "5")], false);
        Assert.Equal("ERR CONFIG SET failed (possibly related to argument 'hz') - argument couldn't be parsed into an integer", error);
        Assert.Equal("0", Get(c, "maxmemory"));
        Assert.Equal("3600 1 300 100 60 10000", Get(c, "save"));
        Assert.Equal("0", Get(c, "timeout"));
    }

    [Fact]
    public void Config_set_errors_are_Redis_s()
    {
        var c = new ServerConfig();
        Assert.Equal("ERR Unknown option or number of arguments for CONFIG SET - 'x'", c.SetAtomically([("x", "1")], false));
        Assert.Equal("ERR Unknown option or number of arguments for CONFIG SET - 'nope'", c.SetAtomically([("hz", "5"), ("nope", "1")], false));
        Assert.Equal("ERR CONFIG SET failed (possibly related to argument 'daemonize') - can't set immutable config",
            c.SetAtomically([("daemonize", "no"), ("nope", "1")], false));
        Assert.Equal("ERR CONFIG SET failed (possibly related to argument 'HZ') - duplicate parameter", c.SetAtomically([("hz", "5"), ("HZ", "6")], false));
        // An alias is an entry of its own in Redis's duplicate check (redis-server 7.0.15 replies +OK; the last wins).
        Assert.Null(c.SetAtomically([("replica-read-only", "no"), ("slave-read-only", "yes")], false));
        Assert.Equal("yes", Get(c, "replica-read-only"));
        Assert.Equal("ERR CONFIG SET failed (possibly related to argument 'dir') - can't set protected config", c.SetAtomically([("dir", "/tmp")], false));
        Assert.Equal(10, c.Hz);
    }

    [Theory]
    [InlineData("maxmemory", "1x", "argument must be a memory value")]
    [InlineData("maxmemory", "+5", "argument must be a memory value")]
    [InlineData("maxmemory", "1.5mb", "argument must be a memory value")]
    [InlineData("hz", "05", "argument couldn't be parsed into an integer")]
    [InlineData("hz", " 5", "argument couldn't be parsed into an integer")]
    [InlineData("timeout", "-1", "argument must be between 0 and 2147483647 inclusive")]
    [InlineData("maxclients", "0", "argument must be between 1 and 4294967295 inclusive")]
    [InlineData("slowlog-max-len", "-1", "argument must be between 0 and 9223372036854775807 inclusive")]
    [InlineData("proto-max-bulk-len", "100", "argument must be between 1048576 and 9223372036854775807 inclusive")]
    [InlineData("maxmemory-clients", "200%", "percentage argument must be less or equal to 100")]
    [InlineData("maxmemory-clients", "-5", "argument must be a memory or percent value")]
    [InlineData("appendonly", "maybe", "argument must be 'yes' or 'no'")]
    [InlineData("maxmemory-policy", "foo",
        "argument(s) must be one of the following: volatile-lru, volatile-lfu, volatile-random, volatile-ttl, allkeys-lru, allkeys-lfu, allkeys-random, noeviction")]
    [InlineData("save", "1 2 3", "Invalid save parameters")]
    [InlineData("save", "0 1", "Invalid save parameters")]
    [InlineData("notify-keyspace-events", "Zq", "Invalid event class character. Use 'Ag$lshzxeKEtmdn'.")]
    [InlineData("client-output-buffer-limit", "normal 1 2", "Wrong number of arguments in buffer limit configuration.")]
    [InlineData("client-output-buffer-limit", "master 1 2 3", "Invalid client class specified in buffer limit configuration.")]
    [InlineData("client-output-buffer-limit", "normal x 2 3", "Error in hard, soft or soft_seconds setting in buffer limit configuration.")]
    [InlineData("oom-score-adj-values", "1 2", "wrong number of arguments")]
    [InlineData("oom-score-adj-values", "1 2 9999", "Invalid oom-score-adj-values, elements must be between -2000 and 2000.")]
    [InlineData("shutdown-on-sigint", "save nosave", "shutdown options SAVE and NOSAVE can't be used simultaneously")]
    [InlineData("latency-tracking-info-percentiles", "50 101", "latency-tracking-info-percentiles parameters should sit between [0.0,100.0]")]
    [InlineData("dbfilename", "a/b", "dbfilename can't be a path, just a filename")]
    public void Invalid_values_are_refused_with_Redis_s_reason(string name, string value, string reason)
    {
        var c = new ServerConfig();
        var before = Get(c, name);
        Assert.Equal(reason, c.Find(name)!.Set(value));
        Assert.Equal(before, Get(c, name));
        Assert.Equal($"ERR CONFIG SET failed (possibly related to argument '{name}') - {reason}", c.SetAtomically([(name, value)], protectedAllowed: true));
    }

    [Theory]
    [InlineData("maxmemory", "10GB", "10737418240")]
    [InlineData("maxmemory", "2k", "2000")]
    [InlineData("maxmemory", "2kb", "2048")]
    [InlineData("maxmemory", "", "0")]
    [InlineData("maxmemory", "18446744073709551616", "18446744073709551615")]
    [InlineData("maxmemory-clients", "10%", "10%")]
    [InlineData("maxmemory-clients", "1mb", "1048576")]
    [InlineData("hz", "0", "1")]
    [InlineData("hz", "1000", "500")]
    [InlineData("loglevel", "WARNING", "warning")]
    [InlineData("appendonly", "YES", "yes")]
    [InlineData("oom-score-adj", "relative", "yes")]
    [InlineData("shutdown-on-sigint", "save now", "save now")]
    [InlineData("shutdown-on-sigint", "default now", "now")]
    [InlineData("notify-keyspace-events", "KEA", "AKE")]
    [InlineData("notify-keyspace-events", "Ex", "xE")]
    [InlineData("save", "", "")]
    [InlineData("save", "100 10 50 5", "100 10 50 5")]
    [InlineData("client-output-buffer-limit", "pubsub 1mb 2k 3", "normal 0 0 0 slave 268435456 67108864 60 pubsub 1048576 2000 3")]
    [InlineData("client-output-buffer-limit", "replica 1 2 3", "normal 0 0 0 slave 1 2 3 pubsub 33554432 8388608 60")]
    [InlineData("latency-tracking-info-percentiles", "50 99.5 99.999", "50 99.5 99.999")]
    [InlineData("latency-tracking-info-percentiles", "", "")]
    [InlineData("bind", "127.0.0.1 ::1", "127.0.0.1 ::1")]
    [InlineData("lua-time-limit", "100", "100")]
    public void Values_are_stored_as_Redis_shows_them(string name, string value, string shown)
    {
        var c = new ServerConfig();
        Assert.Null(c.SetAtomically([(name, value)], false));
        Assert.Equal(shown, Get(c, name));
    }

    [Fact]
    public void An_alias_and_its_parameter_are_one_value()
    {
        var c = new ServerConfig();
        Assert.Null(c.SetAtomically([("lua-time-limit", "123")], false));
        Assert.Equal("123", Get(c, "busy-reply-threshold"));
        Assert.Same(c.Find("slave-read-only"), c.Find("replica-read-only"));
    }

    [Fact]
    public void Config_get_matches_globs_case_insensitively_and_lists_each_name_once()
    {
        var c = new ServerConfig();
        var names = c.Match(["maxmemory*", "maxmemory"]).Select(m => m.Name).ToList();
        Assert.Equal(["maxmemory-policy", "maxmemory-samples", "maxmemory-eviction-tenacity", "maxmemory", "maxmemory-clients"], names);
        Assert.Equal(["slave-read-only", "replica-read-only"], c.Match(["*READ-only*"]).Select(m => m.Name).OrderByDescending(n => n).ToList());
        Assert.Equal(["MAXMEMORY"], c.Match(["MAXMEMORY", "maxmemory"]).Select(m => m.Name).ToList());
        Assert.Empty(c.Match(["nosuch"]));
        // Hidden parameters answer their exact name only.
        Assert.Single(c.Match(["rdb-key-save-delay"]));
        Assert.Empty(c.Match(["rdb-key-save-delay*"]));
        Assert.Empty(c.Match(["shards*"]));
        Assert.Equal(192, c.Match(["*"]).Count);
    }

    [Fact]
    public void Config_file_lines_follow_redis_conf_rules()
    {
        var c = new ServerConfig();
        Assert.Null(c.SetFromFile("save", ["10", "1"]));
        Assert.Null(c.SetFromFile("save", ["20", "2"]));
        Assert.Equal("10 1 20 2", Get(c, "save"));
        Assert.Equal("wrong number of arguments", c.SetFromFile("port", ["1", "2"]));
        Assert.Equal("Bad directive or wrong number of arguments", c.SetFromFile("nosuch", ["1"]));
        Assert.Null(c.SetFromFile("list-max-ziplist-entries", ["5"]));
        Assert.Null(c.SetFromFile("BIND", ["127.0.0.1", "::1"]));
        Assert.Equal(["127.0.0.1", "::1"], c.Bind);
        Assert.Null(c.SetFromFile("daemonize", ["yes"]));
        Assert.Null(c.SetFromFile("shards", ["3"]));
        Assert.Equal(3, c.Shards);
    }

    [Fact]
    public void Config_load_reports_the_fatal_error_block()
    {
        var c = new ServerConfig();
        Assert.Null(ConfigText.Load(c, "# comment\n\nport 7000\nsave \"\"\n"));
        Assert.Equal(7000, c.Port);
        Assert.Equal("", Get(c, "save"));
        Assert.Equal("\n*** FATAL CONFIG FILE ERROR (Redis 7.0.15) ***\nReading the configuration file, at line 3\n>>> 'foo bar'\nBad directive or wrong number of arguments",
            ConfigText.Load(c, "# c\nsave 10 1\nfoo bar\n"));
        Assert.Equal("\n*** FATAL CONFIG FILE ERROR (Redis 7.0.15) ***\nReading the configuration file, at line 1\n>>> 'port 1 2'\nwrong number of arguments",
            ConfigText.Load(c, "port 1 2"));
        Assert.Equal("\n*** FATAL CONFIG FILE ERROR (Redis 7.0.15) ***\nReading the configuration file, at line 1\n>>> 'port \"abc'\nUnbalanced quotes in configuration line",
            ConfigText.Load(c, "port \"abc"));
    }

    [Fact]
    public void Command_line_options_become_config_lines_as_redis_server_builds_them()
    {
        Assert.Equal("port \"abc\" ", ConfigText.OptionsText(["--port", "abc"]));
        Assert.Equal("save \"\"\nport \"abc\" ", ConfigText.OptionsText(["--save", "--port", "abc"]));
        Assert.Equal("save \"60\" \"1\" \nhz \"a b\" ", ConfigText.OptionsText(["--save", "60", "1", "--hz", "a b"]));
        Assert.Equal("save \"\"", ConfigText.OptionsText(["--save"]));
        var c = new ServerConfig();
        Assert.Equal("\n*** FATAL CONFIG FILE ERROR (Redis 7.0.15) ***\nReading the configuration file, at line 2\n>>> 'port \"abc\"'\nargument couldn't be parsed into an integer",
            ConfigText.Load(c, "\n" + ConfigText.OptionsText(["--port", "abc"])));
        Assert.Equal("\n*** FATAL CONFIG FILE ERROR (Redis 7.0.15) ***\nReading the configuration file, at line 2\n>>> 'nosuch \"1\" \"2\"'\nBad directive or wrong number of arguments",
            ConfigText.Load(c, "\n" + ConfigText.OptionsText(["--nosuch", "1", "2"])));
        Assert.Null(ConfigText.Load(c, "\n" + ConfigText.OptionsText(["--save", "60", "1", "--maxmemory", "1gb"])));
        Assert.Equal("60 1", Get(c, "save"));
        Assert.Equal(1UL << 30, c.MaxMemory);
    }

    [Fact]
    public void Startup_set_takes_joined_arguments()
    {
        var c = new ServerConfig();
        Assert.Null(c.Set("bind", "*"));
        Assert.Equal(["*"], c.Bind);
        Assert.Null(c.Set("proto-max-bulk-len", "512mb"));
        Assert.Equal(512L * 1024 * 1024, c.ProtoMaxBulkLen);
        Assert.Equal("Bad directive or wrong number of arguments", c.Set("nosuch", "1"));
        Assert.Equal("argument couldn't be parsed into an integer", c.Set("hz", "a b"));
    }

    [Fact]
    public void Rewrite_updates_lines_in_place_and_appends_what_is_not_default()
    {
        var c = new ServerConfig();
        const string old = "# my config\nport 7744\nsave 10 1\nsave 20 2\n\n\n\nslave-read-only yes\nmaxmemory 100mb\nhz 20\nfoo-bar 1\nappendonly no\n";
        Assert.Null(ConfigText.Load(c, old.Replace("foo-bar 1\n", "")));
        Assert.Null(c.SetAtomically([("maxmemory", "3gb"), ("hz", "10"), ("notify-keyspace-events", "Ex"), ("requirepass", "p\"w"),
            ("client-output-buffer-limit", "pubsub 64mb 16mb 90"), ("maxmemory-clients", "5%"), ("list-max-listpack-size", "-3"), ("save", "10 1")], false));
        var dir = Directory.GetCurrentDirectory();
        Assert.Equal(
            "# my config\nport 7744\nsave 10 1\n\nreplica-read-only yes\nmaxmemory 3gb\nhz 10\n# ??? foo-bar 1\nappendonly no\n\n" +
            "# Generated by CONFIG REWRITE\n" +
            "requirepass \"p\\\"w\"\n" +
            "list-max-listpack-size -3\n" +
            "maxmemory-clients 5%\n" +
            $"dir \"{dir}\"\n" +
            "client-output-buffer-limit pubsub 64mb 16mb 90\n" +
            "notify-keyspace-events \"xE\"\n" +
            "latency-tracking-info-percentiles 50 99 99.9\n" +
            "user default on #" + Convert.ToHexString(System.Security.Cryptography.SHA256.HashData("p\"w"u8)).ToLowerInvariant() + " ~* &* +@all\n",
            c.RewriteContent(old));
    }

    [Fact]
    public void Rewrite_of_an_empty_file_writes_only_what_must_be_there()
    {
        var c = new ServerConfig();
        var content = c.RewriteContent("");
        Assert.Equal($"# Generated by CONFIG REWRITE\ndir \"{Directory.GetCurrentDirectory()}\"\nsave 3600 1\nsave 300 100\nsave 60 10000\n" +
                     "latency-tracking-info-percentiles 50 99 99.9\nuser default on nopass ~* &* +@all\n", content);
        // Reading the rewritten file back gives the same configuration.
        var again = new ServerConfig();
        Assert.Null(ConfigText.Load(again, content.Replace("user default on nopass ~* &* +@all\n", "")));
        Assert.Equal(Get(c, "save"), Get(again, "save"));
    }

    [Fact]
    public void Memory_values_parse_like_memtoull()
    {
        Assert.True(ServerConfig.TryParseMemory("1gb", out var gb));
        Assert.Equal(1L << 30, gb);
        Assert.True(ServerConfig.TryParseMemory("5K", out var k));
        Assert.Equal(5000, k);
        Assert.False(ServerConfig.TryParseMemory("-1", out _));
        Assert.False(ServerConfig.TryParseMemory("1 kb", out _));
        Assert.Equal("3gb", NumberParameter.FormatMemory(3L << 30));
        Assert.Equal("1025", NumberParameter.FormatMemory(1025));
        Assert.Equal("0", NumberParameter.FormatMemory(0));
    }
}
