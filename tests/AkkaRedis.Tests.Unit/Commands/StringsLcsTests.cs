using static AkkaRedis.Tests.Unit.Commands.StringsTestSupport;

namespace AkkaRedis.Tests.Unit.Commands;

/// <summary>LCS, with the replies redis-server 7.0.15 gives for the documentation's example.</summary>
public sealed class StringsLcsTests
{
    private static HandlerHarness WithExample(int protocol = 2)
    {
        var h = new HandlerHarness(protocol);
        h.Run("MSET", "a", "ohmytext", "b", "mynewtext", "x", "abcdef");
        return h;
    }

    private const string IdxMatches = "*2\r\n*2\r\n*2\r\n:4\r\n:7\r\n*2\r\n:5\r\n:8\r\n*2\r\n*2\r\n:2\r\n:3\r\n*2\r\n:0\r\n:1\r\n";
    private const string IdxMatchesWithLen = "*2\r\n*3\r\n*2\r\n:4\r\n:7\r\n*2\r\n:5\r\n:8\r\n:4\r\n*3\r\n*2\r\n:2\r\n:3\r\n*2\r\n:0\r\n:1\r\n:2\r\n";

    [Fact]
    public void String_and_length()
    {
        var h = WithExample();
        Assert.Equal("$6\r\nmytext\r\n", h.Run("LCS", "a", "b"));
        Assert.Equal(":6\r\n", h.Run("LCS", "a", "b", "LEN"));
        Assert.Equal(":6\r\n", h.Run("LCS", "a", "b", "len", "LEN"));
        Assert.Equal("$0\r\n\r\n", h.Run("LCS", "m1", "m2"));
        Assert.Equal(":0\r\n", h.Run("LCS", "m1", "m2", "LEN"));
        Assert.Equal("$8\r\nohmytext\r\n", h.Run("LCS", "a", "a"));
        Assert.Equal("$6\r\nmytext\r\n", h.Run("LCS", "a", "b", "MINMATCHLEN", "2")); // only matters with IDX
        Assert.Equal("$6\r\nmytext\r\n", h.Run("LCS", "a", "b", "WITHMATCHLEN"));
    }

    [Fact]
    public void Idx_resp2()
    {
        var h = WithExample();
        Assert.Equal("*4\r\n$7\r\nmatches\r\n" + IdxMatches + "$3\r\nlen\r\n:6\r\n", h.Run("LCS", "a", "b", "IDX"));
        Assert.Equal("*4\r\n$7\r\nmatches\r\n" + IdxMatchesWithLen + "$3\r\nlen\r\n:6\r\n", h.Run("LCS", "a", "b", "IDX", "WITHMATCHLEN"));
        Assert.Equal("*4\r\n$7\r\nmatches\r\n*1\r\n*2\r\n*2\r\n:4\r\n:7\r\n*2\r\n:5\r\n:8\r\n$3\r\nlen\r\n:6\r\n",
            h.Run("LCS", "a", "b", "IDX", "MINMATCHLEN", "4"));
        Assert.Equal("*4\r\n$7\r\nmatches\r\n*1\r\n*3\r\n*2\r\n:4\r\n:7\r\n*2\r\n:5\r\n:8\r\n:4\r\n$3\r\nlen\r\n:6\r\n",
            h.Run("LCS", "a", "b", "IDX", "MINMATCHLEN", "4", "WITHMATCHLEN"));
        Assert.Equal("*4\r\n$7\r\nmatches\r\n" + IdxMatches + "$3\r\nlen\r\n:6\r\n", h.Run("LCS", "a", "b", "IDX", "MINMATCHLEN", "-5"));
        Assert.Equal("*4\r\n$7\r\nmatches\r\n*0\r\n$3\r\nlen\r\n:0\r\n", h.Run("LCS", "a", "missing", "IDX"));
        Assert.Equal("*4\r\n$7\r\nmatches\r\n*1\r\n*3\r\n*2\r\n:0\r\n:7\r\n*2\r\n:0\r\n:7\r\n:8\r\n$3\r\nlen\r\n:8\r\n", h.Run("LCS", "a", "a", "IDX", "WITHMATCHLEN"));
        Assert.Equal("*4\r\n$7\r\nmatches\r\n*1\r\n*2\r\n*2\r\n:4\r\n:4\r\n*2\r\n:3\r\n:3\r\n$3\r\nlen\r\n:1\r\n", h.Run("LCS", "x", "b", "IDX"));
    }

