using static AkkaRedis.Tests.Unit.Commands.StringsTestSupport;

namespace AkkaRedis.Tests.Unit.Commands;

/// <summary>APPEND, SETRANGE, GETRANGE, SUBSTR, STRLEN.</summary>
public sealed class StringsRangeTests
{
    [Theory]
    [InlineData("0", "4", "$5\r\nHello\r\n")]
    [InlineData("-5", "-1", "$5\r\nWorld\r\n")]
    [InlineData("0", "-1", "$11\r\nHello World\r\n")]
    [InlineData("-1", "-5", "$0\r\n\r\n")]
    [InlineData("5", "3", "$0\r\n\r\n")]
    [InlineData("100", "200", "$0\r\n\r\n")]
    [InlineData("-100", "100", "$11\r\nHello World\r\n")]
    [InlineData("-100", "-50", "$1\r\nH\r\n")]
    [InlineData("0", "0", "$1\r\nH\r\n")]
    [InlineData("-1", "-1", "$1\r\nd\r\n")]
    [InlineData("10", "10", "$1\r\nd\r\n")]
    [InlineData("11", "11", "$0\r\n\r\n")]
    [InlineData("3", "-3", "$6\r\nlo Wor\r\n")]
    [InlineData("-3", "3", "$0\r\n\r\n")]
    [InlineData("-11", "0", "$1\r\nH\r\n")]
    [InlineData("-12", "-11", "$1\r\nH\r\n")]
    [InlineData("-9223372036854775808", "9223372036854775807", "$11\r\nHello World\r\n")]
    [InlineData("9223372036854775807", "-9223372036854775808", "$0\r\n\r\n")]
    [InlineData("-9223372036854775808", "-9223372036854775808", "$1\r\nH\r\n")]
    [InlineData("0", "9223372036854775807", "$11\r\nHello World\r\n")]
    [InlineData("-1", "0", "$0\r\n\r\n")]
    [InlineData("4", "-100", "$0\r\n\r\n")]
    public void Getrange_indexes(string start, string end, string expected)
    {
        var h = new HandlerHarness();
        h.Run("SET", "k", "Hello World");
        Assert.Equal(expected, h.Run("GETRANGE", "k", start, end));
        Assert.Equal(expected, h.Run("SUBSTR", "k", start, end));
    }

    [Fact]
    public void Getrange_edge_cases()
    {
        var h = new HandlerHarness();
        Assert.Equal("$0\r\n\r\n", h.Run("GETRANGE", "missing", "0", "-1"));
        Assert.Equal(NotInteger, h.Run("GETRANGE", "missing", "x", "1"));
        Assert.Equal(NotInteger, h.Run("GETRANGE", "missing", "0", "1.5"));
        h.Run("SET", "e", "");
        Assert.Equal("$0\r\n\r\n", h.Run("GETRANGE", "e", "0", "-1"));
        Assert.Equal("$0\r\n\r\n", h.Run("GETRANGE", "e", "-1", "0"));
        Assert.Equal("$0\r\n\r\n", h.Run("GETRANGE", "e", "0", "0"));
        h.Run("SET", "n", "-12345");
        Assert.Equal("$2\r\n12\r\n", h.Run("GETRANGE", "n", "1", "2"));
        Assert.Equal("$2\r\n45\r\n", h.Run("GETRANGE", "n", "-2", "-1"));
        h.PutList("l");
        Assert.Equal(WrongType, h.Run("GETRANGE", "l", "0", "1"));
        Assert.Equal(NotInteger, h.Run("GETRANGE", "l", "a", "1")); // indexes are parsed first
        Assert.Equal("-ERR wrong number of arguments for 'getrange' command\r\n", h.Run("GETRANGE", "k", "0"));
        Assert.Equal("-ERR wrong number of arguments for 'substr' command\r\n", h.Run("SUBSTR", "k", "0", "1", "2"));
    }

