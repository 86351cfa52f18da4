using System.Text;
using AkkaRedis.Net.Resp;

namespace AkkaRedis.Tests.Unit;

public class RespParserTests
{
    private static readonly Encoding Latin1 = Encoding.Latin1;

    private static byte[] B(string s) => Latin1.GetBytes(s);

    private static string S(byte[] b) => Latin1.GetString(b);

    private static string[] Strs(byte[][] cmd)
    {
        var r = new string[cmd.Length];
        for (var i = 0; i < cmd.Length; i++) r[i] = S(cmd[i]);
        return r;
    }

    private static List<string[]> Strs(List<byte[][]> cmds)
    {
        var r = new List<string[]>();
        foreach (var c in cmds) r.Add(Strs(c));
        return r;
    }

    private static (bool Ok, List<string[]> Commands, RespParser Parser) ParseAll(string input, RespLimits? limits = null)
    {
        var parser = new RespParser(limits ?? new RespLimits());
        var output = new List<byte[][]>();
        var ok = parser.Feed(B(input), output);
        return (ok, Strs(output), parser);
    }

    private static string Mb(params string[] args)
    {
        var sb = new StringBuilder();
        sb.Append('*').Append(args.Length).Append("\r\n");
        foreach (var a in args) sb.Append('$').Append(a.Length).Append("\r\n").Append(a).Append("\r\n");
        return sb.ToString();
    }

    // ---------------------------------------------------------------- command forms

    [Fact]
    public void Multibulk_command_is_parsed()
    {
        var (ok, cmds, p) = ParseAll("*3\r\n$3\r\nSET\r\n$3\r\nkey\r\n$5\r\nvalue\r\n");
        Assert.True(ok);
        Assert.Single(cmds);
        Assert.Equal(new[] { "SET", "key", "value" }, cmds[0]);
        Assert.Equal(0, p.BufferedBytes);
        Assert.Null(p.ProtocolError);
        Assert.False(p.QueryBufferLimitExceeded);
    }

    [Fact]
    public void Command_name_is_kept_as_sent()
    {
        var (_, cmds, _) = ParseAll("*1\r\n$4\r\npInG\r\n");
        Assert.Equal("pInG", cmds[0][0]);
    }

    [Fact]
    public void Multibulk_payload_is_binary_safe_and_exactly_sized()
    {
        var payload = "a\r\nb\0c*$\n\xff";
        var parser = new RespParser(new RespLimits());
        var output = new List<byte[][]>();
        Assert.True(parser.Feed(B(Mb("SET", "k", payload)), output));
        Assert.Single(output);
        Assert.Equal(3, output[0].Length);
        Assert.Equal(payload.Length, output[0][2].Length);
        Assert.Equal(B(payload), output[0][2]);
    }

    [Fact]
    public void Empty_bulk_is_an_empty_argument()
    {
        var (ok, cmds, _) = ParseAll("*2\r\n$4\r\nECHO\r\n$0\r\n\r\n");
        Assert.True(ok);
        Assert.Equal(new[] { "ECHO", "" }, cmds[0]);
    }

    [Theory]
    [InlineData("*0\r\n")]
    [InlineData("*-1\r\n")]
    [InlineData("*-10\r\n")]
    [InlineData("*-9223372036854775808\r\n")]
    public void Zero_or_negative_multibulk_count_is_skipped(string header)
    {
        var (ok, cmds, p) = ParseAll(header + "PING\r\n" + header);
        Assert.True(ok);
        Assert.Single(cmds);
        Assert.Equal(new[] { "PING" }, cmds[0]);
        Assert.Equal(0, p.BufferedBytes);
    }

    [Fact]
    public void Bytes_after_bulk_payload_and_after_header_cr_are_not_checked_like_redis()
    {
        // Verified on redis-server 7.0.15: both reply +PONG.
        var (ok, cmds, _) = ParseAll("*1\r\n$4\r\nPINGXY*1\rX$4\rYPING\r\n");
        Assert.True(ok);
        Assert.Equal(2, cmds.Count);
        Assert.All(cmds, c => Assert.Equal(new[] { "PING" }, c));
    }

    [Fact]
    public void Bulk_payload_may_contain_nul()
    {
        var (ok, cmds, _) = ParseAll("*1\r\n$4\r\nPI\0G\r\n");
        Assert.True(ok);
        Assert.Equal("PI\0G", cmds[0][0]);
    }

