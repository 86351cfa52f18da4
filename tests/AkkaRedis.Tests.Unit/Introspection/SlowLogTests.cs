using AkkaRedis.Net.Resp;
using System.Text;
using AkkaRedis.Actors.Commands;
using AkkaRedis.Actors.Server;
using AkkaRedis.Actors.Session;
using AkkaRedis.Tests.Unit.Server;
using static AkkaRedis.Actors.Commands.Declare;

namespace AkkaRedis.Tests.Unit.Introspection;

public sealed class SlowLogTests
{
    private static byte[][] Args(params string[] args) => args.Select(a => Encoding.UTF8.GetBytes(a)).ToArray();

    private static string[] Text(byte[][] args) => args.Select(a => Encoding.UTF8.GetString(a)).ToArray();

    private static string[] Text(CommandArgs args) => Text(args.ToArrays());

    [Fact]
    public void Ring_keeps_the_newest_entries_up_to_max_len_newest_first()
    {
        long maxLen = 3;
        var log = new SlowLog(() => maxLen);
        for (var i = 0; i < 5; i++) log.Push(Args("set", "k" + i), 10 + i, "127.0.0.1:1", "");
        Assert.Equal(3, log.Count);
        var entries = log.Newest(10);
        Assert.Equal([4L, 3L, 2L], entries.Select(e => e.Id));
        Assert.Equal([14L, 13L, 12L], entries.Select(e => e.DurationMicros));
        Assert.Equal(["set", "k4"], Text(entries[0].Args));
        Assert.Single(log.Newest(1));
        Assert.Empty(log.Newest(0));
    }

    [Fact]
    public void Shrinking_max_len_trims_on_the_next_push_and_ids_keep_counting_after_reset()
    {
        long maxLen = 10;
        var log = new SlowLog(() => maxLen);
        for (var i = 0; i < 5; i++) log.Push(Args("get", "k"), 1, "", "");
        maxLen = 2;
        log.Push(Args("get", "k"), 1, "", "");
        Assert.Equal(2, log.Count);
        log.Reset();
        Assert.Equal(0, log.Count);
        log.Push(Args("get", "k"), 1, "", "");
        Assert.Equal(6, log.Newest(1)[0].Id);
    }

    [Fact]
    public void Arguments_beyond_32_are_summarised_in_the_32nd()
    {
        var args = Enumerable.Range(0, 40).Select(i => Encoding.ASCII.GetBytes("a" + i)).ToArray();
        var trimmed = SlowLog.TrimArgs(args);
        Assert.Equal(32, trimmed.Length);
        Assert.Equal("a30", Encoding.ASCII.GetString(trimmed[30]));
        Assert.Equal("... (9 more arguments)", Encoding.ASCII.GetString(trimmed[31]));
        Assert.Equal(32, SlowLog.TrimArgs(args[..32]).Length);
        Assert.Equal("a31", Encoding.ASCII.GetString(SlowLog.TrimArgs(args[..32])[31]));
    }

    [Fact]
    public void Arguments_longer_than_128_bytes_are_cut()
    {
        var exact = new byte[128];
        var longer = Enumerable.Repeat((byte)'x', 200).ToArray();
        var trimmed = SlowLog.TrimArgs([exact, longer]);
        Assert.Equal(exact, trimmed[0]); // a copy: the request's memory goes back to the pool
        Assert.Equal(new string('x', 128) + "... (72 more bytes)", Encoding.ASCII.GetString(trimmed[1]));
    }

