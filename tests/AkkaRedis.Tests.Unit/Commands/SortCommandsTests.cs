using System.Text;
using AkkaRedis.Actors.Commands;
using AkkaRedis.Actors.Keyspace;
using AkkaRedis.Net.Resp;

namespace AkkaRedis.Tests.Unit.Commands;

/// <summary>SORT / SORT_RO handlers (sort.c) on lists and string patterns, their keys and their routing.</summary>
public sealed class SortCommandsTests
{
    private static string Bulks(params string[] items) =>
        $"*{items.Length}\r\n" + string.Concat(items.Select(i => $"${Encoding.UTF8.GetByteCount(i)}\r\n{i}\r\n"));

    [Fact]
    public void SortsNumbersAndStringsAsSortCompareDoes()
    {
        var h = new HandlerHarness();
        h.Run("RPUSH", "l", "10", "2", "-1.5", "2.0", "1e1");
        // Equal scores fall back to the elements' bytes: "10" < "1e1", "2" < "2.0".
        Assert.Equal(Bulks("-1.5", "2", "2.0", "10", "1e1"), h.Run("SORT", "l"));
        Assert.Equal(Bulks("1e1", "10", "2.0", "2", "-1.5"), h.Run("SORT", "l", "DESC"));
        Assert.Equal(Bulks("-1.5", "10", "1e1", "2", "2.0"), h.Run("SORT", "l", "ALPHA"));
        Assert.Equal(Bulks("2", "2.0"), h.Run("SORT_RO", "l", "LIMIT", "1", "2"));
    }

    [Theory]
    [InlineData(" 12", true)]      // strtod skips leading spaces
    [InlineData("", true)]         // no conversion, but the end pointer is at the (empty) string's end
    [InlineData("12\0abc", true)]  // the C string ends at the NUL
    [InlineData("0x10", true)]
    [InlineData("inf", true)]
    [InlineData("-Infinity", true)]
    [InlineData("5.", true)]
    [InlineData(".5", true)]
    [InlineData("0e-400", true)]   // zero is exact: no ERANGE
    [InlineData("12 ", false)]
    [InlineData("   ", false)]
    [InlineData("nan", false)]
    [InlineData("1e", false)]
    [InlineData(".", false)]
    [InlineData("1e400", false)]   // ERANGE: overflow
    [InlineData("1e-400", false)]  // ERANGE: underflow to zero
    [InlineData("1e-310", false)]  // ERANGE: subnormal
    public void WeighsElementsAsStrtodWithRedisChecks(string value, bool accepted)
    {
        var h = new HandlerHarness();
        h.Run("RPUSH", "l", value, "3");
        var reply = h.Run("SORT", "l");
        if (accepted) Assert.StartsWith("*2\r\n", reply);
        else Assert.Equal("-ERR One or more scores can't be converted into double\r\n", reply);
    }

    [Fact]
    public void AlphaComparesCStringsWhenReplyingAndBytesWhenStoring()
    {
        var h = new HandlerHarness();
        h.Run("RPUSH", "l", "a\0b", "a\0a", "a");
        // strcoll stops at the NUL: all three tie and keep their order (glibc's qsort is stable).
        Assert.Equal(Bulks("a\0b", "a\0a", "a"), h.Run("SORT", "l", "ALPHA"));
        Assert.Equal(":3\r\n", h.Run("SORT", "l", "ALPHA", "STORE", "dst"));
        Assert.Equal(Bulks("a", "a\0a", "a\0b"), h.Run("LRANGE", "dst", "0", "-1"));
    }

    [Fact]
    public void NosortKeepsListOrderAndLoadsOnlyTheLimitRange()
    {
        var h = new HandlerHarness();
        h.Run("RPUSH", "l", "c", "a", "b", "d");
        Assert.Equal(Bulks("c", "a", "b", "d"), h.Run("SORT", "l", "BY", "nosort"));
        Assert.Equal(Bulks("b", "a"), h.Run("SORT", "l", "BY", "nosort", "DESC", "LIMIT", "1", "2"));
        Assert.Equal(Bulks("a", "b", "d"), h.Run("SORT", "l", "BY", "x", "LIMIT", "1", "-1"));
        Assert.Equal("*0\r\n", h.Run("SORT", "l", "BY", "nosort", "LIMIT", "4", "1"));
        // A later BY with a pattern does not undo "nosort" (Redis only ever sets dontsort).
        Assert.Equal(Bulks("c", "a", "b", "d"), h.Run("SORT", "l", "BY", "nosort", "BY", "w_*"));
    }

