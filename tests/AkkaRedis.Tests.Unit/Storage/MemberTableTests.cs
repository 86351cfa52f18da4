using System.Text;
using AkkaRedis.Actors.Storage;

namespace AkkaRedis.Tests.Unit.Storage;

public sealed class MemberTableTests
{
    private static byte[] B(string s) => Encoding.UTF8.GetBytes(s);
    private static byte[] M(int i) => B("m" + i);

    [Fact]
    public void Prefetch_hints_for_any_hash_and_stage_leave_the_table_as_it_was()
    {
        var t = new MemberTable<int>();
        for (var i = 0; i < 3000; i++) t.Add(M(i), i);
        for (var i = 0; i < 3000; i += 3) t.Remove(M(i)); // free slots, emptied chains
        var random = new Random(7);
        for (var stage = 0; stage < 3; stage++)
        {
            for (var i = 0; i < 3500; i++) t.Prefetch(Actors.Storage.KeyTable.HashOf(M(i)), stage); // present and absent
            for (var i = 0; i < 1000; i++) t.Prefetch(random.Next(int.MinValue, int.MaxValue), stage);
        }
        new MemberTable<int>().Prefetch(12345, 2); // empty
        Assert.Equal(2000, t.Count);
        for (var i = 0; i < 3000; i++)
        {
            Assert.Equal(i % 3 != 0, t.TryGetValue(M(i), out var v));
            if (i % 3 != 0) Assert.Equal(i, v);
        }
    }

    [Fact]
    public void The_member_table_of_a_stored_value_is_found_for_table_encodings_only()
    {
        var db = new Database(0);
        var hash = new MemberTable<byte[]>();
        var set = new RedisSet();
        var zset = new RedisSortedSet();
        db.SetValue(B("h"), RedisType.Hash, ObjectEncoding.HashTable, hash, 0);
        db.SetValue(B("s"), RedisType.Set, ObjectEncoding.HashTable, set, 0);
        db.SetValue(B("z"), RedisType.ZSet, ObjectEncoding.SkipList, zset, 0);
        db.SetValue(B("small"), RedisType.Hash, ObjectEncoding.ListPack, RedisHash.CreateEmpty(), 0);
        db.SetString(B("str"), B("v"), 0);
        Assert.Same(hash, IMemberPrefetch.Of(db.Table.PeekValue("h"u8)));
        Assert.Same(set.Table, IMemberPrefetch.Of(db.Table.PeekValue("s"u8)));
        Assert.Same(zset.Table, IMemberPrefetch.Of(db.Table.PeekValue("z"u8)));
        Assert.Null(IMemberPrefetch.Of(db.Table.PeekValue("small"u8)));
        Assert.Null(IMemberPrefetch.Of(db.Table.PeekValue("str"u8)));
        Assert.Null(db.Table.PeekValue("missing"u8));
    }

    [Fact]
    public void Add_set_get_and_remove()
    {
        var t = new MemberTable<int>();
        Assert.True(t.Add(B("a"), 1));
        Assert.False(t.Add(B("a"), 2));
        Assert.True(t.TryGetValue("a"u8, out var v));
        Assert.Equal(1, v);
        Assert.False(t.Set(B("a"), 3));
        Assert.True(t.Set(B(""), 4));
        Assert.Equal(2, t.Count);
        t.FindValue("a"u8) += 10;
        Assert.True(t.TryGetValue("a"u8, out v));
        Assert.Equal(13, v);
        Assert.True(System.Runtime.CompilerServices.Unsafe.IsNullRef(ref t.FindValue("zz"u8)));
        Assert.True(t.Remove("a"u8, out var stored, out v));
        Assert.Equal("a", Encoding.UTF8.GetString(stored));
        Assert.Equal(13, v);
        Assert.False(t.Remove("a"u8));
        Assert.True(t.Contains(""u8));
        Assert.Equal(1, t.Count);
    }

    [Fact]
    public void Grows_and_shrinks_keeping_every_member()
    {
        var t = new MemberTable<int>();
        for (var i = 0; i < 10_000; i++) Assert.True(t.Add(M(i), i));
        Assert.True(t.BucketCount >= 10_000);
        for (var i = 0; i < 10_000; i += 2) Assert.True(t.Remove(M(i)));
        for (var i = 0; i < 9_990; i++)
            if (i % 2 == 1) Assert.True(t.Remove(M(i)));
        Assert.Equal(5, t.Count);
        Assert.True(t.BucketCount <= 64, "buckets shrink below 10% fill");
        var seen = new List<int>();
        foreach (var (member, value) in t)
        {
            Assert.Equal("m" + value, Encoding.UTF8.GetString(member));
            seen.Add(value);
        }
        Assert.Equal([9991, 9993, 9995, 9997, 9999], seen.Order());
    }

    [Fact]
    public void Scan_returns_every_member_present_throughout_even_when_the_table_resizes_between_steps()
    {
        var t = new MemberTable<int>();
        for (var i = 0; i < 100; i++) t.Add(M(i), i);
        var seen = new HashSet<int>();
        var output = new List<(byte[] Member, int Value)>();
        ulong cursor = 0;
        var step = 0;
        do
        {
            cursor = t.ScanStep(cursor, output);
            foreach (var (_, v) in output) seen.Add(v);
            output.Clear();
            step++;
            // Grow 64x, then shrink back, while the scan runs: members 0..99 stay throughout.
            if (step == 10)
            {
                for (var i = 100; i < 8000; i++) t.Add(M(i), i);
                Assert.True(t.BucketCount >= 8000);
            }
            if (step == 200)
            {
                for (var i = 100; i < 8000; i++) t.Remove(M(i));
                Assert.True(t.BucketCount <= 128);
            }
        } while (cursor != 0);
        Assert.True(step > 200);
        for (var i = 0; i < 100; i++) Assert.Contains(i, seen);
    }

    [Fact]
    public void Random_reaches_every_member()
    {
        var t = new MemberTable<int>();
        for (var i = 0; i < 20; i++) t.Add(M(i), i);
        var rng = new Random(1);
        var seen = new HashSet<int>();
        for (var i = 0; i < 2000 && seen.Count < 20; i++) seen.Add(t.Random(rng).Value);
        Assert.Equal(20, seen.Count);
        t.Clear();
        Assert.Equal(0, t.Count);
        Assert.Throws<InvalidOperationException>(() => t.Random(rng));
    }
}
