using System.Text;
using AkkaRedis.Actors.Storage;

namespace AkkaRedis.Tests.Unit.Storage;

/// <summary>The consumer-group storage: rax order of names, the two PELs sharing NACKs, redelivery, consumer deletion,
/// deep copies, and MEMORY USAGE's rax arithmetic (numbers measured on redis-server 7.0.15).</summary>
public sealed class StreamGroupsTests
{
    private static byte[] B(string s) => Encoding.ASCII.GetBytes(s);

    private static List<string> Ids(PendingEntries pel, StreamId a, StreamId b) => pel.Range(a, b).Select(n => n.Id.ToString()).ToList();

    [Fact]
    public void Groups_and_consumers_are_in_rax_order_and_names_are_unique()
    {
        var groups = new StreamGroups();
        foreach (var name in new[] { "b", "ab", "a", "\xff", "" })
            Assert.NotNull(groups.TryCreate(Encoding.Latin1.GetBytes(name), StreamId.Min, StreamGroup.InvalidEntriesRead));
        Assert.Null(groups.TryCreate(B("ab"), StreamId.Min, 0));
        Assert.Equal(["", "a", "ab", "b", "\xff"], Enumerable.Range(0, groups.Count).Select(i => Encoding.Latin1.GetString(groups[i].Name)));
        Assert.True(groups.Remove(B("a")));
        Assert.False(groups.Remove(B("a")));
        Assert.Null(groups.Find(B("a")));
        Assert.NotNull(groups.Find(B("ab")));

        var g = groups.Find(B("b"))!;
        Assert.NotNull(g.TryCreateConsumer(B("zed"), 10));
        Assert.NotNull(g.TryCreateConsumer(B("al"), 10));
        Assert.Null(g.TryCreateConsumer(B("al"), 20));
        Assert.Equal(10, g.FindConsumer(B("al"))!.SeenTime);
        g.GetOrCreateConsumer(B("al"), 30, out var created);
        Assert.False(created);
        Assert.Equal(30, g.FindConsumer(B("al"))!.SeenTime);
        Assert.Equal(["al", "zed"], Enumerable.Range(0, g.ConsumerCount).Select(i => Encoding.ASCII.GetString(g.Consumer(i).Name)));
    }

    [Fact]
    public void Delivery_fills_both_pels_and_redelivery_moves_the_nack_with_its_count_reset()
    {
        var g = new StreamGroups().TryCreate(B("g"), StreamId.Min, 0)!;
        var alice = g.TryCreateConsumer(B("alice"), 0)!;
        var bob = g.TryCreateConsumer(B("bob"), 0)!;
        for (ulong i = 1; i <= 3; i++) g.Deliver(new StreamId(i, 0), alice, 100);
        g.Pending.TryGet(new StreamId(2, 0), out var nack);
        nack.DeliveryCount = 7;

        var again = g.Deliver(new StreamId(2, 0), bob, 200);
        Assert.Same(nack, again);
        Assert.Equal(1, again.DeliveryCount);
        Assert.Equal(200, again.DeliveryTime);
        Assert.Same(bob, again.Consumer);
        Assert.Equal(3, g.Pending.Count);
        Assert.Equal(["1-0", "3-0"], Ids(alice.Pending, StreamId.Min, StreamId.Max));
        Assert.Equal(["2-0"], Ids(bob.Pending, StreamId.Min, StreamId.Max));

        Assert.True(g.Acknowledge(new StreamId(3, 0)));
        Assert.False(g.Acknowledge(new StreamId(3, 0)));
        Assert.Equal(["1-0"], Ids(alice.Pending, StreamId.Min, StreamId.Max));
        Assert.Equal(2, g.Pending.Count);
    }

    [Fact]
    public void Deleting_a_consumer_drops_its_entries_from_the_group_pel()
    {
        var g = new StreamGroups().TryCreate(B("g"), StreamId.Min, 0)!;
        var alice = g.TryCreateConsumer(B("alice"), 0)!;
        var bob = g.TryCreateConsumer(B("bob"), 0)!;
        g.Deliver(new StreamId(1, 0), alice, 0);
        g.Deliver(new StreamId(2, 0), bob, 0);
        g.Deliver(new StreamId(3, 0), alice, 0);
        Assert.Equal(2, g.DeleteConsumer(alice));
        Assert.Null(g.FindConsumer(B("alice")));
        Assert.Equal(["2-0"], Ids(g.Pending, StreamId.Min, StreamId.Max));
    }

    [Fact]
    public void Transfer_and_forced_nacks()
    {
        var g = new StreamGroups().TryCreate(B("g"), StreamId.Min, 0)!;
        var alice = g.TryCreateConsumer(B("alice"), 0)!;
        var bob = g.TryCreateConsumer(B("bob"), 0)!;
        var forced = g.AddUnowned(new StreamId(5, 0), 7);
        Assert.Equal(1, forced.DeliveryCount);
        Assert.Null(forced.Consumer);
        StreamGroup.Transfer(forced, alice);
        Assert.Same(alice, forced.Consumer);
        StreamGroup.Transfer(forced, bob);
        Assert.Equal(0, alice.Pending.Count);
        Assert.Equal(["5-0"], Ids(bob.Pending, StreamId.Min, StreamId.Max));
    }