    [Fact]
    public void Multibulk_with_more_than_1024_arguments_gets_an_exact_array()
    {
        var sb = new StringBuilder();
        const int n = 5000;
        sb.Append('*').Append(n).Append("\r\n");
        for (var i = 0; i < n; i++)
        {
            var a = i.ToString();
            sb.Append('$').Append(a.Length).Append("\r\n").Append(a).Append("\r\n");
        }
        var (ok, cmds, _) = ParseAll(sb.ToString());
        Assert.True(ok);
        Assert.Single(cmds);
        Assert.Equal(n, cmds[0].Length);
        Assert.Equal("4999", cmds[0][n - 1]);
    }

    [Fact]
    public void Multibulk_count_above_one_million_is_accepted_like_redis_7()
    {
        // redis-server 7.0.15 accepts "*1048577" (the limit is INT_MAX); only the arguments are awaited.
        var (ok, cmds, p) = ParseAll("*1048577\r\n$4\r\nMSET\r\n");
        Assert.True(ok);
        Assert.Empty(cmds);
        Assert.Null(p.ProtocolError);
        var (ok2, _, p2) = ParseAll("*2147483647\r\n");
        Assert.True(ok2);
        Assert.Null(p2.ProtocolError);
    }

    [Theory]
    [InlineData("PING\r\n", new[] { "PING" })]
    [InlineData("PING\n", new[] { "PING" })]
    [InlineData("  SET   a \t b  \r\n", new[] { "SET", "a", "b" })]
    [InlineData("ECHO a\rb\r\n", new[] { "ECHO", "a", "b" })]
    [InlineData("ECHO a\vb\r\n", new[] { "ECHO", "a\vb" })]
    [InlineData("ECHO \v\fa\r\n", new[] { "ECHO", "a" })]
    [InlineData("ECHO \"a\\x41\\n\"\r\n", new[] { "ECHO", "aA\n" })]
    [InlineData("ECHO \"\\x4a\\x4A\"\r\n", new[] { "ECHO", "JJ" })]
    [InlineData("ECHO \"\\xZZ\"\r\n", new[] { "ECHO", "xZZ" })]
    [InlineData("ECHO \"\\x\"\r\n", new[] { "ECHO", "x" })]
    [InlineData("ECHO \"\\x4\"\r\n", new[] { "ECHO", "x4" })]
    [InlineData("ECHO \"a\\zb\"\r\n", new[] { "ECHO", "azb" })]
    [InlineData("ECHO \"\\b\\a\\t\\r\"\r\n", new[] { "ECHO", "\b\a\t\r" })]
    [InlineData("ECHO \"\\\\\"\r\n", new[] { "ECHO", "\\" })]
    [InlineData("ECHO \"say \\\"hi\\\"\"\r\n", new[] { "ECHO", "say \"hi\"" })]
    [InlineData("ECHO 'a\\'b'\r\n", new[] { "ECHO", "a'b" })]
    [InlineData("ECHO 'a\\nb'\r\n", new[] { "ECHO", "a\\nb" })]
    [InlineData("ECHO 'a\\\\b'\r\n", new[] { "ECHO", "a\\\\b" })]
    [InlineData("ECHO 'a \"b\" c'\r\n", new[] { "ECHO", "a \"b\" c" })]
    [InlineData("ECHO \"\"\r\n", new[] { "ECHO", "" })]
    [InlineData("ECHO ''\r\n", new[] { "ECHO", "" })]
    [InlineData("ECHO \"a\"\r\n", new[] { "ECHO", "a" })]
    [InlineData("ECHO \"a\"\t\r\n", new[] { "ECHO", "a" })]
    [InlineData("ECHO \"a\"\v\r\n", new[] { "ECHO", "a" })]
    [InlineData("ECHO \"a\" \"b\"\r\n", new[] { "ECHO", "a", "b" })]
    [InlineData("ECHO a\"b c\" d\r\n", new[] { "ECHO", "ab c", "d" })]
    [InlineData("ECHO \"a\rb\"\n", new[] { "ECHO", "a\rb" })]
    [InlineData("ECHO \"a\rb\"\r\r\n", new[] { "ECHO", "a\rb" })]
    [InlineData("SET k v\r\r\n", new[] { "SET", "k", "v" })]
    public void Inline_commands_split_like_sdssplitargs(string input, string[] expected)
    {
        var (ok, cmds, p) = ParseAll(input);
        Assert.True(ok, p.ProtocolError);
        Assert.Single(cmds);
        Assert.Equal(expected, cmds[0]);
    }

