using System.Text;
using AkkaRedis.Actors.Storage;

namespace AkkaRedis.Tests.Unit.Storage;

/// <summary>The compact key table and the Database writes over it, without any command.</summary>
public sealed class KeyTableTests
{
    private static byte[] B(string s) => Encoding.UTF8.GetBytes(s);
    private static string S(ReadOnlySpan<byte> b) => Encoding.UTF8.GetString(b);

    [Fact]
    public void Prefetch_hints_for_any_hash_and_stage_leave_the_table_as_it_was()
    {
        var db = new Database(0);
        for (var i = 0; i < 3000; i++) db.SetString(B("key:" + i), B("v" + i), 0);
        for (var i = 0; i < 3000; i += 3) db.Remove(B("key:" + i), 0); // free slots, emptied chains
        var random = new Random(7);
        for (var stage = 0; stage < 3; stage++)
        {
            for (var i = 0; i < 3500; i++) db.Table.Prefetch(KeyTable.HashOf(B("key:" + i)), stage); // present and absent keys
            for (var i = 0; i < 1000; i++) db.Table.Prefetch(random.Next(int.MinValue, int.MaxValue), stage);
        }
        Assert.Equal(2000, db.Count);
        for (var i = 0; i < 3000; i++)
        {
            var e = db.Find(B("key:" + i), 0);
            Assert.Equal(i % 3 != 0, e.Exists);
            if (e.Exists) Assert.Equal("v" + i, S(e.RawBytes));
        }
    }

    [Theory]
    [InlineData(0, 0)]
    [InlineData(0, 5)]
    [InlineData(3, 0)]
    [InlineData(8, 10)]
    [InlineData(100, 44)]
    [InlineData(100, 45)]
    [InlineData(1, 512 * 1024)]
    [InlineData(512 * 1024, 3)]
    public void Keys_and_values_of_any_size_round_trip(int keyLength, int valueLength)
    {
        var db = new Database(0);
        var key = new byte[keyLength];
        var value = new byte[valueLength];
        new Random(keyLength + valueLength).NextBytes(key);
        for (var i = 0; i < value.Length; i++) value[i] = (byte)('a' + i % 26);
        db.SetString(key, value, 0);
        var e = db.Find(key, 0);
        Assert.True(e.Exists);
        Assert.True(e.Key.SequenceEqual(key));
        Assert.True(e.RawBytes.SequenceEqual(value));
        Assert.Equal(valueLength, e.StringLength);
        Assert.Equal(valueLength <= 44 ? ObjectEncoding.EmbStr : ObjectEncoding.Raw, e.Encoding);
        // Stored as copies: changing the caller's arrays changes nothing.
        value.AsSpan().Fill((byte)'!');
        Assert.NotEqual((byte)'!', valueLength == 0 ? (byte)0 : db.Find(key, 0).RawBytes[0]);
    }

    [Theory]
    [InlineData("0", 0L)]
    [InlineData("-1", -1L)]
    [InlineData("9223372036854775807", long.MaxValue)]
    [InlineData("-9223372036854775808", long.MinValue)]
    public void Canonical_integers_are_stored_as_longs(string text, long expected)
    {
        var db = new Database(0);
        var e = db.SetString(B("n"), B(text), 0);
        Assert.Equal(ObjectEncoding.Int, e.Encoding);
        Assert.Equal(expected, e.IntValue);
        Assert.Equal(text.Length, e.StringLength);
        Span<byte> scratch = stackalloc byte[24];
        Assert.Equal(text, S(e.StringBytes(scratch)));
    }

    [Theory]
    [InlineData("01")]
    [InlineData("+1")]
    [InlineData("-0")]
    [InlineData(" 1")]
    [InlineData("9223372036854775808")]
    [InlineData("1.0")]
    public void Other_numbers_stay_strings_byte_for_byte(string text)
    {
        var db = new Database(0);
        var e = db.SetString(B("n"), B(text), 0);
        Assert.Equal(ObjectEncoding.EmbStr, e.Encoding);
        Assert.Equal(text, S(e.RawBytes));
    }

    [Fact]
    public void Incrementing_an_int_rewrites_it_in_place_and_keeps_the_ttl()
    {
        var db = new Database(0);
        var e = db.SetString(B("n"), B("41"), 0);
        db.SetExpire(e, 5000);
        db.OverwriteInt(e, 42);
        var again = db.Find(B("n"), 0);
        Assert.Equal(42, again.IntValue);
        Assert.Equal(5000, again.ExpireAt);
        db.OverwriteString(again, B("forty-two"), ObjectEncoding.EmbStr);
        Assert.Equal("forty-two", S(db.Find(B("n"), 0).RawBytes));
        Assert.Equal(5000, db.Find(B("n"), 0).ExpireAt);
    }

