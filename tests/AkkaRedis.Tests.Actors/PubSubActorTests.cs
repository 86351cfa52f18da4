using Akka.Streams;
using Akka.Streams.Dsl;
using AkkaRedis.Actors.Commands;
using AkkaRedis.Actors.Session;
using AkkaRedis.Net.Streams;
using Xunit;

namespace AkkaRedis.Tests.Actors;

/// <summary>The PubSub actor as the registry's single writer, and the session's use of it: a subscription is visible
/// to publishers before its confirmation leaves, and a closed connection leaves the registry.</summary>
public sealed class PubSubActorTests : KeyspaceTestBase
{
    private sealed class NullSubscriber : Subscriber
    {
        public override int Protocol => 2;
        public override void Deliver(PubSubPush push)
        {
        }
    }

    [Fact]
    public void An_update_is_applied_before_it_comes_back()
    {
        var subscriber = new NullSubscriber();
        var update = new PubSubUpdate(subscriber);
        update.Add(SubscriptionKind.Channel, "ch"u8.ToArray(), add: true);
        update.Add(SubscriptionKind.Pattern, "p*"u8.ToArray(), add: true);
        Server.Keyspace.PubSub.Tell(update, TestActor);
        Assert.Same(update, ExpectMsg<PubSubUpdate>());
        Assert.Equal(1, Server.PubSub.SubscribersOf(SubscriptionKind.Channel, "ch"u8));
        Assert.Equal(1, Server.PubSub.PatternCount);
    }

    [Fact]
    public async Task A_subscription_is_seen_by_the_next_publish_of_the_batch_and_goes_with_the_connection()
    {
        var frames = new RequestFrames();
        frames.Commands.Add(Cmd("HELLO", "3"));
        frames.Commands.Add(Cmd("SUBSCRIBE", "news"));
        frames.Commands.Add(Cmd("PUBLISH", "news", "hi"));
        frames.Commands.Add(Cmd("PUBSUB", "NUMSUB", "news"));
        var output = await Source.Single(frames)
            .Via(Flow.FromGraph(new SessionStage(Server, "127.0.0.1:50000", "127.0.0.1:6379")))
            .Select(b => System.Text.Encoding.UTF8.GetString(b.ToArray()))
            .RunWith(Sink.Seq<string>(), Sys.Materializer())
            .WaitAsync(TimeSpan.FromSeconds(10));
        var text = string.Concat(output);
        // The PUBLISH counts the subscription made just before it, and (RESP3) its own message comes before its reply.
        Assert.EndsWith(">3\r\n$9\r\nsubscribe\r\n$4\r\nnews\r\n:1\r\n>3\r\n$7\r\nmessage\r\n$4\r\nnews\r\n$2\r\nhi\r\n:1\r\n" +
                        "*2\r\n$4\r\nnews\r\n:1\r\n", text);
        // The connection ended with the stream: its subscription leaves the registry.
        AwaitCondition(() => Server.PubSub.ChannelCount == 0, TimeSpan.FromSeconds(10));
    }
}
