using static AkkaRedis.Tests.Unit.Commands.StringsTestSupport;

namespace AkkaRedis.Tests.Unit.Commands;

/// <summary>SET, SETNX, SETEX, PSETEX, GET: replies as redis-server 7.0.15 gives them.</summary>
public sealed class StringsSetTests
{
    [Fact]
    public void Set_and_get()
    {
        var h = new HandlerHarness();
        Assert.Equal(Nil, h.Run("GET", "k"));
        Assert.Equal(Ok, h.Run("SET", "k", "hello"));
        Assert.Equal("$5\r\nhello\r\n", h.Run("GET", "k"));
        Assert.Equal(Ok, h.Run("SET", "k", ""));
        Assert.Equal("$0\r\n\r\n", h.Run("GET", "k"));
    }

    [Fact]
    public void Get_of_a_missing_key_is_null_in_resp3()
    {
        var h = new HandlerHarness(protocol: 3);
        Assert.Equal("_\r\n", h.Run("GET", "k"));
        Assert.Equal("_\r\n", h.Run("SET", "k", "v", "XX"));
        Assert.Equal("_\r\n", h.Run("SET", "k", "v", "GET"));
        Assert.Equal("$1\r\nv\r\n", h.Run("SET", "k", "w", "GET"));
    }

    [Fact]
    public void Get_of_a_non_string_is_wrongtype()
    {
        var h = new HandlerHarness();
        h.PutList("l");
        Assert.Equal(WrongType, h.Run("GET", "l"));
    }

    [Fact]
    public void Arity_errors()
    {
        var h = new HandlerHarness();
        Assert.Equal("-ERR wrong number of arguments for 'set' command\r\n", h.Run("SET", "k"));
        Assert.Equal("-ERR wrong number of arguments for 'get' command\r\n", h.Run("GET", "k", "x"));
        Assert.Equal("-ERR wrong number of arguments for 'setnx' command\r\n", h.Run("SETNX", "k"));
        Assert.Equal("-ERR wrong number of arguments for 'setex' command\r\n", h.Run("SETEX", "k", "10"));
        Assert.Equal("-ERR wrong number of arguments for 'psetex' command\r\n", h.Run("PSETEX", "k", "10", "v", "x"));
    }

    [Fact]
    public void Nx_and_xx()
    {
        var h = new HandlerHarness();
        Assert.Equal(Nil, h.Run("SET", "k", "v", "XX"));
        Assert.False(h.Exists("k"));
        Assert.Equal(Ok, h.Run("SET", "k", "v", "NX"));
        Assert.Equal(Nil, h.Run("SET", "k", "w", "nx"));
        Assert.Equal("$1\r\nv\r\n", h.Run("GET", "k"));
        Assert.Equal(Ok, h.Run("SET", "k", "w", "xx"));
        Assert.Equal("$1\r\nw\r\n", h.Run("GET", "k"));
        Assert.Equal(Nil, h.Run("SET", "k", "v", "NX", "NX")); // a repeated NX is accepted
    }

    [Theory]
    [InlineData("NX", "XX")]
    [InlineData("XX", "NX")]
    [InlineData("EX", "10", "PX", "10")]
    [InlineData("PX", "10", "EX", "10")]
    [InlineData("EX", "10", "EXAT", "10")]
    [InlineData("EXAT", "10", "PXAT", "10")]
    [InlineData("PXAT", "10", "PX", "10")]
    [InlineData("KEEPTTL", "EX", "10")]
    [InlineData("EX", "10", "KEEPTTL")]
    [InlineData("PXAT", "10", "KEEPTTL")]
    [InlineData("PERSIST")]
    [InlineData("EX")]
    [InlineData("PX")]
    [InlineData("GET", "EXAT")]
    [InlineData("FOO")]
    [InlineData("N")]
    [InlineData("NXX")]
    [InlineData("10")]
    public void Option_combinations_redis_rejects(params string[] options)
    {
        var h = new HandlerHarness();
        Assert.Equal(Syntax, h.Run(["SET", "k", "v", .. options]));
        Assert.False(h.Exists("k"));
    }