    [Fact]
    public void Overwriting_replaces_the_value_and_drops_the_ttl_unless_kept()
    {
        var db = new Database(0);
        db.SetExpire(db.SetString(B("k"), B("one"), 0), 100);
        db.SetString(B("k"), B("two"), 0, keepTtl: true);
        Assert.Equal(100, db.Find(B("k"), 0).ExpireAt);
        db.SetString(B("k"), B("three!"), 0);
        var e = db.Find(B("k"), 0);
        Assert.Equal("three!", S(e.RawBytes));
        Assert.Equal(-1, e.ExpireAt);
        Assert.Equal(1, db.Count);
        Assert.Equal(0, db.VolatileCount);
        var list = new RedisList();
        db.SetValue(B("k"), RedisType.List, ObjectEncoding.QuickList, list, 0);
        Assert.Same(list, db.Find(B("k"), 0).As<RedisList>());
        Assert.Equal("k", S(db.Find(B("k"), 0).Key));
        db.SetString(B("k"), B("str"), 0);
        Assert.Equal(RedisType.String, db.Find(B("k"), 0).Type);
        Assert.Null(db.Find(B("k"), 0).Value);
    }

    [Fact]
    public void Resize_string_keeps_the_prefix_and_zero_fills()
    {
        var db = new Database(0);
        var grown = db.ResizeString(db.SetString(B("k"), B("123"), 0), 6);
        Assert.Equal(new byte[] { (byte)'1', (byte)'2', (byte)'3', 0, 0, 0 }, grown.ToArray());
        Assert.Equal(ObjectEncoding.Raw, db.Find(B("k"), 0).Encoding);
        Assert.Equal("12", S(db.ResizeString(db.Find(B("k"), 0), 2)));
    }

    [Fact]
    public void Inserts_deletes_and_reinserts_across_many_resizes()
    {
        var db = new Database(0);
        const int N = 20_000;
        for (var i = 0; i < N; i++) db.SetString(B("key:" + i), B("v" + i), 0);
        Assert.Equal(N, db.Count);
        Assert.True(db.ScanBucketCount >= N);
        for (var i = 0; i < N; i += 2) Assert.True(db.Remove(B("key:" + i), 0));
        Assert.Equal(N / 2, db.Count);
        for (var i = 0; i < N; i++)
        {
            var e = db.Find(B("key:" + i), 0);
            Assert.Equal(i % 2 == 1, e.Exists);
            if (e.Exists) Assert.Equal("v" + i, S(e.RawBytes));
        }
        for (var i = 0; i < N - 10; i++) db.Remove(B("key:" + i), 0);
        Assert.Equal(5, db.Count);
        Assert.True(db.ScanBucketCount < 64); // shrunk below 10% fill, as Redis's htNeedsResize
        for (var i = 0; i < N; i++) db.SetString(B("new:" + i), B("x"), 0);
        Assert.Equal(N + 5, db.Count);
        Assert.Equal("v19999", S(db.Find(B("key:19999"), 0).RawBytes));
    }

    [Fact]
    public void Compaction_gives_pages_back_and_keeps_every_key_and_ttl()
    {
        var db = new Database(0);
        const int N = 10_000;
        for (var i = 0; i < N; i++)
        {
            var e = db.SetString(B("key:" + i), B("v" + i), 0);
            if (i % 3 == 0) db.SetExpire(e, 1_000_000 + i);
        }
        var capacity = db.Table.SlotCapacity;
        for (var i = 0; i < N; i++)
            if (i % 10 != 0) db.Remove(B("key:" + i), 0);
        Assert.True(db.Compact());
        Assert.True(db.Table.SlotCapacity < capacity / 4);
        Assert.False(db.Compact());
        Assert.Equal(N / 10, db.Count);
        Assert.Equal(Enumerable.Range(0, N).Count(i => i % 10 == 0 && i % 3 == 0), db.VolatileCount);
        for (var i = 0; i < N; i += 10)
        {
            var e = db.Find(B("key:" + i), 0);
            Assert.Equal("v" + i, S(e.RawBytes));
            Assert.Equal(i % 3 == 0 ? 1_000_000 + i : -1, e.ExpireAt);
        }
        // The TTL side table still points at the moved slots: active expiry removes exactly the keys with a TTL.
        db.ActiveExpire(long.MaxValue, new Random(1), long.MaxValue);
        while (db.VolatileCount > 0) db.ActiveExpire(long.MaxValue, new Random(2), long.MaxValue);
        Assert.Equal(Enumerable.Range(0, N).Count(i => i % 10 == 0 && i % 3 != 0), db.Count);
        var seen = 0;
        foreach (var e in db.AllKeys())
        {
            Assert.Equal(-1, e.ExpireAt);
            seen++;
        }
        Assert.Equal(db.Count, seen);
    }