    [Fact]
    public void Empty_inline_lines_are_ignored()
    {
        var (ok, cmds, p) = ParseAll("\r\n\r\n\n \r\n\t\n  \r\nPING\n\r\n");
        Assert.True(ok);
        Assert.Single(cmds);
        Assert.Equal(new[] { "PING" }, cmds[0]);
        Assert.Equal(0, p.BufferedBytes);
    }

    [Fact]
    public void Mixed_inline_and_multibulk_pipeline()
    {
        var (ok, cmds, _) = ParseAll("PING\r\n" + Mb("GET", "k") + "SET a b\n*0\r\n" + Mb("DEL", "a"));
        Assert.True(ok);
        Assert.Equal(4, cmds.Count);
        Assert.Equal(new[] { "PING" }, cmds[0]);
        Assert.Equal(new[] { "GET", "k" }, cmds[1]);
        Assert.Equal(new[] { "SET", "a", "b" }, cmds[2]);
        Assert.Equal(new[] { "DEL", "a" }, cmds[3]);
    }

    [Fact]
    public void Nul_in_inline_line_hides_the_newline_like_redis()
    {
        // redis-server 7.0.15 does not answer "ECHO a\0b\r\nPING\r\n" at all (strchr stops at the NUL).
        var (ok, cmds, p) = ParseAll("ECHO a\0b\r\nPING\r\n");
        Assert.True(ok);
        Assert.Empty(cmds);
        Assert.Equal(16, p.BufferedBytes);
    }

    // ---------------------------------------------------------------- errors (strings verified against redis-server 7.0.15)

    [Theory]
    [InlineData("*2147483648\r\n", "ERR Protocol error: invalid multibulk length")]
    [InlineData("*3000000000\r\n", "ERR Protocol error: invalid multibulk length")]
    [InlineData("*999999999999999999999\r\n", "ERR Protocol error: invalid multibulk length")]
    [InlineData("*-9223372036854775809\r\n", "ERR Protocol error: invalid multibulk length")]
    [InlineData("*abc\r\n", "ERR Protocol error: invalid multibulk length")]
    [InlineData("*\r\n", "ERR Protocol error: invalid multibulk length")]
    [InlineData("*+1\r\n", "ERR Protocol error: invalid multibulk length")]
    [InlineData("*01\r\n", "ERR Protocol error: invalid multibulk length")]
    [InlineData("* 1\r\n", "ERR Protocol error: invalid multibulk length")]
    [InlineData("*1 \r\n", "ERR Protocol error: invalid multibulk length")]
    [InlineData("*-0\r\n", "ERR Protocol error: invalid multibulk length")]
    [InlineData("*1\r\n$-1\r\n", "ERR Protocol error: invalid bulk length")]
    [InlineData("*1\r\n$-0\r\n", "ERR Protocol error: invalid bulk length")]
    [InlineData("*1\r\n$abc\r\n", "ERR Protocol error: invalid bulk length")]
    [InlineData("*1\r\n$\r\n", "ERR Protocol error: invalid bulk length")]
    [InlineData("*1\r\n$04\r\n", "ERR Protocol error: invalid bulk length")]
    [InlineData("*1\r\n$4 \r\n", "ERR Protocol error: invalid bulk length")]
    [InlineData("*1\r\n$536870913\r\n", "ERR Protocol error: invalid bulk length")]
    [InlineData("*1\r\n$99999999999999999999\r\n", "ERR Protocol error: invalid bulk length")]
    [InlineData("*1\r\n:4\r\nPING\r\n", "ERR Protocol error: expected '$', got ':'")]
    [InlineData("*3\r\n$3\r\nSET\r\n$1\r\nx\r\nfooz\r\n", "ERR Protocol error: expected '$', got 'f'")]
    [InlineData("*1\r\n\r\nxx", "ERR Protocol error: expected '$', got ' '")]
    [InlineData("*1\r\n\nabc\r\n", "ERR Protocol error: expected '$', got ' '")]
    [InlineData("*1\r\n\xc3\xa9\r\n", "ERR Protocol error: expected '$', got '\xc3'")]
    [InlineData("ECHO \"abc\"def\r\n", "ERR Protocol error: unbalanced quotes in request")]
    [InlineData("ECHO 'abc\r\n", "ERR Protocol error: unbalanced quotes in request")]
    [InlineData("ECHO \"abc\r\n", "ERR Protocol error: unbalanced quotes in request")]
    [InlineData("ECHO a\"b\r\n", "ERR Protocol error: unbalanced quotes in request")]
    [InlineData("ECHO 'a'x\r\n", "ERR Protocol error: unbalanced quotes in request")]
    [InlineData("ECHO \"abc\\\"\r\n", "ERR Protocol error: unbalanced quotes in request")]
    [InlineData("ECHO \"\\\"\r\n", "ERR Protocol error: unbalanced quotes in request")]
    public void Protocol_errors_match_redis(string input, string expected)
    {
        var (ok, cmds, p) = ParseAll(input);
        Assert.False(ok);
        Assert.Empty(cmds);
        Assert.Equal(expected, p.ProtocolError);
        Assert.False(p.QueryBufferLimitExceeded);
    }