    [Theory]
    [InlineData("EX", "10", "EX", "20")]
    [InlineData("PX", "10000", "PX", "20000")]
    [InlineData("KEEPTTL", "KEEPTTL")]
    [InlineData("GET", "GET")]
    [InlineData("nx", "GET")]
    [InlineData("get", "xx", "keepttl")]
    [InlineData("Ex", "5", "nX")]
    public void Option_combinations_redis_accepts(params string[] options)
    {
        var h = new HandlerHarness();
        h.Run("SET", "k", "old");
        var reply = h.Run(["SET", "k", "v", .. options]);
        Assert.DoesNotContain("ERR", reply);
    }

    [Fact]
    public void Options_are_compared_as_c_strings()
    {
        var h = new HandlerHarness();
        // Redis reads options as NUL-terminated strings: "nx\0zz" is NX, "ex\0" is EX.
        Assert.Equal(Ok, h.Run([B("SET"), B("k"), B("v"), B("nx\0zz")]));
        Assert.Equal(Nil, h.Run([B("SET"), B("k"), B("v"), B("nx\0zz")]));
        Assert.Equal(Ok, h.Run([B("SET"), B("k"), B("v"), B("ex\0"), B("100")]));
        h.AssertTtlNear("k", 100_000);
        // ...but numbers are read with their full length.
        Assert.Equal(NotInteger, h.Run([B("SET"), B("k"), B("v"), B("ex"), B("100\0")]));
    }

    [Fact]
    public void Relative_and_absolute_expire_times()
    {
        var h = new HandlerHarness();
        Assert.Equal(Ok, h.Run("SET", "k", "v", "EX", "100"));
        h.AssertTtlNear("k", 100_000);
        Assert.Equal(Ok, h.Run("SET", "k", "v", "PX", "5000"));
        h.AssertTtlNear("k", 5000);
        var at = DateTimeOffset.UtcNow.ToUnixTimeSeconds() + 1000;
        Assert.Equal(Ok, h.Run("SET", "k", "v", "EXAT", at.ToString()));
        Assert.Equal(at * 1000, h.Obj("k").ExpireAt);
        Assert.Equal(Ok, h.Run("SET", "k", "v", "PXAT", (at * 1000 + 7).ToString()));
        Assert.Equal(at * 1000 + 7, h.Obj("k").ExpireAt);
        Assert.Equal(Ok, h.Run("SET", "k", "v"));
        Assert.Equal(-1, h.Pttl("k"));
    }

    [Fact]
    public void Keepttl_keeps_the_ttl_and_plain_set_drops_it()
    {
        var h = new HandlerHarness();
        h.Run("SET", "k", "v", "EX", "100");
        Assert.Equal(Ok, h.Run("SET", "k", "w", "KEEPTTL"));
        h.AssertTtlNear("k", 100_000);
        Assert.Equal("$1\r\nw\r\n", h.Run("GET", "k"));
        Assert.Equal(Ok, h.Run("SET", "k", "x"));
        Assert.Equal(-1, h.Pttl("k"));
    }

    [Fact]
    public void Keepttl_over_an_expired_key_sets_no_ttl()
    {
        var h = new HandlerHarness();
        h.Run("SET", "k", "v");
        h.Db().SetExpire(h.Db().Find(B("k"), 0)!, 1);
        Assert.Equal(Ok, h.Run("SET", "k", "w", "KEEPTTL"));
        Assert.Equal(-1, h.Pttl("k"));
        Assert.Equal("$1\r\nw\r\n", h.Run("GET", "k"));
    }

    [Fact]
    public void An_expire_time_in_the_past_leaves_no_key()
    {
        var h = new HandlerHarness();
        Assert.Equal(Ok, h.Run("SET", "k", "v", "EXAT", "1"));
        Assert.Equal(Nil, h.Run("GET", "k"));
        Assert.Equal(Ok, h.Run("SET", "k", "v", "PXAT", "1"));
        Assert.Equal(Nil, h.Run("GET", "k"));
    }

