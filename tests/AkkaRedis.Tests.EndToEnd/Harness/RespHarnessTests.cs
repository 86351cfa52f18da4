using System.Text;
using AkkaRedis.Tests.EndToEnd.Differential;
using AkkaRedis.Tests.EndToEnd.Infrastructure;

namespace AkkaRedis.Tests.EndToEnd.Harness;

/// <summary>The test side's own RESP code and comparison rules, checked without any server.</summary>
[Trait("Category", "Harness")]
public sealed class RespHarnessTests
{
    [Theory]
    [InlineData("+OK\r\n")]
    [InlineData("-ERR x\r\n")]
    [InlineData(":-12\r\n")]
    [InlineData("$-1\r\n")]
    [InlineData("$0\r\n\r\n")]
    [InlineData("$5\r\na\r\nbc\r\n")]
    [InlineData("*-1\r\n")]
    [InlineData("*0\r\n")]
    [InlineData("*2\r\n$1\r\na\r\n*1\r\n:1\r\n")]
    [InlineData("_\r\n")]
    [InlineData(",3.14\r\n")]
    [InlineData(",inf\r\n")]
    [InlineData("#t\r\n")]
    [InlineData("(3492890328409238509324850943850943825024385\r\n")]
    [InlineData("!21\r\nSYNTAX invalid syntax\r\n")]
    [InlineData("=15\r\ntxt:Some string\r\n")]
    [InlineData("%2\r\n+first\r\n:1\r\n+second\r\n:2\r\n")]
    [InlineData("~3\r\n+a\r\n:1\r\n_\r\n")]
    [InlineData(">3\r\n$7\r\nmessage\r\n$2\r\nch\r\n$3\r\nmsg\r\n")]
    [InlineData("|1\r\n+key-popularity\r\n%2\r\n$1\r\na\r\n,0.1923\r\n$1\r\nb\r\n,0.0012\r\n*2\r\n:2039123\r\n:9543892\r\n")]
    [InlineData("*2\r\n|1\r\n+ttl\r\n:3600\r\n:1\r\n:2\r\n")]
    [InlineData("$?\r\n;4\r\nHell\r\n;5\r\no wor\r\n;1\r\nd\r\n;0\r\n")]
    [InlineData("*?\r\n:1\r\n:2\r\n.\r\n")]
    [InlineData("%?\r\n+a\r\n:1\r\n.\r\n")]
    public void OneCompleteReplyIsMeasuredExactlyAndIncompleteOnesWait(string reply)
    {
        var bytes = Encoding.Latin1.GetBytes(reply);
        Assert.Equal(bytes.Length, Resp.MeasureReply(bytes));
        Assert.Equal(bytes.Length, Resp.MeasureReply([.. bytes, .. "+NEXT\r\n"u8]));
        for (var cut = 0; cut < bytes.Length; cut++)
            Assert.Equal(-1, Resp.MeasureReply(bytes.AsSpan(0, cut)));
        Assert.Equal(bytes, RespValue.Parse(bytes).ToBytes());
    }

    [Fact]
    public void GarbageIsRejected()
    {
        Assert.Throws<FormatException>(() => Resp.MeasureReply("?what\r\n"u8));
        Assert.Throws<FormatException>(() => Resp.MeasureReply("$abc\r\n"u8));
        Assert.Throws<FormatException>(() => Resp.MeasureReply("$3\r\nabcXY"u8));
    }

    [Fact]
    public void ScriptLinesSplitLikeRedisCli()
    {
        var args = Resp.SplitArgs("SET \"a b\" 'c\\'d' \"\\x00\\xff\\r\\n\" plain \"\"");
        Assert.Equal(6, args.Length);
        Assert.Equal("a b", Encoding.UTF8.GetString(args[1]));
        Assert.Equal("c'd", Encoding.UTF8.GetString(args[2]));
        Assert.Equal(new byte[] { 0, 0xff, 13, 10 }, args[3]);
        Assert.Empty(args[5]);
        Assert.Equal("SET \"a b\" \"c'd\" \"\\x00\\xff\\r\\n\" plain \"\"", Resp.FormatCommand(args));
    }

