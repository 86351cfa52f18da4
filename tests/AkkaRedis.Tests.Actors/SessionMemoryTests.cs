using System.Text;
using Akka.Streams;
using Akka.Streams.Dsl;
using AkkaRedis.Actors.Session;
using AkkaRedis.Net.Resp;
using AkkaRedis.Net.Streams;
using Xunit;

namespace AkkaRedis.Tests.Actors;

/// <summary>A connection keeps what it sized for a big pipeline only until the clients cron finds it idle.</summary>
public sealed class SessionMemoryTests : KeyspaceTestBase
{
    public SessionMemoryTests() : base(2)
    {
    }

    [Fact]
    public async Task Arrays_sized_for_a_big_pipeline_are_given_back_when_the_idle_connection_is_asked()
    {
        var limits = new RespLimits();
        var replies = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
        var queue = Source.Queue<RequestFrames>(1, OverflowStrategy.Backpressure)
            .Via(Flow.FromGraph(new SessionStage(Server, "127.0.0.1:50001", "127.0.0.1:6379", limits)))
            .To(Sink.ForEach<OutgoingBytes>(bytes => replies.TrySetResult(Encoding.ASCII.GetString(bytes.ToArray()))))
            .Run(Sys.Materializer());

        var frames = new RequestFrames();
        for (var i = 0; i < 1000; i++) frames.Commands.Add([Encoding.ASCII.GetBytes("GET"), Encoding.ASCII.GetBytes("k" + i)]);
        await queue.OfferAsync(frames);
        var output = await replies.Task.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Equal(string.Concat(Enumerable.Repeat("$-1\r\n", 1000)), output);

        var client = Assert.Single(Server.Clients.Unordered);
        await Poll(() => client.HoldsBusySizedMemory, "the session flags arrays sized for 1,000 commands");
        client.Post(ClientSession.TrimIdleMemory.Instance);
        await Poll(() => !client.HoldsBusySizedMemory, "the idle session gives them back when asked");
        queue.Complete();
    }

    private static async Task Poll(Func<bool> condition, string what)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(10);
        while (!condition())
        {
            Assert.True(DateTime.UtcNow < deadline, what);
            await Task.Delay(10);
        }
    }
}
