using AkkaRedis.Actors.Commands;
using AkkaRedis.Actors.Storage;
using AkkaRedis.Net.Resp;
using Xunit;

namespace AkkaRedis.Tests.Unit.Storage;

/// <summary>The shards' WATCH tables (Redis 7.0's touchWatchedKey / touchAllWatchedKeysInDb rules) and MULTI's queue copies.</summary>
public sealed class WatchTableTests
{
    private static readonly long Now = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
    private static byte[] B(string s) => System.Text.Encoding.UTF8.GetBytes(s);

    [Fact]
    public void Touch_dirties_every_watcher_of_the_key_and_no_other()
    {
        var db = new Database(0);
        var table = db.Watched = new WatchTable();
        var (w1, w2, w3) = (new Watcher(), new Watcher(), new Watcher());
        table.Add(B("k"), w1, expired: false);
        table.Add(B("k"), w1, expired: false);
        table.Add(B("k"), w2, expired: false);
        table.Add(B("other"), w3, expired: false);
        Assert.Equal(2, table.Count);
        db.SetString(B("k"), B("v"), Now);
        table.Touch(db, B("k"));
        Assert.True(w1.Dirty);
        Assert.True(w2.Dirty);
        Assert.False(w3.Dirty);
        table.Remove(B("k"), w1);
        table.Remove(B("k"), w2);
        Assert.Null(table.Find(B("k"), w1));
        Assert.Equal(1, table.Count);
    }

    [Fact]
    public void A_key_watched_expired_is_no_change_when_it_goes_but_is_when_it_is_written_again()
    {
        var db = new Database(0);
        var table = db.Watched = new WatchTable();
        var w = new Watcher();
        table.Add(B("k"), w, expired: true);
        // The expiry path signals a key still in the table but expired: gone, logically no change.
        db.SetExpire(db.SetString(B("k"), B("v"), Now), 1);
        table.Touch(db, B("k"));
        Assert.False(w.Dirty);
        Assert.False(table.Find(B("k"), w)!.Expired);
        db.SetString(B("k"), B("v2"), Now);
        table.Touch(db, B("k"));
        Assert.True(w.Dirty);
    }

    [Fact]
    public void Flush_touches_existing_keys_and_swap_keys_existing_in_either_database()
    {
        var db0 = new Database(0);
        var db1 = new Database(1);
        var table = db0.Watched = new WatchTable();
        var (present, missing, onlyInOther) = (new Watcher(), new Watcher(), new Watcher());
        db0.SetString(B("present"), B("v"), Now);
        db1.SetString(B("other"), B("v"), Now);
        table.Add(B("present"), present, expired: false);
        table.Add(B("missing"), missing, expired: false);
        table.Add(B("other"), onlyInOther, expired: false);
        table.TouchAll(db0, db1, Now);
        Assert.True(present.Dirty);
        Assert.False(missing.Dirty);
        Assert.True(onlyInOther.Dirty);
        var afterFlush = new Watcher();
        table.Add(B("other"), afterFlush, expired: false);
        table.TouchAll(db0, null, Now);
        Assert.False(afterFlush.Dirty);
    }

    [Fact]
    public void Queued_commands_keep_their_own_copies_in_one_arena()
    {
        var queue = new MultiQueue();
        var buffer = B("SETkeyvalue");
        var def = new CommandDef("set", -3, CommandFlags.Write, 1, 1, 1, AclCategories.None);
        for (var i = 0; i < 100; i++)
            queue.Add(def, new CommandArgs([new ArgSlice(buffer, 0, 3), new ArgSlice(buffer, 3, 3), new ArgSlice(buffer, 6, 5)], 0, 3));
        buffer.AsSpan().Clear();
        Assert.Equal(100, queue.Count);
        Assert.All(queue.Args, a => Assert.Equal("value", a[2].ToString()));
        // Redis's multi-mem: the arguments' bytes and an argv pointer each.
        Assert.Equal(100 * (11 + 3 * IntPtr.Size), queue.Memory);
        queue.Clear();
        Assert.Equal(0, queue.Count);
        Assert.Equal(0, queue.Memory);
    }
}
