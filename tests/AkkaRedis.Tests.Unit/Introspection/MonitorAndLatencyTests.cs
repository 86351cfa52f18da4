using System.Text;
using AkkaRedis.Actors.Server;
using AkkaRedis.Actors.Session;
using AkkaRedis.Tests.Unit.Server;

namespace AkkaRedis.Tests.Unit.Introspection;

public sealed class MonitorFeedTests
{
    private static string Repr(byte[] bytes)
    {
        var sb = new StringBuilder();
        MonitorFeed.Repr(sb, bytes);
        return sb.ToString();
    }

    [Fact]
    public void Repr_escapes_as_sdscatrepr()
    {
        Assert.Equal("\"plain text 123\"", Repr("plain text 123"u8.ToArray()));
        Assert.Equal("\"a\\\"b\\\\c\"", Repr("a\"b\\c"u8.ToArray()));
        Assert.Equal("\"\\n\\r\\t\\a\\b\"", Repr([10, 13, 9, 7, 8]));
        Assert.Equal("\"\\x00\\x01\\x1f\\x7f\\x80\\xff\"", Repr([0, 1, 0x1f, 0x7f, 0x80, 0xff]));
        Assert.Equal("\"\\xc3\\xa9\"", Repr(Encoding.UTF8.GetBytes("é")));
        Assert.Equal("\" ~\"", Repr(" ~"u8.ToArray()));
        Assert.Equal("\"\"", Repr([]));
    }

    [Fact]
    public void Line_has_time_db_address_and_quoted_arguments()
    {
        var time = DateTimeOffset.FromUnixTimeSeconds(1_700_000_000).AddTicks(1_234_560);
        var line = MonitorFeed.FormatLine(time, 3, "127.0.0.1:50000", ["set"u8.ToArray(), "k"u8.ToArray(), "v\n"u8.ToArray()]);
        Assert.Equal("+1700000000.123456 [3 127.0.0.1:50000] \"set\" \"k\" \"v\\n\"\r\n", Encoding.Latin1.GetString(line));
        var zero = MonitorFeed.FormatLine(DateTimeOffset.FromUnixTimeSeconds(5), 0, "[::1]:6000", ["ping"u8.ToArray()]);
        Assert.Equal("+5.000000 [0 [::1]:6000] \"ping\"\r\n", Encoding.Latin1.GetString(zero));
    }

    [Fact]
    public void Feed_reaches_every_monitor_but_not_for_admin_commands_and_redacts_auth()
    {
        var h = new ServerHarness();
        var feed = h.Server.Monitors;
        var received = new List<string>();
        var monitor = new ClientSession(50, "127.0.0.1:1", "x") { PostHandler = m => received.Add(Encoding.Latin1.GetString(((MonitorLine)m).Bytes)) };
        Assert.False(feed.Active);
        feed.Add(monitor);
        feed.Add(monitor);
        Assert.Equal(1, feed.Count);
        var sender = new ClientSession(51, "127.0.0.1:2", "x");
        var commands = h.Server.Commands;
        feed.Feed(sender, 0, commands.Find("get")!, ["get"u8.ToArray(), "k"u8.ToArray()]);
        feed.Feed(sender, 0, commands.Find("config")!.Subcommands!["get"], ["config"u8.ToArray(), "get"u8.ToArray(), "x"u8.ToArray()]);
        feed.Feed(sender, 1, commands.Find("hello")!, ["hello"u8.ToArray(), "3"u8.ToArray(), "auth"u8.ToArray(), "u"u8.ToArray(), "p"u8.ToArray()]);
        Assert.Equal(2, received.Count);
        Assert.EndsWith(" [0 127.0.0.1:2] \"get\" \"k\"\r\n", received[0]);
        Assert.EndsWith(" [1 127.0.0.1:2] \"hello\" \"3\" \"auth\" \"(redacted)\" \"(redacted)\"\r\n", received[1]);
        feed.Remove(monitor);
        Assert.False(feed.Active);
    }