    [Theory]
    [InlineData("EX", "0")]
    [InlineData("EX", "-1")]
    [InlineData("PX", "0")]
    [InlineData("PX", "-100")]
    [InlineData("EXAT", "0")]
    [InlineData("PXAT", "0")]
    [InlineData("PXAT", "-9223372036854775808")]
    [InlineData("EX", "9223372036854775807")]   // seconds → ms overflows
    [InlineData("EX", "9223372036854775")]      // in range as ms, but now + ms overflows
    [InlineData("EX", "9223372036854774")]
    [InlineData("PX", "9223372036854775807")]   // now + ms overflows
    [InlineData("EXAT", "9223372036854776")]    // seconds → ms overflows
    public void Invalid_expire_times(string option, string value)
    {
        var h = new HandlerHarness();
        Assert.Equal("-ERR invalid expire time in 'set' command\r\n", h.Run("SET", "k", "v", option, value));
        Assert.False(h.Exists("k"));
    }

    [Theory]
    [InlineData("EXAT", "9223372036854775")]
    [InlineData("PXAT", "9223372036854775807")]
    public void Huge_absolute_expire_times_are_accepted(string option, string value)
    {
        var h = new HandlerHarness();
        Assert.Equal(Ok, h.Run("SET", "k", "v", option, value));
        Assert.Equal("$1\r\nv\r\n", h.Run("GET", "k"));
    }

    [Theory]
    [InlineData("abc")]
    [InlineData("1.5")]
    [InlineData(" 1")]
    [InlineData("+1")]
    [InlineData("01")]
    [InlineData("")]
    [InlineData("9223372036854775808")]
    public void Non_integer_expire_times(string value)
    {
        var h = new HandlerHarness();
        Assert.Equal(NotInteger, h.Run("SET", "k", "v", "EX", value));
        Assert.Equal(NotInteger, h.Run("SETEX", "k", value, "v"));
        Assert.Equal(NotInteger, h.Run("PSETEX", "k", value, "v"));
    }

    [Fact]
    public void Expire_is_checked_before_get_and_before_wrongtype()
    {
        var h = new HandlerHarness();
        h.PutList("l");
        Assert.Equal("-ERR invalid expire time in 'set' command\r\n", h.Run("SET", "l", "v", "GET", "EX", "0"));
        Assert.Equal(NotInteger, h.Run("SET", "l", "v", "EX", "x", "GET"));
        Assert.Equal(Syntax, h.Run("SET", "l", "v", "GET", "BAD"));
        Assert.Equal(WrongType, h.Run("SET", "l", "v", "GET"));
        Assert.Equal(WrongType, h.Run("GET", "l")); // not overwritten
        Assert.Equal(Ok, h.Run("SET", "l", "v")); // plain SET overwrites any type
        Assert.Equal("$1\r\nv\r\n", h.Run("GET", "l"));
    }

    [Fact]
    public void Set_get_returns_the_old_value()
    {
        var h = new HandlerHarness();
        Assert.Equal(Nil, h.Run("SET", "k", "a", "GET"));
        Assert.Equal("$1\r\na\r\n", h.Run("SET", "k", "b", "GET"));
        Assert.Equal("$1\r\nb\r\n", h.Run("GET", "k"));
        // NX with GET (allowed since 7.0): replies the old value and does not set.
        Assert.Equal("$1\r\nb\r\n", h.Run("SET", "k", "c", "NX", "GET"));
        Assert.Equal("$1\r\nb\r\n", h.Run("GET", "k"));
        Assert.Equal(Nil, h.Run("SET", "k2", "c", "GET", "NX"));
        Assert.Equal("$1\r\nc\r\n", h.Run("GET", "k2"));
        Assert.Equal(Nil, h.Run("SET", "k3", "c", "XX", "GET"));
        Assert.False(h.Exists("k3"));
        Assert.Equal("$1\r\nc\r\n", h.Run("SET", "k2", "d", "XX", "GET", "PX", "100000"));
        h.AssertTtlNear("k2", 100_000);
    }

