using System.Text;
using AkkaRedis.Actors.Storage;
using AkkaRedis.Actors.Storage.Rdb;

namespace AkkaRedis.Tests.Unit.Persistence;

/// <summary>
/// The point-in-time snapshot over live tables (Storage.ShardSnapshot): whatever happens between its steps (writes,
/// overwrites, deletes, expiries, renames, flushes, re-created keys, Compact moving slots), the records it writes are
/// exactly the keys as they were when it was marked, compared with a deep copy taken at that moment.
/// </summary>
public sealed class SnapshotTests
{
    private static byte[] B(string s) => Encoding.UTF8.GetBytes(s);

    /// <summary>A record the test can read back: the key, then type, TTL and value as text (strings and lists).</summary>
    private static void Describe(RdbWriter w, KeyEntry e)
    {
        // Plain lengths and bytes (not RDB's string encodings): the test reads exactly what it wrote.
        w.WriteLength((ulong)e.Key.Length);
        w.WriteBytes(e.Key);
        var description = B(Description(e));
        w.WriteLength((ulong)description.Length);
        w.WriteBytes(description);
    }

    private static string Description(KeyEntry e)
    {
        Span<byte> scratch = stackalloc byte[24];
        var value = e.Type switch
        {
            RedisType.String => Encoding.UTF8.GetString(e.StringBytes(scratch)),
            RedisType.List => string.Join(",", Elements(e.As<RedisList>())),
            _ => throw new NotSupportedException(),
        };
        return $"{e.Type}|{e.ExpireAt}|{value}";
    }

    private static IEnumerable<string> Elements(RedisList list)
    {
        for (var i = 0; i < list.Count; i++) yield return Encoding.UTF8.GetString(list[i]);
    }

    /// <summary>Every key of <paramref name="dbs"/> now, per database index: the expected content.</summary>
    private static Dictionary<(int, string), string> DeepCopy(params Database[] dbs)
    {
        var copy = new Dictionary<(int, string), string>();
        foreach (var db in dbs)
        foreach (var e in db.AllKeys())
            copy[(db.Index, Encoding.UTF8.GetString(e.Key))] = Description(e);
        return copy;
    }

    /// <summary>The records of every chunk, per database index; a key written twice fails.</summary>
    private static Dictionary<(int, string), string> Read(List<(int Db, byte[] Bytes)> chunks)
    {
        var records = new Dictionary<(int, string), string>();
        foreach (var (db, bytes) in chunks)
        {
            var r = new RdbReader(bytes);
            while (r.Remaining > 0)
            {
                var key = Encoding.UTF8.GetString(r.ReadBytes(r.ReadLength()));
                var value = Encoding.UTF8.GetString(r.ReadBytes(r.ReadLength()));
                Assert.True(records.TryAdd((db, key), value), $"key {key} of db {db} written twice");
            }
        }
        return records;
    }

    private static void AssertSame(Dictionary<(int, string), string> expected, Dictionary<(int, string), string> actual)
    {
        var missing = expected.Keys.Except(actual.Keys).Take(5).ToList();
        var extra = actual.Keys.Except(expected.Keys).Take(5).ToList();
        Assert.True(missing.Count == 0, "missing from the snapshot: " + string.Join(", ", missing));
        Assert.True(extra.Count == 0, "in the snapshot but not there at its start: " + string.Join(", ", extra));
        foreach (var (key, value) in expected) Assert.True(value == actual[key], $"{key}: expected {value}, snapshot has {actual[key]}");
    }

    private static List<(int, byte[])> Drain(ShardSnapshot snapshot, List<(int, byte[])> into)
    {
        snapshot.TakeChunks(0, (db, bytes) => into.Add((db, bytes.AsSpan().ToArray())));
        return into;
    }

    private static RedisList List(params string[] items)
    {
        var list = new RedisList();
        foreach (var i in items) list.PushTail(B(i));
        return list;
    }