    [Fact]
    public void Getrange_missing_key_is_an_empty_string_in_resp3_too()
    {
        var h = new HandlerHarness(protocol: 3);
        Assert.Equal("$0\r\n\r\n", h.Run("GETRANGE", "missing", "0", "-1"));
    }

    [Fact]
    public void Strlen()
    {
        var h = new HandlerHarness();
        Assert.Equal(":0\r\n", h.Run("STRLEN", "k"));
        h.Run("SET", "k", "hello");
        Assert.Equal(":5\r\n", h.Run("STRLEN", "k"));
        h.Run("SET", "k", "-9223372036854775808");
        Assert.Equal(":20\r\n", h.Run("STRLEN", "k"));
        h.PutList("l");
        Assert.Equal(WrongType, h.Run("STRLEN", "l"));
    }

    [Fact]
    public void Append()
    {
        var h = new HandlerHarness();
        Assert.Equal(":3\r\n", h.Run("APPEND", "k", "abc"));
        Assert.Equal("embstr", h.EncodingOf("k"));
        Assert.Equal(":6\r\n", h.Run("APPEND", "k", "def"));
        Assert.Equal("raw", h.EncodingOf("k"));
        Assert.Equal(":6\r\n", h.Run("APPEND", "k", ""));
        Assert.Equal("$6\r\nabcdef\r\n", h.Run("GET", "k"));
        Assert.Equal(":0\r\n", h.Run("APPEND", "e", ""));
        Assert.Equal("$0\r\n\r\n", h.Run("GET", "e"));
        h.PutList("l");
        Assert.Equal(WrongType, h.Run("APPEND", "l", "x"));
    }

    [Fact]
    public void Append_to_a_number()
    {
        var h = new HandlerHarness();
        Assert.Equal(":3\r\n", h.Run("APPEND", "n", "123"));
        Assert.Equal("int", h.EncodingOf("n")); // a new key is encoded as SET would
        Assert.Equal(":4\r\n", h.Run("APPEND", "n", "4"));
        Assert.Equal("raw", h.EncodingOf("n"));
        Assert.Equal(":1235\r\n", h.Run("INCR", "n"));
    }

    [Fact]
    public void Append_keeps_the_ttl()
    {
        var h = new HandlerHarness();
        h.Run("SET", "k", "a", "EX", "100");
        Assert.Equal(":2\r\n", h.Run("APPEND", "k", "b"));
        h.AssertTtlNear("k", 100_000);
    }

    [Fact]
    public void Append_does_not_change_the_appended_argument_or_the_old_array()
    {
        var h = new HandlerHarness();
        var value = B("abc");
        h.Run([B("SET"), B("k"), value]);
        h.Run("APPEND", "k", "def");
        Assert.Equal("abc", System.Text.Encoding.Latin1.GetString(value));
    }

    [Fact]
    public void Append_beyond_proto_max_bulk_len()
    {
        var h = new HandlerHarness();
        h.Server.Config.Set("proto-max-bulk-len", "1mb");
        h.Run("SETRANGE", "k", "1048575", "x");
        Assert.Equal("-ERR string exceeds maximum allowed size (proto-max-bulk-len)\r\n", h.Run("APPEND", "k", "x"));
        Assert.Equal(":1048576\r\n", h.Run("STRLEN", "k"));
    }

    [Fact]
    public void Setrange_on_a_missing_key()
    {
        var h = new HandlerHarness();
        Assert.Equal(":0\r\n", h.Run("SETRANGE", "k", "5", ""));
        Assert.False(h.Exists("k"));
        Assert.Equal(":8\r\n", h.Run("SETRANGE", "k", "5", "abc"));
        Assert.Equal("$8\r\n\0\0\0\0\0abc\r\n", h.Run("GET", "k"));
        Assert.Equal("raw", h.EncodingOf("k"));
    }