    [Fact]
    public void ComparisonRulesAcceptOnlyInherentDifferences()
    {
        static string? Compare(string cmd, string redis, string akka) =>
            ReplyRules.Compare(Resp.SplitArgs(cmd), Encoding.Latin1.GetBytes(redis), Encoding.Latin1.GetBytes(akka));

        Assert.Null(Compare("GET k", "$1\r\nv\r\n", "$1\r\nv\r\n"));
        Assert.NotNull(Compare("GET k", "$1\r\nv\r\n", "$1\r\nw\r\n"));
        Assert.Null(Compare("TTL k", ":100\r\n", ":99\r\n"));
        Assert.NotNull(Compare("TTL k", ":100\r\n", ":98\r\n"));
        Assert.NotNull(Compare("TTL k", ":-1\r\n", ":0\r\n"));
        Assert.NotNull(Compare("TTL k", ":-2\r\n", ":-1\r\n"));
        Assert.Null(Compare("PTTL k", ":100000\r\n", ":99500\r\n"));
        Assert.NotNull(Compare("TTL k", "-ERR a\r\n", "-ERR b\r\n"));
        Assert.Null(Compare("KEYS *", "*2\r\n$1\r\na\r\n$1\r\nb\r\n", "*2\r\n$1\r\nb\r\n$1\r\na\r\n"));
        Assert.NotNull(Compare("KEYS *", "*2\r\n$1\r\na\r\n$1\r\nb\r\n", "*2\r\n$1\r\nb\r\n$1\r\nc\r\n"));
        Assert.Null(Compare("RANDOMKEY", "$1\r\na\r\n", "$1\r\nb\r\n"));
        Assert.NotNull(Compare("RANDOMKEY", "$1\r\na\r\n", "$-1\r\n"));
        Assert.Null(Compare("OBJECT IDLETIME k", ":0\r\n", ":3\r\n"));
        Assert.NotNull(Compare("OBJECT ENCODING k", "$3\r\nint\r\n", "$6\r\nembstr\r\n"));
        Assert.Null(Compare("HELLO 3", "%2\r\n$5\r\nproto\r\n:3\r\n$2\r\nid\r\n:5\r\n", "%2\r\n$5\r\nproto\r\n:3\r\n$2\r\nid\r\n:77\r\n"));
        Assert.NotNull(Compare("HELLO 3", "%2\r\n$5\r\nproto\r\n:3\r\n$2\r\nid\r\n:5\r\n", "%2\r\n$5\r\nproto\r\n:2\r\n$2\r\nid\r\n:5\r\n"));
        Assert.Null(Compare("CONFIG GET *", "*4\r\n$1\r\na\r\n$1\r\n1\r\n$1\r\nb\r\n$1\r\n2\r\n", "*4\r\n$1\r\nb\r\n$1\r\n2\r\n$1\r\na\r\n$1\r\n1\r\n"));
        Assert.NotNull(Compare("CONFIG GET *", "*4\r\n$1\r\na\r\n$1\r\n1\r\n$1\r\nb\r\n$1\r\n2\r\n", "*4\r\n$1\r\na\r\n$1\r\n2\r\n$1\r\nb\r\n$1\r\n1\r\n"));
        Assert.Null(Compare("TIME", "*2\r\n$10\r\n1700000000\r\n$6\r\n123456\r\n", "*2\r\n$10\r\n1700000001\r\n$1\r\n5\r\n"));
        Assert.NotNull(Compare("TIME", "*2\r\n$10\r\n1700000000\r\n$6\r\n123456\r\n", "*2\r\n:1700000000\r\n:5\r\n"));
    }
}
