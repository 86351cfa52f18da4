using System.Text;
using AkkaRedis.Actors.Commands;
using AkkaRedis.Actors.Server;
using AkkaRedis.Actors.Session;
using AkkaRedis.Net.Resp;

namespace AkkaRedis.Tests.Unit.Commands;

/// <summary>The subscriber registry (Redis's pubsub_channels / pubsub_patterns / pubsubshard_channels): bookkeeping,
/// glob matching, counts, framing, and the gathering of a pipeline's deliveries.</summary>
public sealed class PubSubRegistryTests
{
    private sealed class Recorder(int protocol = 2) : Subscriber
    {
        public int ProtocolValue = protocol;
        public readonly List<string> Received = new();
        public int Deliveries;
        public override int Protocol => ProtocolValue;

        public override void Deliver(PubSubPush push)
        {
            Deliveries++;
            Received.Add(Encoding.Latin1.GetString(push.Bytes));
        }
    }

    private static byte[] B(string s) => Encoding.Latin1.GetBytes(s);

    private static void Change(PubSubRegistry registry, Subscriber s, SubscriptionKind kind, string name, bool add)
    {
        var update = new PubSubUpdate(s);
        update.Add(kind, B(name), add);
        registry.Apply(update);
    }

    private static string Message(string channel, string message, int protocol = 2) =>
        $"{(protocol == 3 ? '>' : '*')}3\r\n$7\r\nmessage\r\n${channel.Length}\r\n{channel}\r\n${message.Length}\r\n{message}\r\n";

    [Fact]
    public void SubscribeAndUnsubscribeKeepOneEntryPerSubscriberAndDropEmptyChannels()
    {
        var registry = new PubSubRegistry();
        var a = new Recorder();
        var b = new Recorder();
        Change(registry, a, SubscriptionKind.Channel, "ch", true);
        Change(registry, a, SubscriptionKind.Channel, "ch", true); // twice: still one subscription
        Change(registry, b, SubscriptionKind.Channel, "ch", true);
        Change(registry, b, SubscriptionKind.Channel, "other", true);
        Assert.Equal(2, registry.SubscribersOf(SubscriptionKind.Channel, B("ch")));
        Assert.Equal(2, registry.ChannelCount);
        Assert.Equal(2, registry.Publish(B("ch"), B("hi")));
        Assert.Equal([Message("ch", "hi")], a.Received);

        Change(registry, b, SubscriptionKind.Channel, "other", false);
        Change(registry, b, SubscriptionKind.Channel, "never", false); // not subscribed: nothing happens
        Assert.Equal(1, registry.ChannelCount);
        Assert.Equal(0, registry.SubscribersOf(SubscriptionKind.Channel, B("other")));
        Change(registry, a, SubscriptionKind.Channel, "ch", false);
        Change(registry, b, SubscriptionKind.Channel, "ch", false);
        Assert.Equal(0, registry.ChannelCount);
        Assert.Equal(0, registry.Publish(B("ch"), B("gone")));
    }

    [Fact]
    public void PatternsMatchAsStringmatchlenAndCountDistinctPatterns()
    {
        var registry = new PubSubRegistry();
        var a = new Recorder();
        var b = new Recorder();
        Change(registry, a, SubscriptionKind.Pattern, "news.*", true);
        Change(registry, b, SubscriptionKind.Pattern, "news.*", true);
        Change(registry, b, SubscriptionKind.Pattern, @"h[ae]llo\?", true);
        Assert.Equal(2, registry.PatternCount); // NUMPAT counts distinct patterns, as Redis 7.0

        Assert.Equal(2, registry.Publish(B("news.x"), B("1")));
        Assert.Equal(0, registry.Publish(B("news"), B("2")));
        Assert.Equal(1, registry.Publish(B("hello?"), B("3")));
        Assert.Equal(0, registry.Publish(B("hellox"), B("4")));
        Assert.Equal(["*4\r\n$8\r\npmessage\r\n$6\r\nnews.*\r\n$6\r\nnews.x\r\n$1\r\n1\r\n"], a.Received);
        Assert.Equal(2, b.Received.Count);
        Assert.StartsWith("*4\r\n$8\r\npmessage\r\n$10\r\nh[ae]llo\\?\r\n$6\r\nhello?\r\n", b.Received[1]);

        Change(registry, a, SubscriptionKind.Pattern, "news.*", false);
        Assert.Equal(2, registry.PatternCount);
        Change(registry, b, SubscriptionKind.Pattern, "news.*", false);
        Assert.Equal(1, registry.PatternCount);
        Assert.Equal(0, registry.Publish(B("news.x"), B("5")));
    }

