using System.Text;
using AkkaRedis.Actors.Commands;
using AkkaRedis.Actors.Storage;

namespace AkkaRedis.Tests.Unit.Storage;

/// <summary>StreamId's order and arithmetic, and stream ID arguments parsed as redis-server 7.0.15 parses them
/// (the expected values were read from XRANGE on redis-server).</summary>
public sealed class StreamIdTests
{
    private static readonly ulong Max = ulong.MaxValue;

    [Fact]
    public void Order_is_ms_then_seq()
    {
        Assert.True(new StreamId(1, Max) < new StreamId(2, 0));
        Assert.True(new StreamId(2, 1) > new StreamId(2, 0));
        Assert.Equal(StreamId.Min, new StreamId(0, 0));
        Assert.Equal("18446744073709551615-18446744073709551615", Encoding.ASCII.GetString(StreamId.Max.ToBytes()));
    }

    [Fact]
    public void Increment_and_decrement_carry_and_stop_at_the_ends()
    {
        Assert.True(new StreamId(1, Max).TryIncrement(out var next));
        Assert.Equal(new StreamId(2, 0), next);
        Assert.False(StreamId.Max.TryIncrement(out _));
        Assert.True(new StreamId(2, 0).TryDecrement(out var previous));
        Assert.Equal(new StreamId(1, Max), previous);
        Assert.False(StreamId.Min.TryDecrement(out _));
    }

    [Theory]
    [InlineData("5", 7UL, "5-7")]
    [InlineData("5-1", 7UL, "5-1")]
    [InlineData(" 5", 0UL, "5-0")]      // string2ull falls back to strtoull: leading space
    [InlineData("+5", 0UL, "5-0")]      // and a '+' sign
    [InlineData("007", 0UL, "7-0")]     // and leading zeros
    [InlineData("5-+1", 0UL, "5-1")]
    [InlineData("5- -1", 0UL, "5-18446744073709551615")] // strtoull negates modulo 2^64
    [InlineData("5-1\0junk", 0UL, "5-1")] // the C string ends at the NUL
    [InlineData("-", 9UL, "0-0")]
    [InlineData("+", 9UL, "18446744073709551615-18446744073709551615")]
    [InlineData("18446744073709551615-18446744073709551615", 0UL, "18446744073709551615-18446744073709551615")]
    public void Valid_ids(string text, ulong missingSeq, string expected)
    {
        Assert.True(StreamIdArgs.TryParse(Encoding.ASCII.GetBytes(text), missingSeq, strict: false, out var id));
        Assert.Equal(expected, id.ToString());
    }

    [Theory]
    [InlineData("")]
    [InlineData("  ")]
    [InlineData("-0")]   // the dash splits first: an empty ms
    [InlineData(" -1")]
    [InlineData("5-")]
    [InlineData("5--1")]
    [InlineData("5-*")]  // only XADD takes ms-*
    [InlineData("18446744073709551616")]
    [InlineData("1.5")]
    public void Invalid_ids(string text) =>
        Assert.False(StreamIdArgs.TryParse(Encoding.ASCII.GetBytes(text), 0, strict: false, out _));

    [Fact]
    public void Longer_than_127_bytes_is_invalid() =>
        Assert.False(StreamIdArgs.TryParse(Encoding.ASCII.GetBytes(new string('5', 128)), 0, strict: false, out _));

    [Fact]
    public void Strict_refuses_minus_and_plus()
    {
        Assert.False(StreamIdArgs.TryParse("-"u8, 0, strict: true, out _));
        Assert.False(StreamIdArgs.TryParse("+"u8, 0, strict: true, out _));
    }

    [Fact]
    public void Xadd_form_takes_a_sequence_wildcard()
    {
        Assert.True(StreamIdArgs.TryParseWithSeqWildcard("6-*"u8, out var id, out var seqGiven));
        Assert.Equal(new StreamId(6, 0), id);
        Assert.False(seqGiven);
        Assert.True(StreamIdArgs.TryParseWithSeqWildcard("6-2"u8, out id, out seqGiven));
        Assert.Equal(new StreamId(6, 2), id);
        Assert.True(seqGiven);
        Assert.False(StreamIdArgs.TryParseWithSeqWildcard("-*"u8, out _, out _));
        Assert.False(StreamIdArgs.TryParseWithSeqWildcard("+"u8, out _, out _));
    }
}
