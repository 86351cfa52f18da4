using AkkaRedis.Tests.EndToEnd.Infrastructure;
using StackExchange.Redis;

namespace AkkaRedis.Tests.EndToEnd.EndToEnd;

/// <summary>StackExchange.Redis's GetSubscriber against AkkaRedis: a channel and a pattern subscription, messages in
/// publish order, receiver counts, unsubscribing; over RESP2 (a separate subscription connection in subscribed mode)
/// and RESP3 (pushes on the interactive connection, between replies).</summary>
[Collection(E2ECollection.Name)]
[Trait("Category", "Clients")]
public sealed class StackExchangeRedisPubSubTests(E2EServers servers)
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(15);

    [Theory]
    [InlineData(RedisProtocol.Resp2)]
    [InlineData(RedisProtocol.Resp3)]
    public async Task ChannelAndPatternSubscriptionsReceiveEveryMessageInOrder(RedisProtocol protocol)
    {
        var options = ConfigurationOptions.Parse($"127.0.0.1:{servers.Akka.Port}");
        options.Protocol = protocol;
        using var mux = StackExchangeRedisTests.Connect(options, new StringWriter());
        var subscriber = mux.GetSubscriber();
        var prefix = $"se:pubsub:{protocol}:";
        var channel = RedisChannel.Literal(prefix + "news");
        var pattern = RedisChannel.Pattern(prefix + "n*");

        var byChannel = await subscriber.SubscribeAsync(channel);
        var byPattern = await subscriber.SubscribeAsync(pattern);
        var db = mux.GetDatabase();
        Assert.Equal($"{prefix}news,1", string.Join(',', ((RedisResult[])db.Execute("PUBSUB", "NUMSUB", prefix + "news")!).Select(r => (string?)r)));

        const int n = 200;
        var publishes = new Task<long>[n];
        for (var i = 0; i < n; i++) publishes[i] = subscriber.PublishAsync(channel, "m" + i);
        // Every publish reached both subscriptions (the channel and the matching pattern).
        Assert.All(await Task.WhenAll(publishes), receivers => Assert.Equal(2, receivers));
        // Interactive commands keep working on the same multiplexer while messages arrive (RESP3: same connection).
        Assert.True(await db.StringSetAsync(prefix + "k", "v"));

        using var cts = new CancellationTokenSource(Deadline);
        for (var i = 0; i < n; i++)
        {
            var m = await byChannel.ReadAsync(cts.Token);
            Assert.Equal(prefix + "news", m.Channel.ToString());
            Assert.Equal("m" + i, (string?)m.Message);
            var p = await byPattern.ReadAsync(cts.Token);
            Assert.Equal(prefix + "news", p.Channel.ToString());
            Assert.Equal("m" + i, (string?)p.Message);
        }
        // A channel only the pattern matches.
        Assert.Equal(1, await subscriber.PublishAsync(RedisChannel.Literal(prefix + "nope"), "pattern only"));
        var only = await byPattern.ReadAsync(cts.Token);
        Assert.Equal(prefix + "nope", only.Channel.ToString());
        Assert.Equal("pattern only", (string?)only.Message);
        Assert.Equal("v", (string?)await db.StringGetAsync(prefix + "k"));

        await byChannel.UnsubscribeAsync();
        Assert.Equal(1, await subscriber.PublishAsync(channel, "pattern still"));
        await byPattern.UnsubscribeAsync();
        Assert.Equal(0, await subscriber.PublishAsync(channel, "nobody"));
    }

    [Fact]
    public async Task HandlerSubscriptionSeesMessagesFromAnotherConnection()
    {
        using var listener = StackExchangeRedisTests.Connect($"127.0.0.1:{servers.Akka.Port}", new StringWriter());
        using var publisher = servers.Akka.Connect();
        var received = new List<string>();
        var all = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        const int n = 50;
        await listener.GetSubscriber().SubscribeAsync(RedisChannel.Literal("se:pubsub:handler"), (_, message) =>
        {
            lock (received)
            {
                received.Add(message!);
                if (received.Count == n) all.TrySetResult();
            }
        });
        for (var i = 0; i < n; i++) Assert.Equal(":1\\r\\n", publisher.CallText("PUBLISH", "se:pubsub:handler", "h" + i));
        await all.Task.WaitAsync(Deadline);
        // Handlers run concurrently by default: the set is checked, the order by the queue test above.
        Assert.Equal(Enumerable.Range(0, n).Select(i => "h" + i).Order(), received.Order());
    }
}
