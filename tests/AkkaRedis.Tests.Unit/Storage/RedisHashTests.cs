using System.Text;
using AkkaRedis.Actors.Storage;

namespace AkkaRedis.Tests.Unit.Storage;

public sealed class RedisHashTests
{
    private static byte[] B(string s) => Encoding.UTF8.GetBytes(s);

    private static List<string> Flat(object hash)
    {
        var result = new List<string>();
        foreach (var pair in RedisHash.Pairs(hash))
        {
            result.Add(Encoding.UTF8.GetString(pair.Field));
            result.Add(Encoding.UTF8.GetString(pair.Value));
        }
        return result;
    }

    private static string? Get(object hash, string field) =>
        RedisHash.TryGet(hash, B(field), out var value) ? Encoding.UTF8.GetString(value) : null;

    [Fact]
    public void A_listpack_keeps_insertion_order_and_replaces_values_in_place()
    {
        object h = RedisHash.CreateEmpty();
        h = RedisHash.Set(h, B("a"), B("1"), 8, 64, out var added);
        Assert.True(added);
        h = RedisHash.Set(h, B("b"), B("2"), 8, 64, out added);
        h = RedisHash.Set(h, B("a"), B("3"), 8, 64, out added);
        Assert.False(added);
        Assert.IsType<byte[]>(h);
        Assert.Equal(ObjectEncoding.ListPack, RedisHash.EncodingOf(h));
        Assert.Equal(["a", "3", "b", "2"], Flat(h));
        Assert.Equal(2, RedisHash.Length(h));
        Assert.Equal("3", Get(h, "a"));
        Assert.Null(Get(h, "3"));
        Assert.False(RedisHash.Contains(h, B("2")));
    }

    [Fact]
    public void A_set_with_the_same_value_keeps_the_array()
    {
        object h = RedisHash.Set(RedisHash.CreateEmpty(), B("a"), B("1"), 8, 64, out _);
        Assert.Same(h, RedisHash.Set(h, B("a"), B("1"), 8, 64, out var added));
        Assert.False(added);
    }

    [Fact]
    public void More_entries_than_the_limit_convert_to_a_table_after_the_insert()
    {
        object h = RedisHash.CreateEmpty();
        for (var i = 0; i < 3; i++) h = RedisHash.Set(h, B("f" + i), B("v" + i), 3, 64, out _);
        Assert.IsType<byte[]>(h);
        h = RedisHash.Set(h, B("f3"), B("v3"), 3, 64, out var added);
        Assert.True(added);
        Assert.IsType<MemberTable<byte[]>>(h);
        Assert.Equal(ObjectEncoding.HashTable, RedisHash.EncodingOf(h));
        Assert.Equal(4, RedisHash.Length(h));
        for (var i = 0; i < 4; i++) Assert.Equal("v" + i, Get(h, "f" + i));
        // One way only: deleting down to one field keeps the table.
        for (var i = 0; i < 3; i++) h = RedisHash.Delete(h, B("f" + i), out _);
        Assert.IsType<MemberTable<byte[]>>(h);
        Assert.Equal(["f3", "v3"], Flat(h));
    }

    [Fact]
    public void A_field_or_value_longer_than_the_limit_converts_before_the_insert()
    {
        object h = RedisHash.Set(RedisHash.CreateEmpty(), B("a"), B("1"), 8, 4, out _);
        Assert.True(RedisHash.NeedsTable(B("12345"), 4));
        Assert.False(RedisHash.NeedsTable(B("1234"), 4));
        var h2 = RedisHash.Set(h, B("b"), B("1234"), 8, 4, out _);
        Assert.IsType<byte[]>(h2);
        var h3 = RedisHash.Set(h2, B("b"), B("12345"), 8, 4, out var added);
        Assert.False(added);
        Assert.IsType<MemberTable<byte[]>>(h3);
        Assert.Equal("12345", Get(h3, "b"));
        Assert.Equal("1", Get(h3, "a"));
    }

    [Fact]
    public void Delete_reports_what_it_removed_in_both_forms()
    {
        object lp = RedisHash.CreateEmpty();
        lp = RedisHash.Set(lp, B("a"), B("1"), 8, 64, out _);
        lp = RedisHash.Set(lp, B("b"), B("2"), 8, 64, out _);
        var after = RedisHash.Delete(lp, B("x"), out var removed);
        Assert.False(removed);
        Assert.Same(lp, after);
        after = RedisHash.Delete(lp, B("a"), out removed);
        Assert.True(removed);
        Assert.Equal(["b", "2"], Flat(after));
        Assert.Equal(["a", "1", "b", "2"], Flat(lp)); // the published array is never written

        object table = RedisHash.ToTable((byte[])lp);
        Assert.Equal(2, RedisHash.Length(table));
        RedisHash.Delete(table, B("b"), out removed);
        Assert.True(removed);
        RedisHash.Delete(table, B("b"), out removed);
        Assert.False(removed);
        Assert.Equal(1, RedisHash.Length(table));
    }

    [Fact]
    public void Duplicate_shares_nothing_that_a_later_write_changes()
    {
        object lp = RedisHash.Set(RedisHash.CreateEmpty(), B("a"), B("1"), 8, 64, out _);
        var lpCopy = RedisHash.Duplicate(lp);
        Assert.NotSame(lp, lpCopy);
        Assert.Equal(Flat(lp), Flat(lpCopy));

        object table = RedisHash.ToTable((byte[])lp);
        var tableCopy = RedisHash.Duplicate(table);
        RedisHash.Set(table, B("a"), B("2"), 8, 64, out _);
        RedisHash.Set(table, B("b"), B("3"), 8, 64, out _);
        Assert.Equal(["a", "1"], Flat(tableCopy));
        Assert.Equal("2", Get(table, "a"));
    }

    [Fact]
    public void Random_returns_a_present_pair()
    {
        object h = RedisHash.CreateEmpty();
        for (var i = 0; i < 5; i++) h = RedisHash.Set(h, B("f" + i), B("v" + i), 8, 64, out _);
        var rng = new Random(1);
        var seen = new HashSet<string>();
        foreach (var form in new[] { h, RedisHash.ToTable((byte[])h) })
            for (var i = 0; i < 200; i++)
            {
                RedisHash.Random(form, rng, out var field, out var value);
                var f = Encoding.UTF8.GetString(field);
                Assert.Equal("v" + f[1..], Encoding.UTF8.GetString(value));
                seen.Add(f);
            }
        Assert.Equal(5, seen.Count);
    }
}