    [Fact]
    public void Setrange_on_an_existing_key()
    {
        var h = new HandlerHarness();
        h.Run("SET", "k", "Hello World", "EX", "100");
        Assert.Equal(":11\r\n", h.Run("SETRANGE", "k", "6", "Redis"));
        Assert.Equal("$11\r\nHello Redis\r\n", h.Run("GET", "k"));
        Assert.Equal(":11\r\n", h.Run("SETRANGE", "k", "0", "J"));
        Assert.Equal("$11\r\nJello Redis\r\n", h.Run("GET", "k"));
        Assert.Equal(":14\r\n", h.Run("SETRANGE", "k", "12", "!!"));
        Assert.Equal("$14\r\nJello Redis\0!!\r\n", h.Run("GET", "k"));
        Assert.Equal(":14\r\n", h.Run("SETRANGE", "k", "100", ""));
        h.AssertTtlNear("k", 100_000);
        Assert.Equal("raw", h.EncodingOf("k"));

        h.Run("SET", "n", "123");
        Assert.Equal(":3\r\n", h.Run("SETRANGE", "n", "1", "9"));
        Assert.Equal("raw", h.EncodingOf("n"));
        Assert.Equal(":194\r\n", h.Run("INCR", "n"));
    }

    [Fact]
    public void Setrange_errors()
    {
        var h = new HandlerHarness();
        Assert.Equal("-ERR offset is out of range\r\n", h.Run("SETRANGE", "k", "-1", "x"));
        Assert.Equal(NotInteger, h.Run("SETRANGE", "k", "abc", "x"));
        Assert.Equal(NotInteger, h.Run("SETRANGE", "k", "9223372036854775808", "x"));
        Assert.Equal("-ERR string exceeds maximum allowed size (proto-max-bulk-len)\r\n", h.Run("SETRANGE", "k", "536870912", "x"));
        Assert.Equal("-ERR string exceeds maximum allowed size (proto-max-bulk-len)\r\n", h.Run("SETRANGE", "k", "9223372036854775807", "x"));
        Assert.Equal(":0\r\n", h.Run("SETRANGE", "k", "536870912", "")); // nothing to write: no size check
        Assert.False(h.Exists("k"));
        h.PutList("l");
        Assert.Equal(WrongType, h.Run("SETRANGE", "l", "0", "x"));
        Assert.Equal(WrongType, h.Run("SETRANGE", "l", "0", ""));
        Assert.Equal("-ERR offset is out of range\r\n", h.Run("SETRANGE", "l", "-1", "x")); // the offset is checked first
        h.Run("SET", "s", "abc");
        Assert.Equal(":3\r\n", h.Run("SETRANGE", "s", "9223372036854775807", ""));
        Assert.Equal("-ERR string exceeds maximum allowed size (proto-max-bulk-len)\r\n", h.Run("SETRANGE", "s", "9223372036854775807", "x"));
    }

    [Fact]
    public void Setrange_respects_a_configured_proto_max_bulk_len()
    {
        var h = new HandlerHarness();
        h.Server.Config.Set("proto-max-bulk-len", "1mb");
        Assert.Equal(":1048576\r\n", h.Run("SETRANGE", "k", "1048575", "x"));
        Assert.Equal("-ERR string exceeds maximum allowed size (proto-max-bulk-len)\r\n", h.Run("SETRANGE", "k2", "1048576", "x"));
        Assert.Equal("-ERR string exceeds maximum allowed size (proto-max-bulk-len)\r\n", h.Run("SETRANGE", "k", "1048575", "xy"));
    }

    [Fact]
    public void Arity()
    {
        var h = new HandlerHarness();
        Assert.Equal("-ERR wrong number of arguments for 'append' command\r\n", h.Run("APPEND", "k"));
        Assert.Equal("-ERR wrong number of arguments for 'setrange' command\r\n", h.Run("SETRANGE", "k", "0"));
        Assert.Equal("-ERR wrong number of arguments for 'strlen' command\r\n", h.Run("STRLEN", "k", "x"));
    }
}