    [Fact]
    public void LimitIsClampedAsRedisDoes()
    {
        var h = new HandlerHarness();
        h.Run("RPUSH", "l", "3", "1", "2");
        Assert.Equal(Bulks("1", "2"), h.Run("SORT", "l", "LIMIT", "-5", "2"));
        Assert.Equal(Bulks("2", "3"), h.Run("SORT", "l", "LIMIT", "1", "-7"));
        Assert.Equal("*0\r\n", h.Run("SORT", "l", "LIMIT", "9223372036854775807", "9223372036854775807"));
        Assert.Equal("-ERR value is not an integer or out of range\r\n", h.Run("SORT", "l", "LIMIT", "1.5", "1"));
        Assert.Equal("-ERR syntax error\r\n", h.Run("SORT", "l", "LIMIT", "1"));
    }

    [Fact]
    public void ByAndGetPatternsReadStringKeysAndTheElement()
    {
        var h = new HandlerHarness();
        h.Run("RPUSH", "l", "1", "2", "3");
        h.Run("MSET", "w_1", "30", "w_2", "10", "w_3", "20", "o_1", "one", "o_3", "three");
        h.Run("RPUSH", "o_2", "not a string");
        Assert.Equal(Bulks("2", "3", "1"), h.Run("SORT", "l", "BY", "w_*"));
        Assert.Equal("*6\r\n$-1\r\n$1\r\n2\r\n$5\r\nthree\r\n$1\r\n3\r\n$3\r\none\r\n$1\r\n1\r\n",
            h.Run("SORT", "l", "BY", "w_*", "GET", "o_*", "GET", "#"));
        // A missing BY key weighs 0 (ties broken by the element) or sorts first with ALPHA.
        Assert.Equal(Bulks("2", "1", "3"), h.Run("SORT", "l", "BY", "o_*", "ALPHA"));
        Assert.Equal("*3\r\n$-1\r\n$-1\r\n$-1\r\n", h.Run("SORT", "l", "GET", "fixed"));
        // "->" with nothing after it is part of the key name, not a hash field.
        h.Run("SET", "w_1->", "5");
        Assert.Equal(Bulks("5"), h.Run("SORT", "l", "GET", "w_*->", "LIMIT", "0", "1"));
    }

    [Fact]
    public void StoreReplacesTheDestinationAndAnEmptyResultDeletesIt()
    {
        var h = new HandlerHarness();
        h.Run("RPUSH", "l", "2", "1");
        h.Run("SET", "dst", "x", "EX", "100");
        Assert.Equal(":2\r\n", h.Run("SORT", "l", "STORE", "dst"));
        Assert.Equal("+list\r\n", h.Run("TYPE", "dst"));
        Assert.Equal(":-1\r\n", h.Run("TTL", "dst"));
        Assert.Equal(Bulks("1", "2"), h.Run("LRANGE", "dst", "0", "-1"));
        Assert.Equal(":0\r\n", h.Run("SORT", "l", "LIMIT", "5", "1", "STORE", "dst"));
        Assert.Equal(":0\r\n", h.Run("EXISTS", "dst"));
        Assert.Equal(":4\r\n", h.Run("SORT", "l", "GET", "#", "GET", "nokey_*", "STORE", "dst"));
        Assert.Equal(Bulks("1", "", "2", ""), h.Run("LRANGE", "dst", "0", "-1"));
    }

