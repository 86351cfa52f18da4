using System.Text;
using AkkaRedis.Actors.Storage;

namespace AkkaRedis.Tests.Unit.Storage;

/// <summary>
/// One shard's client-side caching table (tracking.c's TrackingTable and PrefixTable): who is told what, when, and
/// what the counters INFO and tracking-table-max-keys read say.
/// </summary>
public sealed class TrackingTableTests
{
    private sealed class Sink : ITrackingSink
    {
        public readonly List<(long Client, string Key, long Modifier)> Invalidations = new();
        public readonly List<(long Client, string[] Keys, long[] Modifiers)> Broadcasts = new();
        public long Keys;
        public long Items;

        public void Invalidate(long clientId, string key, long modifier, int position) => Invalidations.Add((clientId, key, modifier));
        public void Broadcast(long clientId, string[] keys, long[] modifiers) => Broadcasts.Add((clientId, keys, modifiers));
        public void Flushed(long modifier) { }

        public void Counted(int keys, int items)
        {
            Keys += keys;
            Items += items;
        }

        public long TotalKeys => Keys;
    }

    private static byte[] B(string s) => Encoding.Latin1.GetBytes(s);

    [Fact]
    public void AModifiedKeyIsInvalidatedOnceForEveryClientThatReadItThenForgotten()
    {
        var sink = new Sink();
        var table = new TrackingTable(sink);
        table.Remember(B("k"), 1);
        table.Remember(B("k"), 2);
        table.Remember(B("k"), 2);
        table.Remember(B("other"), 1);
        Assert.Equal((2L, 3L), (sink.Keys, sink.Items));

        table.Invalidate(B("k"), 7);
        Assert.Equal([(1L, "k", 7L), (2L, "k", 7L)], sink.Invalidations.OrderBy(i => i.Client));
        Assert.Equal((1L, 1L), (sink.Keys, sink.Items));

        // Forgotten: a second write tells nobody until the key is read again.
        table.Invalidate(B("k"), 7);
        Assert.Equal(2, sink.Invalidations.Count);
        Assert.Equal(1, table.KeyCount);
    }

    [Fact]
    public void KeysAreBytesNotText()
    {
        var sink = new Sink();
        var table = new TrackingTable(sink);
        table.Remember([0xC3, 0xA9], 1);
        table.Invalidate(B("\u00e9"), 0); // one byte 0xE9: another key
        Assert.Empty(sink.Invalidations);
        table.Invalidate([0xC3, 0xA9], 0);
        Assert.Single(sink.Invalidations);
    }

    [Fact]
    public void BroadcastSendsOneSortedMessagePerPrefixAndClientWithTheFirstModifierOfEachKey()
    {
        var sink = new Sink();
        var table = new TrackingTable(sink);
        table.AddPrefix("user:", 10);
        table.AddPrefix("user:", 11);
        table.AddPrefix("", 12);
        table.Invalidate(B("user:b"), 1);
        table.Invalidate(B("user:a"), 2);
        table.Invalidate(B("user:b"), 3);
        table.Invalidate(B("post:1"), 0);
        Assert.Empty(sink.Broadcasts);

        table.Broadcast();
        // Prefixes in byte order ("" first), clients in id order, keys sorted.
        Assert.Equal(3, sink.Broadcasts.Count);
        Assert.Equal(12, sink.Broadcasts[0].Client);
        Assert.Equal(["post:1", "user:a", "user:b"], sink.Broadcasts[0].Keys);
        Assert.Equal([0L, 2L, 1L], sink.Broadcasts[0].Modifiers);
        Assert.Equal([10L, 11L], sink.Broadcasts.Skip(1).Select(b => b.Client));
        Assert.Equal(["user:a", "user:b"], sink.Broadcasts[1].Keys);

        // Nothing pending: nothing sent; a removed client's prefix goes when its last client does.
        table.Broadcast();
        Assert.Equal(3, sink.Broadcasts.Count);
        table.RemovePrefix("user:", 10);
        table.RemovePrefix("user:", 11);
        table.RemovePrefix("", 12);
        Assert.Equal(0, table.PrefixCount);
        table.Invalidate(B("user:c"), 1);
        table.Broadcast();
        Assert.Equal(3, sink.Broadcasts.Count);
    }

    [Fact]
    public void FlushForgetsEveryKeyWithoutAMessage()
    {
        var sink = new Sink();
        var table = new TrackingTable(sink);
        table.Remember(B("a"), 1);
        table.Remember(B("b"), 2);
        table.Clear();
        Assert.Equal((0L, 0L), (sink.Keys, sink.Items));
        table.Invalidate(B("a"), 0);
        Assert.Empty(sink.Invalidations);
    }

    [Fact]
    public void LimitInvalidatesTheOldestKeysUntilTheTotalIsBackUnderTheMaximum()
    {
        var sink = new Sink();
        var table = new TrackingTable(sink);
        for (var i = 0; i < 8; i++) table.Remember(B($"k{i}"), 1);
        table.Limit(0); // no limit
        Assert.Empty(sink.Invalidations);
        table.Limit(5);
        Assert.Equal(["k0", "k1", "k2"], sink.Invalidations.Select(i => i.Key));
        Assert.All(sink.Invalidations, i => Assert.Equal(0, i.Modifier));
        Assert.Equal(5, sink.Keys);
    }
}