    [Fact]
    public void Max_bulk_length_is_accepted()
    {
        var (ok, _, p) = ParseAll("*1\r\n$536870912\r\n");
        Assert.True(ok);
        Assert.Null(p.ProtocolError);
    }

    [Fact]
    public void Commands_before_an_error_are_returned()
    {
        var (ok, cmds, p) = ParseAll(Mb("PING") + "ECHO hi\r\n" + Mb("GET", "k") + "*x\r\n" + Mb("PING"));
        Assert.False(ok);
        Assert.Equal("ERR Protocol error: invalid multibulk length", p.ProtocolError);
        Assert.Equal(3, cmds.Count);
        Assert.Equal(new[] { "PING" }, cmds[0]);
        Assert.Equal(new[] { "ECHO", "hi" }, cmds[1]);
        Assert.Equal(new[] { "GET", "k" }, cmds[2]);
    }

    [Fact]
    public void Commands_before_an_error_in_a_later_feed_are_returned_and_parser_stays_failed()
    {
        var parser = new RespParser(new RespLimits());
        var output = new List<byte[][]>();
        Assert.True(parser.Feed(B("PING\r\n*1\r\n$"), output));
        Assert.Single(output);
        output.Clear();
        Assert.False(parser.Feed(B("-1\r\n"), output));
        Assert.Empty(output);
        Assert.Equal("ERR Protocol error: invalid bulk length", parser.ProtocolError);
        Assert.False(parser.Feed(B("PING\r\n"), output));
        Assert.Empty(output);
    }

    [Fact]
    public void Too_big_inline_request()
    {
        // Redis errors as soon as more than 64 KB are pending without a '\n' (verified: 65537 bytes, pause, CRLF
        // is an error). The parser applies that rule independently of chunking, so the '\r' counts too.
        var ok65536 = ParseAll(new string('a', 65536) + "\n");
        Assert.True(ok65536.Ok);
        Assert.Equal(65536, ok65536.Commands[0][0].Length);
        var ok65535 = ParseAll(new string('a', 65535) + "\r\n");
        Assert.True(ok65535.Ok);
        Assert.Equal(65535, ok65535.Commands[0][0].Length);
        Assert.Equal("ERR Protocol error: too big inline request", ParseAll(new string('a', 65536) + "\r\n").Parser.ProtocolError);

        var parser = new RespParser(new RespLimits());
        var output = new List<byte[][]>();
        Assert.True(parser.Feed(B("PING\r\n" + new string('a', 65536)), output));
        Assert.Equal(65536, parser.BufferedBytes);
        Assert.False(parser.Feed(B("a"), output));
        Assert.Equal("ERR Protocol error: too big inline request", parser.ProtocolError);
        Assert.Single(output);
    }

    [Fact]
    public void Too_big_inline_request_with_hidden_newline()
    {
        // Redis's "protocol desync" regression test: a NUL followed by lots of data must end in a "too big" error.
        var (ok, _, p) = ParseAll("\0" + string.Concat(Enumerable.Repeat("payload\n", 9000)));
        Assert.False(ok);
        Assert.Equal("ERR Protocol error: too big inline request", p.ProtocolError);
        var (ok2, _, p2) = ParseAll("$\0" + new string('A', 70000));
        Assert.False(ok2);
        Assert.Equal("ERR Protocol error: too big inline request", p2.ProtocolError);
    }

