using System.Text;
using AkkaRedis.Actors.Storage;

namespace AkkaRedis.Tests.Unit.Storage;

public sealed class DatabaseExpiryTests
{
    private static byte[] B(string s) => Encoding.UTF8.GetBytes(s);

    [Fact]
    public void A_key_is_alive_until_the_clock_passes_its_expiry_time()
    {
        // Redis's keyIsExpired: expired when now > when, so the expiry millisecond itself still reads the key.
        var db = new Database(0);
        var obj = RedisObject.NewString(B("k"), B("v"));
        db.Set(obj, 0);
        db.SetExpire(obj, 1000);
        Assert.False(Database.IsExpired(obj, 999));
        Assert.False(Database.IsExpired(obj, 1000));
        Assert.True(Database.IsExpired(obj, 1001));
        Assert.Same(obj, db.Find(B("k"), 1000));
        Assert.Null(db.Find(B("k"), 1001));
        Assert.Equal(0, db.Count);
        Assert.Equal(1, db.Stats.ExpiredKeys);
        Assert.False(Database.IsExpired(RedisObject.NewString(B("p"), B("v")), long.MaxValue));
    }

    [Fact]
    public void The_active_cycle_spares_keys_at_their_expiry_millisecond()
    {
        var db = new Database(0);
        var obj = RedisObject.NewString(B("k"), B("v"));
        db.Set(obj, 0);
        db.SetExpire(obj, 1000);
        db.ActiveExpire(1000, new Random(1), long.MaxValue);
        Assert.Equal(1, db.Count);
        db.ActiveExpire(1001, new Random(1), long.MaxValue);
        Assert.Equal(0, db.Count);
    }

    [Fact]
    public void RandomKey_keeps_drawing_past_any_number_of_expired_keys()
    {
        var db = new Database(0);
        for (var i = 0; i < 1000; i++)
        {
            var dead = RedisObject.NewString(B("dead:" + i), B("v"));
            db.Set(dead, 0);
            db.SetExpire(dead, 10);
        }
        var live = RedisObject.NewString(B("live"), B("v"));
        db.Set(live, 0);
        Assert.Same(live, db.RandomKey(new Random(3), 100));
        db.Delete(live);
        Assert.Null(db.RandomKey(new Random(3), 100));
        Assert.Equal(0, db.Count);
        Assert.Equal(0, db.VolatileCount);
    }
}