    [Fact]
    public void Idx_resp3_is_a_map()
    {
        var h = WithExample(protocol: 3);
        Assert.Equal("%2\r\n$7\r\nmatches\r\n" + IdxMatches + "$3\r\nlen\r\n:6\r\n", h.Run("LCS", "a", "b", "IDX"));
        Assert.Equal("%2\r\n$7\r\nmatches\r\n" + IdxMatchesWithLen + "$3\r\nlen\r\n:6\r\n", h.Run("LCS", "a", "b", "IDX", "WITHMATCHLEN"));
        Assert.Equal("%2\r\n$7\r\nmatches\r\n*0\r\n$3\r\nlen\r\n:0\r\n", h.Run("LCS", "missing1", "missing2", "IDX", "WITHMATCHLEN"));
        Assert.Equal("$6\r\nmytext\r\n", h.Run("LCS", "a", "b"));
        Assert.Equal(":6\r\n", h.Run("LCS", "a", "b", "LEN"));
    }

    [Fact]
    public void Errors()
    {
        var h = WithExample();
        Assert.Equal(Syntax, h.Run("LCS", "a", "b", "FOO"));
        Assert.Equal(Syntax, h.Run("LCS", "a", "b", "MINMATCHLEN"));
        Assert.Equal(NotInteger, h.Run("LCS", "a", "b", "MINMATCHLEN", "x"));
        Assert.Equal("-ERR If you want both the length and indexes, please just use IDX.\r\n", h.Run("LCS", "a", "b", "LEN", "IDX"));
        Assert.Equal("-ERR wrong number of arguments for 'lcs' command\r\n", h.Run("LCS", "a"));
    }

    [Fact]
    public void Non_string_keys_are_refused_before_the_options_are_read()
    {
        var h = WithExample();
        h.PutList("l");
        Assert.Equal("-ERR The specified keys must contain string values\r\n", h.Run("LCS", "l", "a"));
        Assert.Equal("-ERR The specified keys must contain string values\r\n", h.Run("LCS", "a", "l", "FOO"));
        Assert.Equal("-ERR The specified keys must contain string values\r\n", h.Run("LCS", "missing", "l"));
    }

    [Fact]
    public void Options_are_compared_as_c_strings()
    {
        var h = WithExample();
        Assert.Equal(":6\r\n", h.Run([B("LCS"), B("a"), B("b"), B("len\0a")]));
    }

    [Fact]
    public void Transient_table_limited_by_proto_max_bulk_len()
    {
        var h = new HandlerHarness();
        h.Server.Config.Set("proto-max-bulk-len", "1mb");
        h.Run("SET", "a", new string('a', 600));
        h.Run("SET", "b", new string('b', 600));
        Assert.Equal("-ERR Insufficient memory, transient memory for LCS exceeds proto-max-bulk-len\r\n", h.Run("LCS", "a", "b"));
        Assert.Equal("-ERR Insufficient memory, transient memory for LCS exceeds proto-max-bulk-len\r\n", h.Run("LCS", "a", "b", "LEN"));
        h.Run("SET", "b", new string('a', 400));
        Assert.Equal(":400\r\n", h.Run("LCS", "a", "b", "LEN"));
    }

    [Fact]
    public void Matches_a_brute_force_lcs_length()
    {
        var rng = new Random(42);
        var h = new HandlerHarness();
        for (var round = 0; round < 200; round++)
        {
            var a = RandomText(rng, rng.Next(0, 30));
            var b = RandomText(rng, rng.Next(0, 30));
            h.Run("MSET", "a", a, "b", b);
            var expected = LcsLength(a, b);
            Assert.Equal($":{expected}\r\n", h.Run("LCS", "a", "b", "LEN"));
            var lcs = h.Run("LCS", "a", "b");
            Assert.StartsWith($"${expected}\r\n", lcs);
            var text = lcs.Substring(lcs.IndexOf('\n') + 1, expected);
            Assert.True(IsSubsequence(text, a) && IsSubsequence(text, b));
        }
    }

    private static string RandomText(Random rng, int length)
    {
        var chars = new char[length];
        for (var i = 0; i < length; i++) chars[i] = "abc"[rng.Next(3)];
        return new string(chars);
    }

    private static int LcsLength(string a, string b)
    {
        var t = new int[a.Length + 1, b.Length + 1];
        for (var i = 1; i <= a.Length; i++)
        for (var j = 1; j <= b.Length; j++)
            t[i, j] = a[i - 1] == b[j - 1] ? t[i - 1, j - 1] + 1 : Math.Max(t[i - 1, j], t[i, j - 1]);
        return t[a.Length, b.Length];
    }

    private static bool IsSubsequence(string s, string of)
    {
        var j = 0;
        foreach (var c in of)
            if (j < s.Length && s[j] == c) j++;
        return j == s.Length;
    }
}