    [Fact]
    public void Monitor_command_registers_once_and_reset_leaves_monitor_mode()
    {
        var h = new ServerHarness();
        Assert.Equal("+OK\r\n", h.Run("MONITOR"));
        Assert.True(h.Client.IsMonitor);
        Assert.True(h.Server.Monitors.Active);
        h.Run("MONITOR");
        Assert.True(h.SuppressReply);
        Assert.Equal("+RESET\r\n", h.Run("RESET"));
        Assert.False(h.Client.IsMonitor);
        Assert.False(h.Server.Monitors.Active);
    }
}

public sealed class LatencyHistogramTests
{
    [Fact]
    public void Percentiles_are_hdr_equivalent_values_as_redis_prints_them()
    {
        var h = new LatencyHistogram();
        h.Record(9_000);
        // redis-server 7.0.15 printed p50=9.023 and p0=8.960 for one 9 µs call.
        Assert.Equal(9_023, h.ValueAtPercentile(50));
        Assert.Equal(9_023, h.ValueAtPercentile(100));
        Assert.Equal(8_960, h.ValueAtPercentile(0));

        var g = new LatencyHistogram();
        g.Record(0); // clamped to 1 ns
        g.Record(1_000);
        g.Record(2_000);
        Assert.Equal(1, g.ValueAtPercentile(0));
        Assert.Equal(1_003, g.ValueAtPercentile(50));
        Assert.Equal(2_007, g.ValueAtPercentile(99.9));
    }

    [Fact]
    public void Buckets_are_the_log2_iteration_of_redis_latency_histogram()
    {
        var h = new LatencyHistogram();
        foreach (var ns in new long[] { 1_000, 1_000, 5_000, 9_000 }) h.Record(ns);
        // redis-server 7.0.15 showed calls=4 histogram_usec {1:2, 8:3, 16:4} for such a SET.
        Assert.Equal([(1L, 2L), (8L, 3L), (16L, 4L)], h.CumulativeBuckets());

        var big = new LatencyHistogram();
        big.Record(16_000);
        big.Record(30_000);
        Assert.Equal([(16L, 1L), (33L, 2L)], big.CumulativeBuckets());

        var clamped = new LatencyHistogram();
        clamped.Record(5_000_000_000);
        Assert.Equal([(1_073_741L, 1L)], clamped.CumulativeBuckets());
        Assert.Empty(new LatencyHistogram().CumulativeBuckets());
    }

    [Fact]
    public void Latency_histogram_and_info_latencystats_use_the_recorded_calls()
    {
        var h = new ServerHarness();
        var set = h.Server.Commands.Find("set")!;
        h.Server.CommandStats.NewCell().Called(set, 9, null, trackLatency: true);
        Assert.Equal("*2\r\n$3\r\nset\r\n*4\r\n$5\r\ncalls\r\n:1\r\n$14\r\nhistogram_usec\r\n*2\r\n:16\r\n:1\r\n", h.Run("LATENCY", "HISTOGRAM", "set", "nosuch"));
        var info = h.Run("INFO", "latencystats");
        Assert.Contains("latency_percentiles_usec_set:p50=9.023,p99=9.023,p99.9=9.023\r\n", info);
        h.Run("CONFIG", "SET", "latency-tracking-info-percentiles", "0 100");
        Assert.Contains("latency_percentiles_usec_set:p0=8.960,p100=9.023\r\n", h.Run("INFO", "latencystats"));
        h.Run("CONFIG", "RESETSTAT");
        Assert.Equal("*0\r\n", h.Run("LATENCY", "HISTOGRAM", "set"));
    }
}

public sealed class LatencyMonitorTests
{
    [Fact]
    public void A_debug_sleep_is_a_slow_command_for_the_slowlog_and_the_latency_monitor()
    {
        var h = new ServerHarness();
        Assert.Null(h.Server.Config.SetFromFile("enable-debug-command", ["yes"]));
        h.Run("CONFIG", "SET", "latency-monitor-threshold", "100");
        Assert.Equal("+OK\r\n", h.Run("DEBUG", "SLEEP", "0.25"));
        var entry = Assert.Single(h.Server.Diagnostics.SlowLog.Newest(10));
        Assert.InRange(entry.DurationMicros, 250_000, 10_000_000);
        var latest = Assert.Single(h.Server.Diagnostics.Latency.Latest());
        Assert.Equal("command", latest.Event);
        Assert.InRange(latest.Latency, 250, 10_000);
        Assert.StartsWith("*1\r\n*4\r\n$7\r\ncommand\r\n:", h.Run("LATENCY", "LATEST"));
        Assert.StartsWith("*1\r\n*2\r\n:", h.Run("LATENCY", "HISTORY", "command"));
        Assert.StartsWith("$", h.Run("LATENCY", "GRAPH", "command"));
        Assert.Equal(":1\r\n", h.Run("LATENCY", "RESET"));
        Assert.Equal("-ERR No samples available for event 'command'\r\n", h.Run("LATENCY", "GRAPH", "command"));
    }

