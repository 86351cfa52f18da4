using System.Text;
using AkkaRedis.Actors.Commands;

namespace AkkaRedis.Tests.Unit.Commands;

/// <summary>
/// Keyspace events of the set, sorted-set, stream and geo handlers where the differential scripts cannot go: SPOP
/// with a count smaller than the set (its reply is random, its events are not), and the guarantee that nothing is
/// published while notify-keyspace-events is empty. The event order itself is held to redis-server by
/// NotificationScripts (part B).
/// </summary>
public sealed class CollectionNotificationTests
{
    /// <summary>Every Publish call, as "channel message".</summary>
    private sealed class Recorder : IPublisher
    {
        public readonly List<string> Messages = [];

        public int Publish(ReadOnlySpan<byte> channel, ReadOnlySpan<byte> message)
        {
            Messages.Add(Encoding.UTF8.GetString(channel) + " " + Encoding.UTF8.GetString(message));
            return 0;
        }
    }

    private static (HandlerHarness Harness, Recorder Published) Harness(string classes)
    {
        var h = new HandlerHarness();
        var recorder = new Recorder();
        h.Server.Services.PubSub = recorder;
        Assert.Null(h.Server.Config.Set("notify-keyspace-events", classes));
        return (h, recorder);
    }

    [Theory]
    [InlineData(2)]  // a few of many: members removed one by one
    [InlineData(8)]  // most of them: the kept members move to a new set
    public void SpopOfPartOfTheSetIsOneSpopEvent(int count)
    {
        var (h, published) = Harness("KEA");
        h.Run("SADD", "s", "a", "b", "c", "d", "e", "f", "g", "h", "i", "j");
        published.Messages.Clear();
        h.Run("SPOP", "s", count.ToString());
        Assert.Equal(["__keyspace@0__:s spop", "__keyevent@0__:spop s"], published.Messages);
        Assert.Equal($":{10 - count}\r\n", h.Run("SCARD", "s"));
    }

    [Fact]
    public void IntsetSpopOfPartOfTheSetIsOneSpopEvent()
    {
        var (h, published) = Harness("Es");
        h.Run("SADD", "s", "1", "2", "3", "4", "5");
        published.Messages.Clear();
        h.Run("SPOP", "s", "4");
        Assert.Equal(["__keyevent@0__:spop s"], published.Messages);
    }

    [Fact]
    public void NothingIsPublishedWhileNotificationsAreOff()
    {
        var (h, published) = Harness("");
        string[][] writes =
        [
            ["SADD", "s", "a", "b", "c"], ["SREM", "s", "a"], ["SMOVE", "s", "t", "c"], ["SPOP", "s"],
            ["SADD", "u", "x"], ["SUNIONSTORE", "d", "t", "u"], ["SINTERSTORE", "d", "t", "u"],
            ["ZADD", "z", "1", "a", "2", "b", "3", "c"], ["ZINCRBY", "z", "1", "a"], ["ZREM", "z", "a"],
            ["ZPOPMIN", "z"], ["ZRANGESTORE", "zd", "z", "0", "-1"], ["ZUNIONSTORE", "zd", "1", "z"],
            ["ZREMRANGEBYSCORE", "z", "-inf", "+inf"],
            ["SORT", "t", "ALPHA", "STORE", "sd"],
            ["XADD", "x", "MAXLEN", "1", "1-1", "f", "v"], ["XGROUP", "CREATE", "x", "g", "0"],
            ["XREADGROUP", "GROUP", "g", "c", "STREAMS", "x", ">"], ["XCLAIM", "x", "g", "c2", "0", "1-1"],
            ["XDEL", "x", "1-1"], ["XSETID", "x", "5-5"], ["XGROUP", "DESTROY", "x", "g"],
            ["GEOADD", "geo", "1", "1", "m"], ["GEOSEARCHSTORE", "gd", "geo", "FROMLONLAT", "1", "1", "BYRADIUS", "1", "km"],
        ];
        foreach (var write in writes) Assert.DoesNotContain("-ERR", h.Run(write));
        Assert.Empty(published.Messages);

        // The same writes with their classes on publish these (redis-server 7.0.15's events for them, in its order).
        var (on, publishedOn) = Harness("Egszlt");
        foreach (var write in writes) on.Run(write);
        string[] expected =
        [
            "sadd s", "srem s", "srem s", "sadd t", "spop s", "del s", "sadd u", "sunionstore d", "del d", "zadd z",
            "zincr z", "zrem z", "zpopmin z", "zrangestore zd", "zunionstore zd", "zremrangebyscore z", "del z",
            "sortstore sd", "xadd x", "xgroup-create x", "xgroup-createconsumer x", "xgroup-createconsumer x", "xdel x",
            "xsetid x", "xgroup-destroy x", "zadd geo", "geosearchstore gd",
        ];
        Assert.Equal(expected.Select(e => "__keyevent@0__:" + e), publishedOn.Messages);
    }

    [Fact]
    public void XreadgroupAnnouncesEachConsumerItCreatesPerServedStream()
    {
        var (h, published) = Harness("Et");
        h.Run("XADD", "a", "1-1", "f", "v");
        h.Run("XADD", "b", "1-1", "f", "v");
        h.Run("XGROUP", "CREATE", "a", "g", "0");
        h.Run("XGROUP", "CREATE", "b", "g", "$");
        published.Messages.Clear();
        // b has nothing after the group's last ID: it is not served, so the consumer is created in a only.
        h.Run("XREADGROUP", "GROUP", "g", "c", "STREAMS", "a", "b", ">", ">");
        Assert.Equal(["__keyevent@0__:xgroup-createconsumer a"], published.Messages);
        published.Messages.Clear();
        h.Run("XADD", "b", "2-1", "f", "v");
        h.Run("XREADGROUP", "GROUP", "g", "c", "STREAMS", "a", "b", ">", ">");
        Assert.Equal(["__keyevent@0__:xadd b", "__keyevent@0__:xgroup-createconsumer b"], published.Messages);
    }
}
