using static AkkaRedis.Tests.Unit.Commands.StringsTestSupport;

namespace AkkaRedis.Tests.Unit.Commands;

/// <summary>GETEX, GETDEL, GETSET, MGET, MSET, MSETNX.</summary>
public sealed class StringsGetVariantsTests
{
    [Fact]
    public void Getex_without_options_is_get()
    {
        var h = new HandlerHarness();
        Assert.Equal(Nil, h.Run("GETEX", "k"));
        h.Run("SET", "k", "v", "EX", "100");
        Assert.Equal("$1\r\nv\r\n", h.Run("GETEX", "k"));
        h.AssertTtlNear("k", 100_000);
    }

    [Fact]
    public void Getex_sets_and_removes_the_ttl()
    {
        var h = new HandlerHarness();
        h.Run("SET", "k", "v");
        Assert.Equal("$1\r\nv\r\n", h.Run("GETEX", "k", "EX", "100"));
        h.AssertTtlNear("k", 100_000);
        Assert.Equal("$1\r\nv\r\n", h.Run("GETEX", "k", "px", "3000"));
        h.AssertTtlNear("k", 3000);
        var at = DateTimeOffset.UtcNow.ToUnixTimeSeconds() + 500;
        Assert.Equal("$1\r\nv\r\n", h.Run("GETEX", "k", "EXAT", at.ToString()));
        Assert.Equal(at * 1000, h.Obj("k").ExpireAt);
        Assert.Equal("$1\r\nv\r\n", h.Run("GETEX", "k", "PXAT", (at * 1000 + 1).ToString()));
        Assert.Equal(at * 1000 + 1, h.Obj("k").ExpireAt);
        Assert.Equal("$1\r\nv\r\n", h.Run("GETEX", "k", "PERSIST"));
        Assert.Equal(-1, h.Pttl("k"));
        Assert.Equal("$1\r\nv\r\n", h.Run("GETEX", "k", "persist", "persist"));
    }

    [Fact]
    public void Getex_with_an_absolute_time_in_the_past_deletes_the_key()
    {
        var h = new HandlerHarness();
        h.Run("SET", "k", "v");
        Assert.Equal("$1\r\nv\r\n", h.Run("GETEX", "k", "EXAT", "1"));
        Assert.False(h.Exists("k"));
        h.Run("SET", "k", "v");
        Assert.Equal("$1\r\nv\r\n", h.Run("GETEX", "k", "PXAT", "1"));
        Assert.False(h.Exists("k"));
    }

    [Theory]
    [InlineData("NX")]
    [InlineData("XX")]
    [InlineData("GET")]
    [InlineData("KEEPTTL")]
    [InlineData("EX")]
    [InlineData("EX", "10", "PERSIST")]
    [InlineData("PERSIST", "EX", "10")]
    [InlineData("EX", "10", "PX", "10")]
    [InlineData("FOO")]
    public void Getex_syntax_errors_come_first(params string[] options)
    {
        var h = new HandlerHarness();
        Assert.Equal(Syntax, h.Run(["GETEX", "missing", .. options]));
        h.PutList("l");
        Assert.Equal(Syntax, h.Run(["GETEX", "l", .. options]));
    }

    [Fact]
    public void Getex_checks_the_key_before_the_expire_time()
    {
        var h = new HandlerHarness();
        Assert.Equal(Nil, h.Run("GETEX", "missing", "EX", "0"));
        Assert.Equal(Nil, h.Run("GETEX", "missing", "EX", "abc"));
        h.PutList("l");
        Assert.Equal(WrongType, h.Run("GETEX", "l", "EX", "0"));
        h.Run("SET", "k", "v");
        Assert.Equal("-ERR invalid expire time in 'getex' command\r\n", h.Run("GETEX", "k", "EX", "0"));
        Assert.Equal("-ERR invalid expire time in 'getex' command\r\n", h.Run("GETEX", "k", "PX", "-1"));
        Assert.Equal("-ERR invalid expire time in 'getex' command\r\n", h.Run("GETEX", "k", "EX", "9223372036854775807"));
        Assert.Equal("-ERR invalid expire time in 'getex' command\r\n", h.Run("GETEX", "k", "PXAT", "0"));
        Assert.Equal(NotInteger, h.Run("GETEX", "k", "EX", "x"));
        Assert.Equal(-1, h.Pttl("k"));
    }

    [Fact]
    public void Getex_resp3_null()
    {
        var h = new HandlerHarness(protocol: 3);
        Assert.Equal("_\r\n", h.Run("GETEX", "k", "PERSIST"));
        Assert.Equal("_\r\n", h.Run("GETDEL", "k"));
        Assert.Equal("_\r\n", h.Run("GETSET", "k", "v"));
    }