    [Fact]
    public void Samples_keep_the_worst_per_second_and_the_all_time_max()
    {
        var m = new LatencyMonitor();
        m.AddSample("command", 20, nowSeconds: 1000);
        m.AddSample("command", 50, nowSeconds: 1000);
        m.AddSample("command", 30, nowSeconds: 1000);
        m.AddSample("command", 10, nowSeconds: 1001);
        m.AddSample("fast-command", 5, nowSeconds: 1001);
        Assert.Equal([(1000L, 50L), (1001L, 10L)], m.History("command"));
        Assert.Null(m.History("nosuch"));
        Assert.Equal([("command", 1001L, 10L, 50L), ("fast-command", 1001L, 5L, 5L)], m.Latest());
        Assert.Equal(1, m.Reset("COMMAND"));
        Assert.Equal(1, m.Reset(null));
        Assert.Empty(m.Latest());
    }

    [Fact]
    public void The_series_holds_160_samples()
    {
        var m = new LatencyMonitor();
        for (var i = 0; i < 200; i++) m.AddSample("command", i, nowSeconds: 10_000 + i);
        var history = m.History("command")!;
        Assert.Equal(160, history.Count);
        Assert.Equal((10_040L, 40L), history[0]);
        Assert.Equal((10_199L, 199L), history[^1]);
    }

    [Fact]
    public void Doctor_reports_as_redis_does()
    {
        var m = new LatencyMonitor();
        Assert.StartsWith("I'm sorry, Dave, I can't do that. Latency monitoring is disabled", m.Doctor(0, 10000, false));
        Assert.Equal("Dave, no latency spike was observed during the lifetime of this Redis instance, not in the slightest bit. " +
                     "I honestly think you ought to sit down calmly, take a stress pill, and think things over.\n", m.Doctor(100, 10000, false));
        m.AddSample("command", 120);
        var report = m.Doctor(100, -1, false);
        Assert.StartsWith("Dave, I have observed latency spikes in this Redis instance. You don't mind talking about it, do you Dave?\n\n" +
                          "1. command: 1 latency spikes (average 120ms, mean deviation 0ms, period 1.00 sec). Worst all time event 120ms.\n" +
                          "\nI have a few advices for you:\n\n- There are latency issues with potentially slow commands you are using. " +
                          "Try to enable the Slow Log Redis feature using the command 'CONFIG SET slowlog-log-slower-than 100000'.", report);
        Assert.Contains("- Check your Slow Log to understand", report);
        Assert.DoesNotContain("huge pages", report);
        Assert.Contains("- I detected a non zero amount of anonymous huge pages", m.Doctor(100, -1, true));
        Assert.StartsWith("\nI have a few advices for you:\n\n- I detected", new LatencyMonitor().Doctor(100, 10000, true));
    }

    [Fact]
    public void Graph_draws_redis_sparkline()
    {
        var m = new LatencyMonitor();
        Assert.Null(m.Graph("command"));
        m.AddSample("command", 10, nowSeconds: 100);
        m.AddSample("command", 40, nowSeconds: 130);
        var graph = m.Graph("command", nowSeconds: 159)!;
        var expected =
            "command - high 40 ms, low 10 ms (all time high 40 ms)\n" +
            new string('-', 80) + "\n" +
            " #\n" +
            " |\n" +
            " |\n" +
            "_|\n" +
            "  \n" +
            "52\n" +
            "99\n" +
            "ss\n";
        Assert.Equal(expected, graph);
    }
}
