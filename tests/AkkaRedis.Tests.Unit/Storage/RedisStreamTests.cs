using System.Text;
using AkkaRedis.Actors.Storage;

namespace AkkaRedis.Tests.Unit.Storage;

/// <summary>The stream's read API that the consumer-group code relies on: ranges both ways, lookup, deletion and the
/// counters that outlive entries.</summary>
public sealed class RedisStreamTests
{
    private static byte[][] Pairs(params string[] items) => items.Select(Encoding.ASCII.GetBytes).ToArray();

    private static RedisStream Sample()
    {
        var s = new RedisStream();
        for (ulong ms = 1; ms <= 5; ms++) s.Append(new StreamId(ms, 0), Pairs("f", ms.ToString(), "g", "x"));
        return s;
    }

    private static List<string> Ids(RedisStream s, StreamId a, StreamId b, bool reverse = false)
    {
        var ids = new List<string>();
        foreach (var e in s.GetRange(a, b, reverse)) ids.Add(e.Id.ToString());
        return ids;
    }

    [Fact]
    public void Ranges_are_inclusive_both_ways()
    {
        var s = Sample();
        Assert.Equal(["2-0", "3-0", "4-0"], Ids(s, new(2, 0), new(4, 0)));
        Assert.Equal(["4-0", "3-0", "2-0"], Ids(s, new(2, 0), new(4, 0), reverse: true));
        Assert.Equal(["2-0", "3-0"], Ids(s, new(1, 1), new(3, 5)));
        Assert.Empty(Ids(s, new(4, 0), new(2, 0)));
        Assert.Equal(5, Ids(s, StreamId.Min, StreamId.Max).Count);
    }

    [Fact]
    public void Entries_read_back_their_pairs()
    {
        var s = Sample();
        Assert.True(s.TryGet(new StreamId(3, 0), out var e));
        Assert.Equal(2, e.PairCount);
        var text = new List<string>();
        foreach (var f in e) text.Add(Encoding.ASCII.GetString(f.Name) + "=" + Encoding.ASCII.GetString(f.Value));
        Assert.Equal(["f=3", "g=x"], text);
        Assert.False(s.TryGet(new StreamId(3, 1), out _));
    }

    [Fact]
    public void Deletion_keeps_last_id_and_entries_added()
    {
        var s = Sample();
        Assert.True(s.Delete(new StreamId(1, 0)));
        Assert.True(s.Delete(new StreamId(5, 0)));
        Assert.False(s.Delete(new StreamId(5, 0)));
        Assert.Equal(3, s.Length);
        Assert.Equal(new StreamId(2, 0), s.FirstId);
        Assert.Equal(new StreamId(5, 0), s.LastId);
        Assert.Equal(5UL, s.EntriesAdded);
    }

    [Fact]
    public void Copy_shares_nothing_mutable()
    {
        var s = Sample();
        var copy = (RedisStream)s.DeepCopy();
        s.Delete(new StreamId(2, 0));
        Assert.Equal(5, copy.Length);
        Assert.Equal(s.LastId, copy.LastId);
    }
}