    [Fact]
    public void Too_big_mbulk_count_string()
    {
        Assert.True(ParseAll("*" + new string('1', 65535)).Ok);
        var (ok, cmds, p) = ParseAll(Mb("PING") + "*" + new string('1', 65536));
        Assert.False(ok);
        Assert.Equal("ERR Protocol error: too big mbulk count string", p.ProtocolError);
        Assert.Single(cmds);
        var (ok2, _, p2) = ParseAll("*1\0" + new string('\r', 70000));
        Assert.False(ok2);
        Assert.Equal("ERR Protocol error: too big mbulk count string", p2.ProtocolError);
    }

    [Fact]
    public void Too_big_bulk_count_string()
    {
        Assert.True(ParseAll("*1\r\n$" + new string('1', 65535)).Ok);
        var (ok, _, p) = ParseAll("*1\r\n$" + new string('1', 65536));
        Assert.False(ok);
        Assert.Equal("ERR Protocol error: too big bulk count string", p.ProtocolError);
    }

    [Fact]
    public void Too_big_checks_use_configured_inline_size_and_do_not_depend_on_chunking()
    {
        var limits = new RespLimits { MaxInlineSize = 10 };
        Assert.True(ParseAll("012345678\r\n", limits).Ok);              // 10 bytes precede the '\n'
        Assert.True(ParseAll("0123456789\n", limits).Ok);
        Assert.Equal("ERR Protocol error: too big inline request", ParseAll("0123456789\r\n", limits).Parser.ProtocolError);
        Assert.Equal("ERR Protocol error: too big mbulk count string", ParseAll("*1234567890\r\n", limits).Parser.ProtocolError);
        Assert.Equal("ERR Protocol error: too big bulk count string", ParseAll("*1\r\n$1234567890\r\n", limits).Parser.ProtocolError);
        Assert.Equal("ERR Protocol error: invalid bulk length", ParseAll("*1\r\n$-12345678\r\n", limits).Parser.ProtocolError);
    }

    [Fact]
    public void Configured_multibulk_and_bulk_limits()
    {
        var limits = new RespLimits { MaxMultibulkLength = 3, MaxBulkLength = 10 };
        Assert.True(ParseAll(Mb("a", "b", "c"), limits).Ok);
        Assert.Equal("ERR Protocol error: invalid multibulk length", ParseAll(Mb("a", "b", "c", "d"), limits).Parser.ProtocolError);
        Assert.True(ParseAll(Mb("0123456789"), limits).Ok);
        Assert.Equal("ERR Protocol error: invalid bulk length", ParseAll(Mb("0123456789a"), limits).Parser.ProtocolError);
    }

    // ---------------------------------------------------------------- incremental parsing

    [Fact]
    public void Pipeline_of_10000_commands_in_one_feed()
    {
        var sb = new StringBuilder();
        for (var i = 0; i < 10000; i++)
        {
            if (i % 3 == 2) sb.Append("INCR counter:").Append(i).Append("\r\n");
            else sb.Append(Mb("SET", "key:" + i, "value:" + i));
        }
        var parser = new RespParser(new RespLimits());
        var output = new List<byte[][]>();
        Assert.True(parser.Feed(B(sb.ToString()), output));
        Assert.Equal(10000, output.Count);
        for (var i = 0; i < 10000; i++)
        {
            var c = Strs(output[i]);
            if (i % 3 == 2) Assert.Equal(new[] { "INCR", "counter:" + i }, c);
            else Assert.Equal(new[] { "SET", "key:" + i, "value:" + i }, c);
        }
        Assert.Equal(0, parser.BufferedBytes);
    }