    [Fact]
    public void Getdel()
    {
        var h = new HandlerHarness();
        Assert.Equal(Nil, h.Run("GETDEL", "k"));
        h.Run("SET", "k", "v", "EX", "100");
        Assert.Equal("$1\r\nv\r\n", h.Run("GETDEL", "k"));
        Assert.False(h.Exists("k"));
        Assert.Equal(0, h.Db().VolatileCount);
        Assert.Equal(Nil, h.Run("GETDEL", "k"));
        h.PutList("l");
        Assert.Equal(WrongType, h.Run("GETDEL", "l"));
        Assert.True(h.Exists("l"));
    }

    [Fact]
    public void Getset()
    {
        var h = new HandlerHarness();
        Assert.Equal(Nil, h.Run("GETSET", "k", "a"));
        Assert.Equal("$1\r\na\r\n", h.Run("GETSET", "k", "b"));
        Assert.Equal("$1\r\nb\r\n", h.Run("GET", "k"));
        h.Run("SET", "k", "v", "EX", "100");
        Assert.Equal("$1\r\nv\r\n", h.Run("GETSET", "k", "w"));
        Assert.Equal(-1, h.Pttl("k")); // GETSET drops the TTL
        h.PutList("l");
        Assert.Equal(WrongType, h.Run("GETSET", "l", "x"));
        Assert.Equal(WrongType, h.Run("GET", "l"));
    }

    [Fact]
    public void Mget()
    {
        var h = new HandlerHarness();
        h.Run("SET", "a", "1");
        h.Run("SET", "b", "two");
        h.PutList("l");
        Assert.Equal("*4\r\n$1\r\n1\r\n$-1\r\n$3\r\ntwo\r\n$-1\r\n", h.Run("MGET", "a", "missing", "b", "l"));
        Assert.Equal("*1\r\n$-1\r\n", h.Run("MGET", "x"));
        Assert.Equal("-ERR wrong number of arguments for 'mget' command\r\n", h.Run("MGET"));
    }

    [Fact]
    public void Mget_resp3()
    {
        var h = new HandlerHarness(protocol: 3);
        h.Run("SET", "a", "1");
        Assert.Equal("*2\r\n$1\r\n1\r\n_\r\n", h.Run("MGET", "a", "b"));
    }

    [Fact]
    public void Mset()
    {
        var h = new HandlerHarness();
        h.Run("SET", "a", "old", "EX", "100");
        h.PutList("l");
        Assert.Equal(Ok, h.Run("MSET", "a", "1", "b", "2", "l", "3"));
        Assert.Equal("*3\r\n$1\r\n1\r\n$1\r\n2\r\n$1\r\n3\r\n", h.Run("MGET", "a", "b", "l"));
        Assert.Equal(-1, h.Pttl("a"));
        Assert.Equal(Ok, h.Run("MSET", "d", "x", "d", "y"));
        Assert.Equal("$1\r\ny\r\n", h.Run("GET", "d"));
    }

    [Fact]
    public void Mset_arity()
    {
        var h = new HandlerHarness();
        Assert.Equal("-ERR wrong number of arguments for 'mset' command\r\n", h.Run("MSET", "a"));
        Assert.Equal("-ERR wrong number of arguments for 'mset' command\r\n", h.Run("MSET", "a", "1", "b"));
        Assert.Equal("-ERR wrong number of arguments for 'msetnx' command\r\n", h.Run("MSETNX", "a"));
        Assert.Equal("-ERR wrong number of arguments for 'msetnx' command\r\n", h.Run("MSETNX", "a", "1", "b"));
        Assert.False(h.Exists("a"));
    }

    [Fact]
    public void Msetnx()
    {
        var h = new HandlerHarness();
        Assert.Equal(":1\r\n", h.Run("MSETNX", "a", "1", "b", "2"));
        Assert.Equal(":0\r\n", h.Run("MSETNX", "c", "3", "a", "x"));
        Assert.False(h.Exists("c"));
        Assert.Equal("$1\r\n1\r\n", h.Run("GET", "a"));
        Assert.Equal(":1\r\n", h.Run("MSETNX", "q", "1", "q", "2"));
        Assert.Equal("$1\r\n2\r\n", h.Run("GET", "q"));
        h.PutList("l");
        Assert.Equal(":0\r\n", h.Run("MSETNX", "z", "1", "l", "2"));
        Assert.False(h.Exists("z"));
    }

    [Fact]
    public void Msetnx_treats_expired_keys_as_missing()
    {
        var h = new HandlerHarness();
        h.Run("SET", "a", "1", "PXAT", "1");
        Assert.Equal(":1\r\n", h.Run("MSETNX", "a", "2"));
        Assert.Equal("$1\r\n2\r\n", h.Run("GET", "a"));
        Assert.Equal(-1, h.Pttl("a"));
    }
}