    private static void Fill(Database db, int keys, long now, Random rng)
    {
        for (var i = 0; i < keys; i++)
        {
            var key = B($"k{i}");
            switch (i % 3)
            {
                case 0: db.SetString(key, B($"v{i}"), now); break;
                case 1: db.SetInt(key, i, now); break;
                default: db.SetValue(key, RedisType.List, ObjectEncoding.QuickList, List($"a{i}", $"b{i}"), now); break;
            }
            if (rng.Next(4) == 0) db.SetExpire(db.Find(key, now), now + 1000 + rng.Next(100_000));
        }
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(4)]
    public void Random_writes_between_steps_leave_the_snapshot_time_content(int seed)
    {
        var rng = new Random(seed);
        const long now = 1_000_000;
        var db0 = new Database(0);
        var db1 = new Database(1);
        Fill(db0, 3000, now, rng);
        Fill(db1, 500, now, rng);
        // Free slots at the start (on the free list, below the snapshot's range): keys added later reuse them.
        for (var i = 0; i < 3000; i += 7) db0.Remove(B($"k{i}"), now);
        var expected = DeepCopy(db0, db1);

        var snapshot = new ShardSnapshot(16, Describe);
        snapshot.Mark(db0);
        snapshot.Mark(db1);
        Assert.Equal(3000 - 429, snapshot.Keys[0]);
        Assert.Equal(500, snapshot.Keys[1]);
        var chunks = new List<(int, byte[])>();
        var steps = 0;
        var clock = now;
        var next = 10_000;
        while (!snapshot.Step(rng.Next(1, 200), long.MaxValue))
        {
            steps++;
            for (var op = 0; op < 50; op++)
            {
                var db = rng.Next(5) == 0 ? db1 : db0;
                var key = B($"k{rng.Next(3500)}");
                switch (rng.Next(11))
                {
                    case 0: db.SetString(key, B("overwritten"), clock); break;                  // overwrite (or a new key)
                    case 1: db.Remove(key, clock); break;                                     // DEL
                    case 2:                                                                     // deleted, then re-created
                        db.Remove(key, clock);
                        db.SetString(key, B("reborn"), clock);
                        break;
                    case 3:                                                                     // INCR in place
                        if (db.LookupWrite(key, clock) is { Exists: true, IsInt: true } n) db.OverwriteInt(n, n.IntValue + 1);
                        break;
                    case 4:                                                                     // RPUSH in place
                        if (db.LookupWrite(key, clock) is { Exists: true, Type: RedisType.List } l) l.As<RedisList>().PushTail(B("pushed"));
                        break;
                    case 5:                                                                     // RENAME / MOVE
                        var source = db.LookupWrite(key, clock);
                        if (source.Exists) (rng.Next(2) == 0 ? db0 : db1).MoveFrom(db, source, B($"k{rng.Next(3500)}"), clock);
                        break;
                    case 6:                                                                     // EXPIRE, PERSIST
                        var e = db.LookupWrite(key, clock);
                        if (!e.Exists) break;
                        if (rng.Next(2) == 0) db.SetExpire(e, clock + rng.Next(1, 50_000));
                        else db.Persist(e);
                        break;
                    case 7: clock += rng.Next(0, 2000); db.Find(key, clock); break;              // lazy expiry
                    case 8: db.ActiveExpire(clock += 5000, rng, long.MaxValue); break;        // active expiry
                    case 9: db.SetString(B($"new{next++}"), B("after the start"), clock); break; // never in the file
                    default: db.Lookup(key, clock); break;                                       // a read
                }
            }
            if (rng.Next(40) == 0) (rng.Next(2) == 0 ? db0 : db1).Clear();                     // FLUSHDB
            if (rng.Next(10) == 0) Drain(snapshot, chunks);
        }
        Assert.True(steps > 10, "the walk should take several steps");
        AssertSame(expected, Read(Drain(snapshot, chunks)));
        Assert.True(snapshot.CowBytes > 0);
        Assert.Equal(3500 - 429, snapshot.Written);
    }

