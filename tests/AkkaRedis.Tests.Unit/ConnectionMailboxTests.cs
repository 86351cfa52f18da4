using Akka.Actor;
using Akka.TestKit.Xunit2;
using AkkaRedis.Net.Streams;
using Xunit;

namespace AkkaRedis.Tests.Unit;

/// <summary>The connections' mailbox: first in, first out across growth and release, and an actor on the connection
/// dispatcher gets it from the dispatcher's configuration.</summary>
public sealed class ConnectionMailboxTests() : TestKit(ConnectionDispatcherConfig.Hocon)
{
    [Fact]
    public void Messages_come_out_in_order_while_the_ring_grows_wraps_and_is_released()
    {
        var queue = new ConnectionMessageQueue();
        Assert.False(queue.TryDequeue(out _));
        var next = 0;
        var expected = 0;
        // Interleaved: wraps the ring at every size, grows it past what is kept, empties it (released), again.
        foreach (var burst in new[] { 1, 3, 5, 4, 17, 2, 200, 1, 70 })
        {
            for (var i = 0; i < burst; i++) queue.Enqueue(ActorRefs.Nobody, new Envelope(next++, ActorRefs.NoSender));
            Assert.Equal(burst, queue.Count);
            Assert.True(queue.HasMessages);
            for (var i = 0; i < burst; i++)
            {
                Assert.True(queue.TryDequeue(out var e));
                Assert.Equal(expected++, (int)e.Message);
                if (i == burst / 2) queue.Enqueue(ActorRefs.Nobody, new Envelope(-1, ActorRefs.NoSender));
            }
            Assert.True(queue.TryDequeue(out var late));
            Assert.Equal(-1, (int)late.Message);
            Assert.False(queue.HasMessages);
            Assert.False(queue.TryDequeue(out _));
        }
    }

    [Fact]
    public void Concurrent_producers_lose_nothing_and_keep_each_ones_order()
    {
        var queue = new ConnectionMessageQueue();
        const int producers = 4, each = 20_000;
        var last = new int[producers];
        Array.Fill(last, -1);
        var threads = Enumerable.Range(0, producers).Select(p => new Thread(() =>
        {
            for (var i = 0; i < each; i++) queue.Enqueue(ActorRefs.Nobody, new Envelope((p, i), ActorRefs.NoSender));
        })).ToList();
        threads.ForEach(t => t.Start());
        var got = 0;
        while (got < producers * each)
        {
            if (!queue.TryDequeue(out var e)) continue;
            var (p, i) = ((int, int))e.Message;
            Assert.Equal(last[p] + 1, i);
            last[p] = i;
            got++;
        }
        threads.ForEach(t => t.Join());
        Assert.False(queue.HasMessages);
    }

    /// <summary>
    /// The lost wake-up the queue once had: a producer's enqueue must be visible to the consumer that has just marked
    /// the mailbox idle and looks for messages again, or the message waits for the next one (forever, in a
    /// request/reply exchange). Threads ping-pong with actors on the connection dispatcher, one message in flight each,
    /// so every message arrives just as its actor goes idle; a lost one leaves its thread waiting past the deadline.
    /// </summary>
    [Fact]
    public void Request_reply_exchanges_never_leave_a_message_waiting()
    {
        const int pairs = 4, rounds = 20_000;
        var failures = 0;
        var threads = Enumerable.Range(0, pairs).Select(_ => new Thread(() =>
        {
            using var answered = new SemaphoreSlim(0);
            var actor = Sys.ActorOf(Props.Create(() => new Release(answered)).WithDispatcher(SocketThreadExecutor.Id));
            for (var i = 0; i < rounds; i++)
            {
                actor.Tell(i);
                if (answered.Wait(TimeSpan.FromSeconds(10))) continue;
                Interlocked.Increment(ref failures);
                return;
            }
        })).ToList();
        threads.ForEach(t => t.Start());
        threads.ForEach(t => t.Join());
        Assert.Equal(0, failures);
    }

    private sealed class Release : ReceiveActor
    {
        public Release(SemaphoreSlim answered) => ReceiveAny(_ => answered.Release());
    }

    private sealed class Echo : ReceiveActor
    {
        public Echo() => ReceiveAny(m => Sender.Tell(m));
    }

    [Fact]
    public void An_actor_on_the_connection_dispatcher_gets_the_connection_mailbox()
    {
        var echo = Sys.ActorOf(Props.Create(() => new Echo()).WithDispatcher(SocketThreadExecutor.Id));
        for (var i = 0; i < 100; i++) echo.Tell(i);
        for (var i = 0; i < 100; i++) ExpectMsg(i);
        var cell = (ActorCell)((ActorRefWithCell)echo).Underlying;
        Assert.IsType<ConnectionMessageQueue>(cell.Mailbox.MessageQueue);
    }
}
