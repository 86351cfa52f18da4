using System.Text;
using AkkaRedis.Actors.Storage;

namespace AkkaRedis.Tests.Unit.Storage;

public sealed class IntSetTests
{
    private static List<long> All(byte[] set)
    {
        var result = new List<long>();
        for (var i = 0; i < IntSet.Count(set); i++) result.Add(IntSet.Get(set, i));
        return result;
    }

    [Fact]
    public void Values_stay_sorted_and_unique()
    {
        var set = IntSet.Create();
        foreach (var v in new long[] { 5, -3, 100, 0, 5, -3, 7 }) set = IntSet.Add(set, v, out _);
        Assert.Equal([-3, 0, 5, 7, 100], All(set));
        var same = IntSet.Add(set, 7, out var added);
        Assert.False(added);
        Assert.Same(set, same);
        Assert.True(IntSet.Contains(set, 0));
        Assert.False(IntSet.Contains(set, 6));
        Assert.False(IntSet.Contains(set, long.MaxValue));
    }

    [Theory]
    [InlineData(32767, 2)]
    [InlineData(-32768, 2)]
    [InlineData(32768, 4)]
    [InlineData(-32769, 4)]
    [InlineData(2147483647, 4)]
    [InlineData(2147483648, 8)]
    [InlineData(long.MinValue, 8)]
    public void Width_is_the_narrowest_that_holds_every_value(long value, int width)
    {
        var set = IntSet.Add(IntSet.Add(IntSet.Create(), 1, out _), value, out _);
        Assert.Equal(width, IntSet.Width(set));
        Assert.Equal(8 + 2L * width, IntSet.BlobLength(set));
        Assert.True(IntSet.Contains(set, value));
        Assert.True(IntSet.Contains(set, 1));
    }

    [Fact]
    public void Upgrade_puts_a_negative_value_first_and_a_positive_one_last_and_never_narrows()
    {
        var set = IntSet.Create();
        foreach (var v in new long[] { 10, 20, 30 }) set = IntSet.Add(set, v, out _);
        set = IntSet.Add(set, -5_000_000_000, out _);
        Assert.Equal([-5_000_000_000, 10, 20, 30], All(set));
        set = IntSet.Add(set, long.MaxValue, out _);
        Assert.Equal([-5_000_000_000, 10, 20, 30, long.MaxValue], All(set));
        set = IntSet.Remove(set, -5_000_000_000, out var removed);
        set = IntSet.Remove(set, long.MaxValue, out _);
        Assert.True(removed);
        Assert.Equal([10, 20, 30], All(set));
        Assert.Equal(8, IntSet.Width(set)); // as Redis: an intset is never downgraded
        var unchanged = IntSet.Remove(set, 11, out removed);
        Assert.False(removed);
        Assert.Same(set, unchanged);
    }
}

public sealed class SetValueTests
{
    private static byte[] B(string s) => Encoding.UTF8.GetBytes(s);

    private static List<string> Members(SetValue set)
    {
        var result = new List<string>();
        foreach (var m in set) result.Add(Encoding.UTF8.GetString(m.ToArray()));
        return result;
    }

    [Fact]
    public void Integers_make_an_intset_in_ascending_order()
    {
        var set = SetValue.CreateFor(B("3"));
        Assert.True(set.IsIntSet);
        foreach (var m in new[] { "3", "-1", "2", "3" }) set.Add(B(m), 512);
        Assert.Equal(["-1", "2", "3"], Members(set));
        Assert.True(set.Contains(B("2")));
        // string2ll-exact: these are not the integer 2 or 1.
        Assert.False(set.Contains(B("02")));
        Assert.False(set.Contains(B("+2")));
        Assert.False(set.Contains(B(" 2")));
    }

    [Fact]
    public void A_non_integer_or_too_many_integers_convert_to_hashtable_for_good()
    {
        var set = SetValue.CreateFor(B("1"));
        set.Add(B("1"), 512);
        set.Add(B("01"), 512); // not canonical: a string
        Assert.Equal(ObjectEncoding.HashTable, set.Encoding);
        set.Remove(B("01"));
        Assert.Equal(ObjectEncoding.HashTable, set.Encoding);
        Assert.True(set.Contains(B("1")));

        var small = SetValue.NewIntSet();
        for (var i = 0; i < 4; i++) Assert.True(small.Add(B(i.ToString()), 4));
        Assert.True(small.IsIntSet);
        Assert.True(small.Add(B("4"), 4));
        Assert.Equal(ObjectEncoding.HashTable, small.Encoding);
        Assert.Equal(5, small.Count);
    }

    [Fact]
    public void The_small_hashtable_form_grows_into_a_member_table()
    {
        var set = SetValue.CreateFor(B("m0"));
        Assert.IsType<byte[]>(set.Value);
        for (var i = 0; i < SetValue.CompactMaxEntries; i++) set.Add(B("m" + i), 512);
        Assert.IsType<byte[]>(set.Value);
        Assert.True(set.Add(B("one more"), 512));
        var big = Assert.IsType<RedisSet>(set.Value);
        Assert.Equal(SetValue.CompactMaxEntries + 1, big.Count);
        Assert.False(set.Add(B("m5"), 512));
        Assert.True(set.Remove(B("m5")));
        Assert.False(set.Contains(B("m5")));
        Assert.True(set.Contains(B("one more")));

        var longMember = SetValue.CreateFor(B("a"));
        longMember.Add(B("a"), 512);
        longMember.Add(B(new string('x', SetValue.CompactMaxMemberLength + 1)), 512);
        Assert.IsType<RedisSet>(longMember.Value);
        Assert.Equal(2, longMember.Count);
    }

    [Fact]
    public void Random_members_come_from_the_set()
    {
        var rng = new Random(1);
        foreach (var first in new[] { "1", "a" })
        {
            var set = SetValue.CreateFor(B(first));
            for (var i = 0; i < 100; i++) set.Add(B(first == "1" ? i.ToString() : "x" + i), 512);
            for (var i = 0; i < 50; i++) Assert.True(set.Contains(set.RandomMember(rng)));
        }
    }

    [Fact]
    public void Redis_dict_size_follows_expand_shrink_and_incremental_rehash()
    {
        var set = new RedisSet();
        Assert.Equal(4, set.RedisSlots);
        for (var i = 0; i < 4; i++) set.Add(B("m" + i));
        Assert.Equal(4, set.RedisSlots);
        set.Add(B("m4"));
        Assert.Equal(4 + 8, set.RedisSlots); // rehashing from 4 to 8 buckets: both count
        for (var i = 0; i < 3; i++) set.Contains(B("m0"));
        Assert.Equal(8, set.RedisSlots);
        for (var i = 5; i < 100; i++) set.Add(B("m" + i));
        for (var i = 0; i < 100; i++) set.Contains(B("m0"));
        Assert.Equal(128, set.RedisSlots);
        // Shrunk under 10 % full (12 of 128) to the power of two that holds what is left, then rehashed away.
        for (var i = 0; i < 95; i++) set.Remove(B("m" + i));
        Assert.Equal(16 + 128, set.RedisSlots);
        for (var i = 0; i < 20; i++) set.Contains(B("m99"));
        Assert.Equal(16, set.RedisSlots);
        var copy = (RedisSet)set.DeepCopy();
        copy.Remove(B("m99"));
        Assert.Equal(5, set.Count);
        Assert.Equal(4, copy.Count);
    }
}
