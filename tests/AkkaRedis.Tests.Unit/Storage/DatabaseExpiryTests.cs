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
        db.SetExpire(db.SetString(B("k"), B("v"), 0), 1000);
        var entry = db.Find(B("k"), 0);
        Assert.False(entry.IsExpiredAt(999));
        Assert.False(entry.IsExpiredAt(1000));
        Assert.True(entry.IsExpiredAt(1001));
        Assert.True(db.Find(B("k"), 1000).Exists);
        Assert.False(db.Find(B("k"), 1001).Exists);
        Assert.Equal(0, db.Count);
        Assert.Equal(1, db.Stats.ExpiredKeys);
        Assert.False(db.SetString(B("p"), B("v"), 0).IsExpiredAt(long.MaxValue));
    }

    [Fact]
    public void The_active_cycle_spares_keys_at_their_expiry_millisecond()
    {
        var db = new Database(0);
        db.SetExpire(db.SetString(B("k"), B("v"), 0), 1000);
        db.ActiveExpire(1000, new Random(1), long.MaxValue);
        Assert.Equal(1, db.Count);
        var expired = new List<byte[]>();
        db.ActiveExpire(1001, new Random(1), long.MaxValue, expired);
        Assert.Equal(0, db.Count);
        Assert.Equal("k", Encoding.UTF8.GetString(Assert.Single(expired)));
    }

    [Fact]
    public void RandomKey_keeps_drawing_past_any_number_of_expired_keys()
    {
        var db = new Database(0);
        for (var i = 0; i < 1000; i++) db.SetExpire(db.SetString(B("dead:" + i), B("v"), 0), 10);
        db.SetString(B("live"), B("v"), 0);
        var pick = db.RandomKey(new Random(3), 100);
        Assert.Equal("live", Encoding.UTF8.GetString(pick.Key));
        db.Delete(pick);
        Assert.False(db.RandomKey(new Random(3), 100).Exists);
        Assert.Equal(0, db.Count);
        Assert.Equal(0, db.VolatileCount);
    }
}