    [Fact]
    public void Hot_path_parses_into_slices_of_the_received_memory_without_allocating_per_request()
    {
        var sb = new StringBuilder();
        for (var i = 0; i < 10000; i++) sb.Append(Mb("SET", "key:" + (i % 10), "val:" + (i % 10)));
        var data = B(sb.ToString());
        var parser = new RespParser(new RespLimits());
        var batch = new CommandBatch();
        void FeedFrom(int off, int n)
        {
            // As the socket stage hands over its reads: a pooled buffer the parser then owns.
            var chunk = System.Buffers.ArrayPool<byte>.Shared.Rent(n);
            data.AsSpan(off, n).CopyTo(chunk);
            Assert.True(parser.Feed(chunk, 0, n, batch));
        }
        FeedFrom(0, 100); // warm-up
        batch.Clear();

        var parsed = 0;
        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var off = 100; off < data.Length; off += 4096)
        {
            FeedFrom(off, Math.Min(4096, data.Length - off));
            parsed += batch.Count;
            batch.Clear(); // the session answers the batch: its memory goes back to the pool
        }
        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        Assert.True(parsed >= 9998);
        // No array per argument or per request: only a request split between two reads copies its first arguments.
        Assert.True(allocated < parsed * 8L + 16 * 1024, $"allocated {allocated} bytes for {parsed} requests");
    }

    [Fact]
    public void Arguments_are_slices_of_the_read_they_arrived_in()
    {
        var parser = new RespParser(new RespLimits());
        var batch = new CommandBatch();
        var bytes = B(Mb("SET", "k", "v") + Mb("GET", "k"));
        var chunk = System.Buffers.ArrayPool<byte>.Shared.Rent(bytes.Length);
        bytes.CopyTo(chunk, 0);
        Assert.True(parser.Feed(chunk, 0, bytes.Length, batch));
        Assert.Equal(2, batch.Count);
        Assert.Equal(1, batch.PooledBuffers); // the batch owns the read until it is answered
        // The value "v" is read where it arrived: changing the read changes the argument.
        var value = batch[0][2];
        var at = Array.IndexOf(chunk, (byte)'v');
        chunk[at] = (byte)'w';
        Assert.Equal("w", Encoding.ASCII.GetString(value.Span));
        batch.Clear();
        Assert.Equal(0, batch.PooledBuffers);
    }

    private static string SplitCorpus() =>
        Mb("SET", "key", "va\r\nlue") + "*0\r\n" + "PING\r\n" + "  ECHO \"a b\\x41\" 'c\\'d'  \r\n" + "\n" +
        Mb("ECHO", "") + "*1\rX$4\rYPINGzz" + "*-1\r\n" + Mb("MSET", "a", "1", "b", "2") + "PING\n";

    private static List<string[]> ExpectedCorpus() => new()
    {
        new[] { "SET", "key", "va\r\nlue" },
        new[] { "PING" },
        new[] { "ECHO", "a bA", "c'd" },
        new[] { "ECHO", "" },
        new[] { "PING" },
        new[] { "MSET", "a", "1", "b", "2" },
        new[] { "PING" },
    };

    [Fact]
    public void Split_at_every_byte_boundary_gives_identical_commands()
    {
        var data = B(SplitCorpus());
        var expected = ExpectedCorpus();
        Assert.Equal(expected, ParseAll(SplitCorpus()).Commands);

        for (var cut = 0; cut <= data.Length; cut++)
        {
            var parser = new RespParser(new RespLimits());
            var output = new List<byte[][]>();
            Assert.True(parser.Feed(data.AsSpan(0, cut), output));
            Assert.True(parser.Feed(data.AsSpan(cut), output));
            Assert.Equal(expected, Strs(output));
            Assert.Equal(0, parser.BufferedBytes);
        }

        for (var a = 0; a <= data.Length; a += 3)
        {
            for (var b = a; b <= data.Length; b += 5)
            {
                var parser = new RespParser(new RespLimits());
                var output = new List<byte[][]>();
                Assert.True(parser.Feed(data.AsSpan(0, a), output));
                Assert.True(parser.Feed(data.AsSpan(a, b - a), output));
                Assert.True(parser.Feed(data.AsSpan(b), output));
                Assert.Equal(expected, Strs(output));
            }
        }
    }

    [Fact]
    public void Single_byte_feeds_give_identical_commands()
    {
        var data = B(SplitCorpus());
        var parser = new RespParser(new RespLimits());
        var output = new List<byte[][]>();
        var counts = new List<int>();
        for (var i = 0; i < data.Length; i++)
        {
            Assert.True(parser.Feed(data.AsSpan(i, 1), output));
            counts.Add(output.Count);
        }
        Assert.Equal(ExpectedCorpus(), Strs(output));
        Assert.Equal(0, parser.BufferedBytes);
    }

    [Fact]
    public void Errors_are_detected_identically_at_every_split()
    {
        var data = B(Mb("PING") + "ECHO x\r\n" + "*2\r\n$4\r\nECHO\r\n:1\r\n" + Mb("PING"));
        for (var cut = 0; cut <= data.Length; cut++)
        {
            var parser = new RespParser(new RespLimits());
            var output = new List<byte[][]>();
            var ok = parser.Feed(data.AsSpan(0, cut), output) && parser.Feed(data.AsSpan(cut), output);
            Assert.False(ok);
            Assert.Equal("ERR Protocol error: expected '$', got ':'", parser.ProtocolError);
            Assert.Equal(2, output.Count);
        }
    }

    [Fact]
    public void Buffered_bytes_reports_pending_input()
    {
        var parser = new RespParser(new RespLimits());
        var output = new List<byte[][]>();
        Assert.True(parser.Feed(B("*2\r\n$3\r\nGET\r\n$5"), output));
        Assert.Equal(2, parser.BufferedBytes);   // "$5" header line not complete
        Assert.True(parser.Feed(B("\r\nhel"), output));
        Assert.Equal(3, parser.BufferedBytes);   // header consumed, 3 payload bytes pending
        Assert.True(parser.Feed(B("lo\r\n"), output));
        Assert.Equal(0, parser.BufferedBytes);
        Assert.Equal(new[] { "GET", "hello" }, Strs(output[0]));
    }

    [Theory]
    [InlineData(32 * 1024)]
    [InlineData(100_000)]
    [InlineData(3 * 1024 * 1024 + 17)]
    public void Large_bulks_parse_in_any_chunking(int size)
    {
        var payload = new byte[size];
        new Random(size).NextBytes(payload);
        var data = Concat(B("*3\r\n$3\r\nSET\r\n$1\r\nk\r\n$" + size + "\r\n"), payload, B("\r\n" + Mb("PING")));

        foreach (var chunk in new[] { data.Length, 1, 7, 1000, 16 * 1024, 65536 + 3 })
        {
            if (chunk == 1 && size > 200_000) continue;
            var parser = new RespParser(new RespLimits());
            var output = new List<byte[][]>();
            for (var off = 0; off < data.Length; off += chunk)
                Assert.True(parser.Feed(data.AsSpan(off, Math.Min(chunk, data.Length - off)), output));
            Assert.Equal(2, output.Count);
            Assert.Equal(3, output[0].Length);
            Assert.Equal(size, output[0][2].Length);
            Assert.True(payload.AsSpan().SequenceEqual(output[0][2]));
            Assert.Equal(new[] { "PING" }, Strs(output[1]));
            Assert.Equal(0, parser.BufferedBytes);
        }
    }

    [Fact]
    public void Big_bulk_is_read_straight_into_its_final_array()
    {
        const int size = 900_000; // one exactly-sized array, no regrowth
        var payload = new byte[size];
        new Random(1).NextBytes(payload);
        var header = B("*2\r\n$3\r\nGET\r\n$" + size + "\r\n");
        var parser = new RespParser(new RespLimits());
        var output = new CommandBatch();
        Assert.True(parser.Feed(header, output));
        Assert.True(parser.Feed(payload.AsSpan(0, 10), output));   // warm-up (JIT) outside the measurement

        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var off = 10; off < size; off += 16 * 1024)
            Assert.True(parser.Feed(payload.AsSpan(off, Math.Min(16 * 1024, size - off)), output));
        Assert.True(parser.Feed(B("\r\n"), output));
        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        Assert.Equal(1, output.Count);
        Assert.Equal(size, output[0][1].Length);
        Assert.True(payload.AsSpan().SequenceEqual(output[0][1].Span));
        Assert.True(allocated < 64 * 1024, $"allocated {allocated} bytes while streaming a preallocated bulk");
    }

    [Fact]
    public void A_big_bulk_is_allocated_once_at_its_declared_size_and_never_copied_to_grow()
    {
        // As Redis's sdsMakeRoomForNonGreedy(querybuf, ll+2): one array of the declared size (uninitialised, so its
        // pages cost memory only as bytes arrive), filled in place, handed over as the argument without a copy.
        const int size = 64 * 1024 * 1024;
        var parser = new RespParser(new RespLimits());
        var batch = new CommandBatch();
        var chunk = new byte[64 * 1024];
        Array.Fill(chunk, (byte)'x');
        Assert.True(parser.Feed(B("*1\r\n$4\r\nPING\r\n"), batch)); // warm-up (JIT)
        batch.Clear();

        var before = GC.GetAllocatedBytesForCurrentThread();
        Assert.True(parser.Feed(B("*3\r\n$3\r\nSET\r\n$1\r\nk\r\n$" + size + "\r\n"), batch));
        for (var sent = 0; sent < size; sent += chunk.Length) Assert.True(parser.Feed(chunk, batch));
        Assert.True(parser.Feed(B("\r\n"), batch));
        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        Assert.Equal(1, batch.Count);
        Assert.Equal(size, batch[0][2].Length);
        Assert.True(allocated < size + 1024 * 1024, $"allocated {allocated} bytes for a {size}-byte bulk");
    }

    // ---------------------------------------------------------------- query buffer limit

    [Fact]
    public void Query_buffer_limit_on_declared_huge_bulk_closes_without_error_reply()
    {
        const int limit = 1024 * 1024;
        var parser = new RespParser(new RespLimits { QueryBufferLimit = limit });
        var output = new List<byte[][]>();
        var chunk = new byte[16 * 1024];
        var before = GC.GetAllocatedBytesForCurrentThread();
        Assert.True(parser.Feed(B("PING\r\n*2\r\n$3\r\nGET\r\n$536870912\r\n"), output));
        Assert.Single(output);
        output.Clear();
        long sent = 0;
        while (parser.Feed(chunk, output))
        {
            sent += chunk.Length;
            Assert.True(sent <= limit, "limit not enforced");
        }
        sent += chunk.Length;
        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.True(parser.QueryBufferLimitExceeded);
        Assert.Null(parser.ProtocolError);
        Assert.Empty(output);
        Assert.True(sent > limit && sent <= limit + chunk.Length);
        // A bulk that cannot fit in the limit gets no array: its bytes are only counted.
        Assert.True(allocated < 4L * limit, $"allocated {allocated}");
        Assert.False(parser.Feed(B("PING\r\n"), output));
        Assert.Empty(output);
    }

    [Fact]
    public void Query_buffer_limit_counts_pending_inline_and_small_bulk_bytes_and_returns_earlier_commands()
    {
        var limits = new RespLimits { QueryBufferLimit = 100 };
        var (ok, cmds, p) = ParseAll("PING\r\nSET k " + new string('v', 101), limits);
        Assert.False(ok);
        Assert.True(p.QueryBufferLimitExceeded);
        Assert.Null(p.ProtocolError);
        Assert.Equal(new[] { "PING" }, Assert.Single(cmds));

        var (ok2, cmds2, p2) = ParseAll(Mb("PING") + "*2\r\n$3\r\nGET\r\n$200\r\n" + new string('v', 101), limits);
        Assert.False(ok2);
        Assert.True(p2.QueryBufferLimitExceeded);
        Assert.Single(cmds2);

        var (ok3, _, p3) = ParseAll("*2\r\n$3\r\nGET\r\n$200\r\n" + new string('v', 100), limits);
        Assert.True(ok3);
        Assert.Equal(100, p3.BufferedBytes);
    }

    [Fact]
    public void Completed_arguments_do_not_count_against_the_query_buffer_limit()
    {
        // Like Redis: MSET with two 900 KB values passes a 1 MB client-query-buffer-limit (verified on 7.0.15).
        var limits = new RespLimits { QueryBufferLimit = 1000 };
        var parser = new RespParser(limits);
        var output = new List<byte[][]>();
        var v = new string('v', 800);
        Assert.True(parser.Feed(B("*5\r\n$4\r\nMSET\r\n$1\r\na\r\n$800\r\n" + v + "\r\n"), output));
        Assert.True(parser.Feed(B("$1\r\nb\r\n$800\r\n" + v + "\r\n"), output));
        Assert.Single(output);
        Assert.Equal(5, output[0].Length);
    }

    private static byte[] Concat(params byte[][] parts)
    {
        var total = 0;
        foreach (var p in parts) total += p.Length;
        var r = new byte[total];
        var off = 0;
        foreach (var p in parts)
        {
            p.CopyTo(r, off);
            off += p.Length;
        }
        return r;
    }
}
