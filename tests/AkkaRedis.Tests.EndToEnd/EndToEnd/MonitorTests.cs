using System.Text;
using System.Text.RegularExpressions;
using AkkaRedis.Tests.EndToEnd.Infrastructure;

namespace AkkaRedis.Tests.EndToEnd.EndToEnd;

/// <summary>
/// MONITOR against both servers: one connection monitors while another runs commands with awkward bytes; the monitor
/// lines must be redis-server's, byte for byte, once the timestamp and the client's port are masked.
/// </summary>
[Collection(E2ECollection.Name)]
[Trait("Category", "EndToEnd")]
public sealed partial class MonitorTests(E2EServers servers)
{
    private const string EndMarker = "monitor-end";

    private static readonly string[][] Commands =
    [
        ["SET", "mon:k", "a\"b\\c\nd\r\te\a\b\0\u00ff tail"],
        ["GET", "mon:k"],
        ["SET", "mon:utf8", "héllo wörld ✓"],
        ["APPEND", "mon:k", "\x01\x7f\x80"],
        ["SET", "mon:n", "12345"],
        ["INCR", "mon:n"],
        ["MSET", "mon:a", "1", "mon:b", "2", "mon:c", "3"],
        ["DEL", "mon:a", "mon:b"],
        ["EXPIRE", "mon:c", "1000"],
        ["DBSIZE"],
        ["CONFIG", "GET", "maxmemory"],
        ["NOSUCHCOMMAND", "x"],
        ["GET"],
        ["CLIENT", "SETNAME", "watched"],
        ["HELLO", "2", "SETNAME", "again"],
        ["SELECT", "3"],
        ["SET", "", ""],
        ["SELECT", "0"],
        // Scripts (issue 13): EVAL is shown before the commands its script calls, those from "lua".
        ["EVAL", "redis.call('set', KEYS[1], ARGV[1]); redis.call('select', 2); return redis.call('get', KEYS[1])", "1", "mon:s", "v"],
        ["EVAL", "return redis.pcall('nosuch')", "0"],
        ["EVAL_RO", "return redis.call('exists', 'mon:a', 'mon:c')", "0"],
        ["PING"],
        ["ECHO", EndMarker],
    ];

    [Fact]
    public void MonitorLinesMatchRedisExceptTimestampAndPort()
    {
        var redisLines = Record(servers.Redis);
        var akkaLines = Record(servers.Akka);
        Assert.Equal(redisLines, akkaLines);
        Assert.Contains(@"""SET"" ""mon:k"" ""a\""b\\c\nd\r\te\a\b\x00\xc3\xbf tail""", string.Join("\n", akkaLines));
    }

    private static List<string> Record(ServerProcess server)
    {
        using var monitor = server.Connect();
        using var client = server.Connect();
        Assert.Equal("+OK\r\n", Text(monitor, "MONITOR"));
        foreach (var command in Commands) client.Call(Resp.Args(command));
        var lines = new List<string>();
        while (true)
        {
            var line = Encoding.Latin1.GetString(monitor.ReadReply());
            lines.Add(Mask(line));
            if (line.Contains(EndMarker)) break;
        }
        return lines;
    }

    /// <summary>"+1700000000.123456 [0 127.0.0.1:50000] ..." → "+&lt;time&gt; [0 127.0.0.1:&lt;port&gt;] ..."; a script's
    /// commands ("[0 lua]") have no port.</summary>
    private static string Mask(string line)
    {
        var match = MonitorLine().Match(line);
        Assert.True(match.Success, "not a monitor line: " + Resp.Escape(Encoding.Latin1.GetBytes(line)));
        var port = match.Groups["port"].Success ? ":<port>" : "";
        return "+<time> [" + match.Groups["db"].Value + " " + match.Groups["ip"].Value + port + "] " + match.Groups["rest"].Value;
    }

    [GeneratedRegex(@"^\+\d+\.\d{6} \[(?<db>\d+) (?<ip>[^\]]+?)(?<port>:\d+)?\] (?<rest>.*)\r\n$", RegexOptions.Singleline)]
    private static partial Regex MonitorLine();

    [Fact]
    public void MonitorModeRepliesAsRedis()
    {
        foreach (var server in new ServerProcess[] { servers.Redis, servers.Akka })
        {
            using var monitor = server.Connect();
            Assert.Equal("+OK\r\n", Text(monitor, "MONITOR"));
            // Its own commands are answered, then shown to it.
            Assert.Equal("+PONG\r\n", Text(monitor, "PING"));
            Assert.Matches(@"^\+\d+\.\d{6} \[0 [^\]]+\] ""PING""\r\n$", Encoding.Latin1.GetString(monitor.ReadReply()));
            // Keyspace commands are refused (Redis treats a monitor as a replica); a second MONITOR gets no reply.
            Assert.Equal("-ERR Replica can't interact with the keyspace\r\n", Text(monitor, "GET", "k"));
            monitor.SendCommand("MONITOR");
            Assert.Equal("+RESET\r\n", Text(monitor, "RESET"));
            Assert.Contains("flags=N", Text(monitor, "CLIENT", "INFO"));
            // Out of monitor mode: nothing more arrives.
            using var other = server.Connect();
            other.Call("PING");
            Assert.Equal(":0\r\n", Text(monitor, "EXISTS", "no-such-key-monitor"));
        }
    }

    private static string Text(RawRespClient client, params string[] args) => Encoding.Latin1.GetString(client.Call(args));

    [Fact]
    public void ClientListShowsMonitorFlag()
    {
        foreach (var server in new ServerProcess[] { servers.Redis, servers.Akka })
        {
            using var monitor = server.Connect();
            Assert.Equal("+OK\r\n", Text(monitor, "MONITOR"));
            using var client = server.Connect();
            var list = Encoding.UTF8.GetString(client.Call("CLIENT", "LIST"));
            Assert.Contains(" flags=O ", list);
            Assert.Contains(" cmd=monitor ", list);
        }
    }
}