    [Fact]
    public void Compact_moving_pending_slots_ahead_of_and_behind_the_walk_loses_none()
    {
        const long now = 1_000_000;
        var db = new Database(0);
        Fill(db, 5000, now, new Random(7));
        var expected = DeepCopy(db);
        var snapshot = new ShardSnapshot(16, Describe);
        snapshot.Mark(db);
        Assert.False(snapshot.Step(500, long.MaxValue)); // slots 0..499 written
        for (var i = 0; i < 4000; i++) db.Remove(B($"k{i}"), now); // 500..3999 written early
        Assert.True(db.Compact()); // 4000..4999 move down to 0..999: half of them behind the walk's position
        Assert.Equal(1000, db.Count);
        while (!snapshot.Step(100, long.MaxValue)) db.Compact();
        AssertSame(expected, Read(Drain(snapshot, new())));
        // The table is let go: later changes are not written.
        db.SetString(B("k4999"), B("later"), now);
        Assert.Equal(0, snapshot.Buffered);
    }

    [Fact]
    public void Flush_during_the_walk_keeps_the_snapshot_time_keys_and_none_added_after()
    {
        const long now = 1_000_000;
        var db = new Database(0);
        Fill(db, 2000, now, new Random(3));
        var expected = DeepCopy(db);
        var snapshot = new ShardSnapshot(16, Describe);
        snapshot.Mark(db);
        snapshot.Step(300, long.MaxValue);
        db.Clear();
        Assert.Equal(0, snapshot.CowBytes); // a flush copies nothing: the old table goes to the walk as it is
        db.SetString(B("k5"), B("after the flush"), now);
        db.SetString(B("fresh"), B("after the flush"), now);
        while (!snapshot.Step(300, long.MaxValue)) db.SetString(B("k1"), B("again"), now);
        AssertSame(expected, Read(Drain(snapshot, new())));
    }

    [Fact]
    public void Nothing_is_written_early_when_the_keys_are_not_touched_and_an_abort_lets_the_tables_go()
    {
        const long now = 1_000_000;
        var db = new Database(0);
        Fill(db, 100, now, new Random(1));
        var snapshot = new ShardSnapshot(16, Describe);
        snapshot.Mark(db);
        snapshot.Abort();
        db.SetString(B("k1"), B("x"), now);
        db.Remove(B("k2"), now);
        Assert.Equal(0, snapshot.Written);
        Assert.True(snapshot.Done);
        // A new snapshot can start on the same table.
        var again = new ShardSnapshot(16, Describe);
        again.Mark(db);
        Assert.True(again.Step(1000, long.MaxValue));
        Assert.Equal(0, again.CowBytes);
        AssertSame(DeepCopy(db), Read(Drain(again, new())));
    }

    [Fact]
    public void Swapdb_during_the_walk_keeps_each_key_under_the_database_it_was_in_at_the_start()
    {
        const long now = 1_000_000;
        var shard = new AkkaRedis.Actors.Keyspace.ShardData(0, 16);
        Fill(shard.Databases[0], 1500, now, new Random(5));
        shard.Databases[1].SetString(B("only-in-1"), B("one"), now);
        var expected = DeepCopy(shard.Databases[0], shard.Databases[1]);
        var snapshot = new ShardSnapshot(16, Describe);
        foreach (var db in shard.Databases) snapshot.Mark(db);
        snapshot.Step(100, long.MaxValue);
        shard.Swap(0, 1);
        // Writes to the database now at index 0 (the old db 1) and to the one now at 1 (the old db 0).
        shard.Databases[0].SetString(B("only-in-1"), B("changed after the swap"), now);
        shard.Databases[1].Remove(B("k700"), now);
        shard.Databases[1].SetString(B("k701"), B("changed after the swap"), now);
        while (!snapshot.Step(100, long.MaxValue)) shard.Swap(0, 1);
        AssertSame(expected, Read(Drain(snapshot, new())));
    }
}