    [Fact]
    public void ErrorsComeInRedisOrder()
    {
        var h = new HandlerHarness();
        h.Run("SET", "s", "x");
        Assert.Equal("-ERR syntax error\r\n", h.Run("SORT", "s", "foo"));
        Assert.Equal("-WRONGTYPE Operation against a key holding the wrong kind of value\r\n", h.Run("SORT", "s"));
        Assert.Equal("-ERR syntax error\r\n", h.Run("SORT_RO", "s", "STORE", "d"));
        h.Run("RPUSH", "bad", "x", "1");
        Assert.Equal("-ERR One or more scores can't be converted into double\r\n", h.Run("SORT", "bad", "STORE", "d"));
        Assert.Equal(":0\r\n", h.Run("EXISTS", "d"));
    }

    [Fact]
    public void PatternKeysOnOtherShardsAreReadFromTheirShard()
    {
        var h = new MultiShardHarness(4);
        h.Run("RPUSH", "a", "1", "2", "3");
        h.Run("MSET", "w_1", "3", "w_2", "2", "w_3", "1", "o_1", "x", "o_2", "y", "o_3", "z");
        Assert.Equal(Bulks("z", "y", "x"), h.Run("SORT", "a", "BY", "w_*", "GET", "o_*"));
    }

    [Theory]
    [InlineData(new[] { "sort", "l" }, new[] { 1 })]
    [InlineData(new[] { "sort", "l", "STORE", "a", "STORE", "b" }, new[] { 1, 5 })]
    [InlineData(new[] { "sort", "l", "LIMIT", "store", "x", "STORE", "y" }, new[] { 1, 6 })]
    [InlineData(new[] { "sort", "l", "GET", "store", "STORE" }, new[] { 1 })]
    [InlineData(new[] { "sort_ro", "l", "STORE", "a" }, new[] { 1 })]
    public void KeysAreSortGetKeys(string[] request, int[] expected)
    {
        var table = AkkaRedis.Actors.Session.Families.CreateTable();
        CommandArgs args = request.Select(Encoding.UTF8.GetBytes).ToArray();
        var def = table.Resolve(args, out _)!;
        var keys = new List<int>();
        def.GetKeys(args, keys);
        Assert.Equal(expected, keys);
        Assert.True((def.Flags & CommandFlags.MovableKeys) != 0);
    }

    [Theory]
    [InlineData(new[] { "sort", "l" }, true, new int[0])]
    [InlineData(new[] { "sort", "l", "BY", "nosort", "GET", "#", "GET", "fixed" }, true, new int[0])]
    [InlineData(new[] { "sort", "l", "BY", "w_*" }, false, new int[0])]
    [InlineData(new[] { "sort_ro", "l", "GET", "o_*" }, false, new int[0])]
    [InlineData(new[] { "sort", "{t}l", "BY", "{t}w_*", "GET", "{t}o_*->f" }, true, new[] { 3, 5 })]
    [InlineData(new[] { "sort", "l", "BY", "*{t}w" }, false, new int[0])]   // the tag comes after the '*'
    [InlineData(new[] { "sort", "l", "BY", "{*}w" }, false, new int[0])]    // the '*' is inside the tag
    [InlineData(new[] { "sort", "l", "BY", "{}w*" }, false, new int[0])]    // an empty tag is no tag
    [InlineData(new[] { "sort", "l", "LIMIT", "BY", "x*", "STORE", "d" }, true, new int[0])] // LIMIT's arguments
    public void PatternKeysSayWhenEveryShardMustBeHeld(string[] request, bool known, int[] appended)
    {
        var table = AkkaRedis.Actors.Session.Families.CreateTable();
        CommandArgs args = request.Select(Encoding.UTF8.GetBytes).ToArray();
        var def = table.Resolve(args, out _)!;
        var keys = new List<int>();
        Assert.Equal(known, def.RoutingKeys!(args, keys));
        if (known) Assert.Equal(appended, keys);
    }

    [Fact]
    public void AFixedHashTagNamesTheSlotOfEveryPatternKey()
    {
        // The routing relies on the pattern hashing like the keys made from it.
        foreach (var element in new[] { "1", "x{y}", "}" })
            Assert.Equal(HashSlot.Of(Encoding.UTF8.GetBytes("{t}w_*")), HashSlot.Of(Encoding.UTF8.GetBytes("{t}w_" + element)));
    }
}