    [Fact]
    public void Pel_ranges_and_seeks()
    {
        var g = new StreamGroups().TryCreate(B("g"), StreamId.Min, 0)!;
        var c = g.TryCreateConsumer(B("c"), 0)!;
        foreach (var ms in new ulong[] { 10, 20, 30, 40 }) g.Deliver(new StreamId(ms, 1), c, 0);
        Assert.Equal(["20-1", "30-1"], Ids(g.Pending, new StreamId(11, 0), new StreamId(30, 1)));
        Assert.Empty(Ids(g.Pending, new StreamId(41, 0), StreamId.Max));
        Assert.Empty(Ids(g.Pending, new StreamId(30, 0), new StreamId(20, 0)));
        Assert.Equal("10-1", g.Pending.FirstAtOrAfter(StreamId.Min)!.Id.ToString());
        Assert.Equal("30-1", g.Pending.FirstAtOrAfter(new StreamId(20, 2))!.Id.ToString());
        Assert.Null(g.Pending.FirstAtOrAfter(new StreamId(40, 2)));
        Assert.Equal("10-1", g.Pending.First!.Id.ToString());
        Assert.Equal("40-1", g.Pending.Last!.Id.ToString());
    }

    [Fact]
    public void Deep_copies_share_nothing()
    {
        var groups = new StreamGroups();
        var g = groups.TryCreate(B("g"), new StreamId(9, 9), 4)!;
        var c = g.TryCreateConsumer(B("c"), 5)!;
        g.Deliver(new StreamId(1, 0), c, 50).DeliveryCount = 3;

        var copy = groups.DeepCopy();
        var cg = copy.Find(B("g"))!;
        Assert.Equal(new StreamId(9, 9), cg.LastId);
        Assert.Equal(4, cg.EntriesRead);
        var cc = cg.FindConsumer(B("c"))!;
        Assert.NotSame(c, cc);
        Assert.True(cg.Pending.TryGet(new StreamId(1, 0), out var cn));
        Assert.Same(cc, cn.Consumer);
        Assert.Equal(3, cn.DeliveryCount);
        Assert.Equal(50, cn.DeliveryTime);
        Assert.True(cc.Pending.TryGet(new StreamId(1, 0), out var ccn));
        Assert.Same(cn, ccn);

        g.Acknowledge(new StreamId(1, 0));
        g.LastId = StreamId.Max;
        Assert.Equal(1, cg.Pending.Count);
        Assert.Equal(new StreamId(9, 9), cg.LastId);
    }

    /// <summary>redis-server 7.0.15: MEMORY USAGE SAMPLES 0 of a stream with one group whose one consumer ("c1") has
    /// every entry pending, minus the same stream without the group.</summary>
    [Theory]
    [InlineData(1, 1098)]
    [InlineData(2, 3106)]
    [InlineData(3, 4138)]
    [InlineData(10, 11362)]
    [InlineData(100, 104242)]
    [InlineData(1000, 1034994)]
    public void Memory_usage_matches_redis_for_sequential_ids(int n, long expected)
    {
        var groups = new StreamGroups();
        var g = groups.TryCreate(B("g"), StreamId.Min, 0)!;
        var c = g.TryCreateConsumer(B("c1"), 0)!;
        for (var i = 1; i <= n; i++) g.Deliver(new StreamId((ulong)i, 0), c, 0);
        Assert.Equal(expected, groups.MemoryUsage());
    }

    [Theory]
    [InlineData(100, 105706)]
    [InlineData(1000, 1046706)]
    public void Memory_usage_matches_redis_for_clock_like_ids(int n, long expected)
    {
        var groups = new StreamGroups();
        var g = groups.TryCreate(B("g"), StreamId.Min, 0)!;
        var c = g.TryCreateConsumer(B("c1"), 0)!;
        for (var i = 0; i < n; i++) g.Deliver(new StreamId(1700000000000UL + (ulong)i * 7, (ulong)(i % 3)), c, 0);
        Assert.Equal(expected, groups.MemoryUsage());
    }

    [Fact]
    public void An_empty_pel_is_a_root_node()
    {
        var groups = new StreamGroups();
        groups.TryCreate(B("g"), StreamId.Min, 0);
        Assert.Equal(1, groups[0].Pending.RaxNodeCount());
        Assert.Equal(40 + 244, groups.MemoryUsage());
    }

    /// <summary>redis-server 7.0.15 (rdbcompression no): DEBUG OBJECT's serializedlength of a 3-entry stream grows by
    /// 154 bytes with a group "g" (last ID 3-0, entries_read 3) whose consumer "c1" has the 3 entries pending and
    /// "c2" none, and by 16 more with a group "g2" at $ (entries_read unknown: -1, a 9-byte length).</summary>
    [Fact]
    public void Serialized_length_of_the_groups_matches_redis()
    {
        var stream = new RedisStream();
        for (ulong i = 1; i <= 3; i++) stream.Append(new StreamId(i, 0), [B("f"), B("v")]);
        var alone = SerializedLength(stream);
        var groups = stream.Groups = new StreamGroups();
        var g = groups.TryCreate(B("g"), new StreamId(3, 0), 3)!;
        var c1 = g.TryCreateConsumer(B("c1"), 1796583245602)!;
        g.TryCreateConsumer(B("c2"), 1796583245602);
        for (ulong i = 1; i <= 3; i++) g.Deliver(new StreamId(i, 0), c1, 1796583245602);
        Assert.Equal(alone + 154, SerializedLength(stream));
        groups.TryCreate(B("g2"), new StreamId(3, 0), StreamGroup.InvalidEntriesRead);
        Assert.Equal(alone + 154 + 16, SerializedLength(stream));
    }

    /// <summary>rdbSavedObjectLen without LZF: what the RDB stream encoder writes.</summary>
    private static long SerializedLength(RedisStream stream)
    {
        var writer = new AkkaRedis.Actors.Storage.Rdb.RdbWriter();
        AkkaRedis.Actors.Storage.Rdb.RdbStream.Write(writer, stream, compress: false);
        return writer.Length;
    }
}