    [Fact]
    public void Setnx()
    {
        var h = new HandlerHarness();
        Assert.Equal(":1\r\n", h.Run("SETNX", "k", "a"));
        Assert.Equal(":0\r\n", h.Run("SETNX", "k", "b"));
        Assert.Equal("$1\r\na\r\n", h.Run("GET", "k"));
        h.PutList("l");
        Assert.Equal(":0\r\n", h.Run("SETNX", "l", "b"));
    }

    [Fact]
    public void Setex_and_psetex()
    {
        var h = new HandlerHarness();
        Assert.Equal(Ok, h.Run("SETEX", "k", "100", "v"));
        h.AssertTtlNear("k", 100_000);
        Assert.Equal("$1\r\nv\r\n", h.Run("GET", "k"));
        Assert.Equal(Ok, h.Run("PSETEX", "k", "2500", "w"));
        h.AssertTtlNear("k", 2500);
        Assert.Equal("$1\r\nw\r\n", h.Run("GET", "k"));
        h.PutList("l");
        Assert.Equal(Ok, h.Run("SETEX", "l", "10", "v"));
    }

    [Theory]
    [InlineData("SETEX", "0")]
    [InlineData("SETEX", "-1")]
    [InlineData("SETEX", "9223372036854775807")]
    [InlineData("SETEX", "9223372036854775")]
    [InlineData("PSETEX", "0")]
    [InlineData("PSETEX", "-5")]
    [InlineData("PSETEX", "9223372036854775807")]
    public void Setex_invalid_expire_times_name_the_command(string command, string value)
    {
        var h = new HandlerHarness();
        Assert.Equal($"-ERR invalid expire time in '{command.ToLowerInvariant()}' command\r\n", h.Run(command, "k", value, "v"));
        Assert.False(h.Exists("k"));
    }

    [Theory]
    [InlineData("123", "int")]
    [InlineData("-1", "int")]
    [InlineData("0", "int")]
    [InlineData("9223372036854775807", "int")]
    [InlineData("-9223372036854775808", "int")]
    [InlineData("12345678901234567890", "embstr")]   // out of long range
    [InlineData("01", "embstr")]
    [InlineData("-0", "embstr")]
    [InlineData("+1", "embstr")]
    [InlineData("1.5", "embstr")]
    [InlineData("hello", "embstr")]
    [InlineData("", "embstr")]
    [InlineData("12345678901234567890123456789012345678901234", "embstr")]  // 44 bytes
    [InlineData("123456789012345678901234567890123456789012345", "raw")]    // 45 bytes
    public void Set_picks_the_encoding_redis_picks(string value, string encoding)
    {
        var h = new HandlerHarness();
        h.Run("SET", "k", value);
        Assert.Equal(encoding, h.EncodingOf("k"));
        h.Run("SETNX", "n", value);
        Assert.Equal(encoding, h.EncodingOf("n"));
        h.Run("SETEX", "e", "100", value);
        Assert.Equal(encoding, h.EncodingOf("e"));
        h.Run("GETSET", "g", value);
        Assert.Equal(encoding, h.EncodingOf("g"));
        h.Run("MSET", "m", value);
        Assert.Equal(encoding, h.EncodingOf("m"));
    }

    [Fact]
    public void Binary_values_round_trip()
    {
        var h = new HandlerHarness();
        var value = new byte[256];
        for (var i = 0; i < value.Length; i++) value[i] = (byte)i;
        Assert.Equal(Ok, h.Run([B("SET"), B("k"), value]));
        Assert.Equal("$256\r\n" + System.Text.Encoding.Latin1.GetString(value) + "\r\n", h.Run("GET", "k"));
    }
}
