using static AkkaRedis.Tests.Unit.Commands.StringsTestSupport;

namespace AkkaRedis.Tests.Unit.Commands;

/// <summary>INCR, DECR, INCRBY, DECRBY.</summary>
public sealed class StringsCounterTests
{
    [Fact]
    public void Counting_from_a_missing_key()
    {
        var h = new HandlerHarness();
        Assert.Equal(":1\r\n", h.Run("INCR", "k"));
        Assert.Equal(":2\r\n", h.Run("INCR", "k"));
        Assert.Equal(":1\r\n", h.Run("DECR", "k"));
        Assert.Equal(":11\r\n", h.Run("INCRBY", "k", "10"));
        Assert.Equal(":8\r\n", h.Run("DECRBY", "k", "3"));
        Assert.Equal(":-2\r\n", h.Run("INCRBY", "k", "-10"));
        Assert.Equal(":5\r\n", h.Run("DECRBY", "k", "-7"));
        Assert.Equal("$1\r\n5\r\n", h.Run("GET", "k"));
        Assert.Equal(":-1\r\n", h.Run("DECR", "d"));
        Assert.Equal(":-5\r\n", h.Run("DECRBY", "e", "5"));
        Assert.Equal(":7\r\n", h.Run("INCRBY", "f", "7"));
    }

    [Fact]
    public void Results_are_int_encoded_and_keep_the_ttl()
    {
        var h = new HandlerHarness();
        h.Run("SET", "k", "10", "EX", "100");
        Assert.Equal(":11\r\n", h.Run("INCR", "k"));
        Assert.Equal("int", h.EncodingOf("k"));
        h.AssertTtlNear("k", 100_000);
        h.Run("INCR", "n");
        Assert.Equal("int", h.EncodingOf("n"));
        Assert.Equal(-1, h.Pttl("n"));
        h.Run("SET", "s", "5");
        h.Run("APPEND", "s", "0");
        Assert.Equal("raw", h.EncodingOf("s"));
        Assert.Equal(":51\r\n", h.Run("INCR", "s"));
        Assert.Equal("int", h.EncodingOf("s"));
    }

    [Theory]
    [InlineData("abc")]
    [InlineData("")]
    [InlineData(" 1")]
    [InlineData("1 ")]
    [InlineData("+1")]
    [InlineData("01")]
    [InlineData("-0")]
    [InlineData("1.0")]
    [InlineData("1e3")]
    [InlineData("99999999999999999999")]
    [InlineData("9223372036854775808")]
    [InlineData("-9223372036854775809")]
    public void Values_that_are_not_integers(string value)
    {
        var h = new HandlerHarness();
        h.Run("SET", "k", value);
        Assert.Equal(NotInteger, h.Run("INCR", "k"));
        Assert.Equal(NotInteger, h.Run("DECR", "k"));
        Assert.Equal(NotInteger, h.Run("INCRBY", "k", "1"));
        Assert.Equal(NotInteger, h.Run("DECRBY", "k", "1"));
        Assert.Equal(NotInteger, h.Run("INCRBY", "x", value));
        Assert.Equal(NotInteger, h.Run("DECRBY", "x", value));
        Assert.False(h.Exists("x"));
    }

    [Fact]
    public void Overflow()
    {
        var h = new HandlerHarness();
        h.Run("SET", "k", "9223372036854775807");
        Assert.Equal("-ERR increment or decrement would overflow\r\n", h.Run("INCR", "k"));
        Assert.Equal("-ERR increment or decrement would overflow\r\n", h.Run("INCRBY", "k", "1"));
        Assert.Equal(":-1\r\n", h.Run("INCRBY", "k", "-9223372036854775808"));
        h.Run("SET", "k", "-9223372036854775808");
        Assert.Equal("-ERR increment or decrement would overflow\r\n", h.Run("DECR", "k"));
        Assert.Equal("-ERR increment or decrement would overflow\r\n", h.Run("INCRBY", "k", "-1"));
        Assert.Equal(":-1\r\n", h.Run("INCRBY", "k", "9223372036854775807"));
        h.Run("SET", "k", "5");
        Assert.Equal(":-9223372036854775802\r\n", h.Run("DECRBY", "k", "9223372036854775807"));
        Assert.Equal("-ERR increment or decrement would overflow\r\n", h.Run("DECRBY", "k", "9223372036854775807"));
    }

    [Fact]
    public void Decrby_of_the_minimum_long_is_refused_before_looking_at_the_key()
    {
        var h = new HandlerHarness();
        Assert.Equal("-ERR decrement would overflow\r\n", h.Run("DECRBY", "k", "-9223372036854775808"));
        Assert.False(h.Exists("k"));
        h.PutList("l");
        Assert.Equal("-ERR decrement would overflow\r\n", h.Run("DECRBY", "l", "-9223372036854775808"));
    }

    [Fact]
    public void Wrong_type_and_the_order_of_checks()
    {
        var h = new HandlerHarness();
        h.PutList("l");
        Assert.Equal(WrongType, h.Run("INCR", "l"));
        Assert.Equal(WrongType, h.Run("DECR", "l"));
        Assert.Equal(WrongType, h.Run("INCRBY", "l", "1"));
        Assert.Equal(WrongType, h.Run("DECRBY", "l", "1"));
        // The increment is parsed before the key is looked at.
        Assert.Equal(NotInteger, h.Run("INCRBY", "l", "abc"));
        Assert.Equal(NotInteger, h.Run("DECRBY", "l", "abc"));
    }

    [Fact]
    public void Expired_keys_count_from_zero()
    {
        var h = new HandlerHarness();
        h.Run("SET", "k", "100", "PXAT", "1");
        Assert.Equal(":1\r\n", h.Run("INCR", "k"));
        Assert.Equal(-1, h.Pttl("k"));
    }

    [Fact]
    public void Arity()
    {
        var h = new HandlerHarness();
        Assert.Equal("-ERR wrong number of arguments for 'incr' command\r\n", h.Run("INCR", "k", "1"));
        Assert.Equal("-ERR wrong number of arguments for 'decr' command\r\n", h.Run("DECR"));
        Assert.Equal("-ERR wrong number of arguments for 'incrby' command\r\n", h.Run("INCRBY", "k"));
        Assert.Equal("-ERR wrong number of arguments for 'decrby' command\r\n", h.Run("DECRBY", "k", "1", "2"));
    }
}
