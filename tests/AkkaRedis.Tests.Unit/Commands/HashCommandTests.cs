using System.Globalization;
using AkkaRedis.Actors.Storage;

namespace AkkaRedis.Tests.Unit.Commands;

/// <summary>What the differential cannot pin down (a hashtable's order is redis-server's seeded dict order): HSCAN's
/// guarantee over a table that grows and shrinks between calls, and HRANDFIELD's distinct/repeated draws.</summary>
public sealed class HashCommandTests
{
    private readonly HandlerHarness h = new();

    /// <summary>The cursor and the fields of an HSCAN reply (*2 $cursor *2n field value...).</summary>
    private static (ulong Cursor, List<string> Fields) ParseScan(string reply)
    {
        var lines = reply.Split("\r\n");
        var cursor = ulong.Parse(lines[2], CultureInfo.InvariantCulture);
        var count = int.Parse(lines[3][1..], CultureInfo.InvariantCulture);
        var fields = new List<string>();
        for (var i = 0; i < count; i += 2) fields.Add(lines[5 + i * 2]);
        return (cursor, fields);
    }

    private static List<string> Items(string reply)
    {
        var lines = reply.Split("\r\n");
        var items = new List<string>();
        for (var i = 2; i < lines.Length; i += 2) items.Add(lines[i]);
        return items;
    }

    [Fact]
    public void Hscan_returns_every_field_present_for_the_whole_scan_while_the_table_grows_and_shrinks()
    {
        for (var i = 0; i < 1000; i++) h.Run("HSET", "h", "f" + i, "v");
        Assert.Equal("$9\r\nhashtable\r\n", h.Run("OBJECT", "ENCODING", "h"));
        var seen = new HashSet<string>();
        var cursor = 0UL;
        var calls = 0;
        do
        {
            var (next, fields) = ParseScan(h.Run("HSCAN", "h", cursor.ToString(CultureInfo.InvariantCulture), "COUNT", "20"));
            seen.UnionWith(fields);
            cursor = next;
            // Between calls the table grows past 2048 buckets, then shrinks far below its size.
            if (calls == 10) for (var i = 1000; i < 3000; i++) h.Run("HSET", "h", "g" + i, "v");
            if (calls == 30) for (var i = 1000; i < 3000; i++) h.Run("HDEL", "h", "g" + i);
            calls++;
        } while (cursor != 0);
        for (var i = 0; i < 1000; i++) Assert.Contains("f" + i, seen);
        Assert.True(calls > 10, "a 1000-field table takes more than one call");
    }

    [Fact]
    public void Hrandfield_draws_distinct_fields_for_a_positive_count_and_may_repeat_for_a_negative_one()
    {
        for (var i = 0; i < 600; i++) h.Run("HSET", "big", "f" + i, "v" + i);
        h.Run("HSET", "small", "a", "1", "b", "2", "c", "3", "d", "4", "e", "5");
        foreach (var key in new[] { "big", "small" })
        {
            var distinct = Items(h.Run("HRANDFIELD", key, "4"));
            Assert.Equal(4, distinct.Count);
            Assert.Equal(4, distinct.Distinct().Count());
            var repeated = Items(h.Run("HRANDFIELD", key, "-50"));
            Assert.Equal(50, repeated.Count);
            Assert.True(repeated.Distinct().Count() < 50 || key == "big");
            var pairs = Items(h.Run("HRANDFIELD", key, "3", "WITHVALUES"));
            Assert.Equal(6, pairs.Count);
            for (var i = 0; i < 6; i += 2)
                Assert.Equal(key == "big" ? "v" + pairs[i][1..] : pairs[i] switch { "a" => "1", "b" => "2", "c" => "3", "d" => "4", _ => "5" }, pairs[i + 1]);
        }
    }

    [Fact]
    public void Hdel_of_the_last_field_removes_the_key_and_a_listpack_is_one_array_stored_as_the_value()
    {
        h.Run("HSET", "h", "a", "1", "b", "2");
        var value = h.Shard.Databases[0].Find("h"u8, 0).Value;
        Assert.IsType<byte[]>(value);
        Assert.Equal(":2\r\n", h.Run("HDEL", "h", "a", "b", "c"));
        Assert.Equal(":0\r\n", h.Run("EXISTS", "h"));
    }
}