    [Fact]
    public void Threshold_decides_what_is_logged_and_skip_slowlog_commands_never_are()
    {
        var h = new ServerHarness();
        var d = h.Server.Diagnostics;
        var get = h.Server.Commands.Find("get")!;
        var client = new ClientLabel("10.0.0.1:4242") { Name = "app" };

        d.AfterCommand(get, Args("get", "k"), 9_999, client); // default threshold 10000 µs
        Assert.Equal(0, d.SlowLog.Count);
        d.AfterCommand(get, Args("get", "k"), 10_000, client);
        Assert.Equal(1, d.SlowLog.Count);
        var entry = d.SlowLog.Newest(1)[0];
        Assert.Equal(("10.0.0.1:4242", "app", 10_000L), (entry.PeerId, entry.ClientName, entry.DurationMicros));

        h.Run("CONFIG", "SET", "slowlog-log-slower-than", "-1");
        d.AfterCommand(get, Args("get", "k"), 1_000_000, client);
        Assert.Equal(1, d.SlowLog.Count);

        h.Run("CONFIG", "SET", "slowlog-log-slower-than", "0");
        d.AfterCommand(get, Args("get", "k"), 0, client);
        Assert.Equal(2, d.SlowLog.Count);

        var table = new CommandTable();
        var exec = table.Add(new("exec", 1, F("noscript loading stale skip_slowlog"), 0, 0, 0, A("transaction")));
        d.AfterCommand(exec, Args("exec"), 50_000, client);
        Assert.Equal(2, d.SlowLog.Count);
    }

    [Fact]
    public void Credentials_are_redacted_as_redis_redacts_them()
    {
        var table = new CommandTable();
        var auth = table.Add(new("auth", -2, F("fast"), 0, 0, 0, A("connection")));
        var hello = table.Add(new("hello", -1, F("fast"), 0, 0, 0, A("connection")));
        Assert.Equal(["auth", "(redacted)"], Text(Redaction.Apply(auth, Args("auth", "pw"))));
        Assert.Equal(["AUTH", "(redacted)", "(redacted)"], Text(Redaction.Apply(auth, Args("AUTH", "u", "pw"))));
        Assert.Equal(["auth", "a", "b", "c"], Text(Redaction.Apply(auth, Args("auth", "a", "b", "c"))));
        Assert.Equal(["hello", "3", "AUTH", "(redacted)", "(redacted)", "SETNAME", "n"],
            Text(Redaction.Apply(hello, Args("hello", "3", "AUTH", "u", "p", "SETNAME", "n"))));
        Assert.Equal(["hello", "3", "SETNAME", "auth", "AUTH", "(redacted)", "(redacted)"],
            Text(Redaction.Apply(hello, Args("hello", "3", "SETNAME", "auth", "AUTH", "u", "p"))));
        // A rejected protocol version stops HELLO before it parses AUTH.
        Assert.Equal(["hello", "4", "AUTH", "u", "p"], Text(Redaction.Apply(hello, Args("hello", "4", "AUTH", "u", "p"))));
        Assert.Equal(["hello", "3", "AUTH", "u"], Text(Redaction.Apply(hello, Args("hello", "3", "AUTH", "u"))));
    }

    [Fact]
    public void Slowlog_get_replies_with_six_fields_per_entry()
    {
        var h = new ServerHarness();
        var set = h.Server.Commands.Find("set")!;
        h.Server.Diagnostics.AfterCommand(set, Args("set", "k", "v"), 12_345, new ClientLabel("127.0.0.1:5000") { Name = "n" });
        var reply = h.Run("SLOWLOG", "GET");
        var entry = h.Server.Diagnostics.SlowLog.Newest(1)[0];
        Assert.Equal($"*1\r\n*6\r\n:0\r\n:{entry.UnixSeconds}\r\n:12345\r\n*3\r\n$3\r\nset\r\n$1\r\nk\r\n$1\r\nv\r\n$14\r\n127.0.0.1:5000\r\n$1\r\nn\r\n", reply);
        Assert.Equal("*0\r\n", h.Run("SLOWLOG", "GET", "0"));
        Assert.Equal("-ERR count should be greater than or equal to -1\r\n", h.Run("SLOWLOG", "GET", "-2"));
        Assert.Equal("-ERR unknown subcommand or wrong number of arguments for 'Get'. Try SLOWLOG HELP.\r\n", h.Run("SLOWLOG", "Get", "1", "2"));
        Assert.Equal(":1\r\n", h.Run("SLOWLOG", "LEN"));
        Assert.Equal("+OK\r\n", h.Run("SLOWLOG", "RESET"));
        Assert.Equal(":0\r\n", h.Run("SLOWLOG", "LEN"));
    }
}