    [Fact]
    public void Volatile_keys_are_sampled_in_constant_time_and_untracked_when_persisted_or_deleted()
    {
        var db = new Database(0);
        for (var i = 0; i < 100; i++) db.SetExpire(db.SetString(B("t:" + i), B("v"), 0), 10 + i);
        for (var i = 0; i < 100; i++) db.SetString(B("p:" + i), B("v"), 0);
        Assert.Equal(100, db.VolatileCount);
        Assert.True(db.Persist(db.Find(B("t:0"), 0)));
        Assert.False(db.Persist(db.Find(B("t:0"), 0)));
        Assert.False(db.Persist(db.Find(B("p:0"), 0)));
        db.Remove(B("t:1"), 0);
        db.SetString(B("t:2"), B("overwritten"), 0);
        Assert.Equal(97, db.VolatileCount);
        Assert.Equal(0, db.AverageTtl(1000));
        Assert.InRange(db.AverageTtl(0), 10, 110);
        // Everything with a TTL has expired at 1000: the cycle removes them all and nothing else.
        while (db.VolatileCount > 0) db.ActiveExpire(1000, new Random(7), long.MaxValue);
        Assert.Equal(102, db.Count); // 200 keys, t:1 deleted, the 97 with a TTL expired
        Assert.True(db.Find(B("t:0"), 1000).Exists);
        Assert.True(db.Find(B("t:2"), 1000).Exists);
    }

    [Fact]
    public void Move_and_copy_carry_value_encoding_and_ttl()
    {
        var a = new Database(0);
        var b = new Database(1);
        a.SetExpire(a.SetString(B("n"), B("7"), 0), 900);
        b.MoveFrom(a, a.Find(B("n"), 0), B("m"), 0);
        Assert.False(a.Find(B("n"), 0).Exists);
        Assert.Equal(0, a.VolatileCount);
        var moved = b.Find(B("m"), 0);
        Assert.Equal(7, moved.IntValue);
        Assert.Equal(900, moved.ExpireAt);
        b.MoveFrom(b, b.Find(B("m"), 0), B("renamed"), 0);
        Assert.Equal(1, b.Count);
        Assert.Equal(900, b.Find(B("renamed"), 0).ExpireAt);
        var list = new RedisList();
        list.PushTail(B("x"));
        a.SetValue(B("l"), RedisType.List, ObjectEncoding.QuickList, list, 0);
        Assert.True(b.CopyFrom(a.Find(B("l"), 0), B("l2"), 0));
        var copy = b.Find(B("l2"), 0).As<RedisList>();
        Assert.NotSame(list, copy);
        Assert.Equal(1, copy.Count);
        a.SetValue(B("o"), RedisType.Hash, ObjectEncoding.HashTable, new object(), 0);
        Assert.False(b.CopyFrom(a.Find(B("o"), 0), B("o2"), 0));
        Assert.False(b.Find(B("o2"), 0).Exists);
    }

    [Fact]
    public void Lru_clock_is_24_bits_of_seconds_and_idle_time_survives_its_wrap()
    {
        var db = new Database(0);
        var e = db.SetString(B("k"), B("v"), 5_000);
        Assert.Equal(5u, e.Lru);
        Assert.Equal(10, db.Find(B("k"), 15_999).IdleSeconds(15_999));
        var wrap = (1L << 24) * 1000;
        Database.Touch(db.Find(B("k"), 0), wrap - 2000);
        Assert.Equal(5, db.Find(B("k"), 0).IdleSeconds(wrap + 3000));
        db.Lookup(B("k"), wrap + 3000);
        Assert.Equal(0, db.Find(B("k"), 0).IdleSeconds(wrap + 3000));
    }

    [Fact]
    public void Scan_returns_every_key_present_for_the_whole_scan_while_the_table_grows_and_shrinks()
    {
        var db = new Database(0);
        var stable = new HashSet<string>();
        for (var i = 0; i < 500; i++)
        {
            db.SetString(B("stable:" + i), B("v"), 0);
            stable.Add("stable:" + i);
        }
        var seen = new HashSet<string>();
        var keys = new List<byte[]>();
        ulong cursor = 0;
        var step = 0;
        var temp = 0;
        int minBuckets = int.MaxValue, maxBuckets = 0;
        do
        {
            keys.Clear();
            cursor = db.ScanStep(cursor, keys);
            foreach (var k in keys) seen.Add(Encoding.UTF8.GetString(k));
            // Between steps: grow a lot, then delete nearly everything else, then grow again.
            step++;
            if (step % 30 < 15)
                for (var i = 0; i < 200; i++) db.SetString(B("temp:" + temp++), B("v"), 0);
            else
                for (var i = temp - 1; i >= 0 && db.Count > 520; i--) db.Remove(B("temp:" + i), 0);
            if (step % 7 == 0) db.Compact(); // between commands, as the shard's tick does
            minBuckets = Math.Min(minBuckets, db.ScanBucketCount);
            maxBuckets = Math.Max(maxBuckets, db.ScanBucketCount);
        } while (cursor != 0);
        Assert.True(maxBuckets >= 4 * minBuckets, $"the table should have resized both ways ({minBuckets}..{maxBuckets})");
        Assert.Subset(seen, stable);
    }
}