    [Fact]
    public void ChannelSubscribersComeBeforePatternsAndShardChannelsAreApart()
    {
        var registry = new PubSubRegistry();
        var a = new Recorder(protocol: 3);
        Change(registry, a, SubscriptionKind.Pattern, "c*", true);
        Change(registry, a, SubscriptionKind.Channel, "ch", true);
        Change(registry, a, SubscriptionKind.ShardChannel, "ch", true);
        Assert.Equal(2, registry.Publish(B("ch"), B("m")));
        Assert.Equal([Message("ch", "m", 3), ">4\r\n$8\r\npmessage\r\n$2\r\nc*\r\n$2\r\nch\r\n$1\r\nm\r\n"], a.Received);
        Assert.Equal(1, registry.PublishShard(B("ch"), B("s"), null, null, null));
        Assert.Equal(">3\r\n$8\r\nsmessage\r\n$2\r\nch\r\n$1\r\ns\r\n", a.Received[^1]);
        Assert.Equal(1, registry.ShardChannelCount);
        Assert.Equal(1, registry.ChannelCount);
        Assert.Equal(["ch"], registry.ChannelsMatching(SubscriptionKind.ShardChannel, null).Select(Encoding.Latin1.GetString));
        Assert.Empty(registry.ChannelsMatching(SubscriptionKind.Channel, B("x*")));
    }

    [Fact]
    public void APublisherThatListensGetsItsMessageInItsReplyAndClosedSubscribersCountButGetNothing()
    {
        var registry = new PubSubRegistry();
        var self = new Recorder(protocol: 3);
        var closed = new Recorder();
        Change(registry, self, SubscriptionKind.Channel, "ch", true);
        Change(registry, closed, SubscriptionKind.Channel, "ch", true);
        closed.Closed = true;
        var reply = new RespWriter { Protocol = 3 };
        Assert.Equal(2, registry.Publish(B("ch"), B("me"), self, reply, null));
        Assert.Equal(Message("ch", "me", 3), Encoding.Latin1.GetString(reply.Written));
        Assert.Empty(self.Received);
        Assert.Empty(closed.Received);
    }

    [Fact]
    public void APipelineOfPublishesReachesEachSubscriberAsOneDeliveryInOrder()
    {
        var registry = new PubSubRegistry();
        var resp2 = new Recorder();
        var resp3 = new Recorder(protocol: 3);
        var other = new Recorder();
        Change(registry, resp2, SubscriptionKind.Channel, "ch", true);
        Change(registry, resp3, SubscriptionKind.Channel, "ch", true);
        Change(registry, resp2, SubscriptionKind.Channel, "ch2", true);
        Change(registry, other, SubscriptionKind.Channel, "ch2", true);
        var batch = new PublishBatch();
        Assert.Equal(2, registry.Publish(B("ch"), B("1"), null, null, batch));
        Assert.Equal(2, registry.Publish(B("ch"), B("2"), null, null, batch));
        Assert.Empty(resp2.Received); // gathered, not yet sent
        // Other recipients: what was gathered leaves first, so resp2 still sees 1, 2, then 3.
        Assert.Equal(2, registry.Publish(B("ch2"), B("3"), null, null, batch));
        batch.Flush();
        Assert.False(batch.HasPending);
        Assert.Equal([Message("ch", "1") + Message("ch", "2"), Message("ch2", "3")], resp2.Received);
        Assert.Equal([Message("ch", "1", 3) + Message("ch", "2", 3)], resp3.Received);
        Assert.Equal([Message("ch2", "3")], other.Received);
    }

    [Fact]
    public void OutputBufferLimitsApplyTheHardLimitAtOnceAndTheSoftOneAfterItsSeconds()
    {
        var config = new ServerConfig();
        Assert.Null(config.Set("client-output-buffer-limit", "pubsub 1000 100 2"));
        var limits = new OutputBufferLimits();
        const long t0 = 1_000_000;
        Assert.False(limits.Reached(config, ClientType.Normal, 10_000_000, t0)); // normal: 0 0 0, no limit
        Assert.True(limits.Reached(config, ClientType.PubSub, 1000, t0));
        Assert.False(limits.Reached(config, ClientType.PubSub, 500, t0)); // over soft: the clock starts
        Assert.False(limits.Reached(config, ClientType.PubSub, 500, t0 + 2000)); // 2 s: not more than its seconds
        Assert.True(limits.Reached(config, ClientType.PubSub, 500, t0 + 3000));
        var fresh = new OutputBufferLimits();
        Assert.False(fresh.Reached(config, ClientType.PubSub, 500, t0));
        Assert.False(fresh.Reached(config, ClientType.PubSub, 50, t0 + 1000)); // back under: the clock resets
        Assert.False(fresh.Reached(config, ClientType.PubSub, 500, t0 + 5000));
        Assert.False(fresh.Reached(config, ClientType.PubSub, 500, t0 + 6000));
    }
}
