using Akka.Actor;
using Akka.TestKit;
using AkkaRedis.Actors.Commands;
using AkkaRedis.Actors.Keyspace;
using AkkaRedis.Net.Resp;
using Xunit;

namespace AkkaRedis.Tests.Actors;

/// <summary>
/// Blocking commands as stashed requests (blocked.c): parked per key in the owning shard, served in FIFO order after
/// the command (or hold) that made the key ready, timed out by the shard's timer, dropped when their client leaves,
/// and a request on keys of several shards served by exactly one key.
/// </summary>
public sealed class BlockingRequestTests : KeyspaceTestBase
{
    private static string Answer(TestProbe session, TimeSpan? within = null)
    {
        var reply = session.ExpectMsg<BlockedRequest>(within ?? TimeSpan.FromSeconds(10));
        return System.Text.Encoding.UTF8.GetString(reply.Writer.Buffer, reply.ReplyStart, reply.ReplyEnd - reply.ReplyStart);
    }

    /// <summary>Waits (polling the shard with a read) until the shard has parked the given number of requests.</summary>
    private void AwaitParked(string key, int count)
    {
        var shard = HashSlot.ShardOf(System.Text.Encoding.UTF8.GetBytes(key), Server.Keyspace.Shards.Length);
        AwaitCondition(() =>
        {
            RunOnShard(Cmd("EXISTS", key)); // a round trip: the shard has handled everything sent before
            return Server.Keyspace.ShardData[shard].Blocking.Count == count;
        }, TimeSpan.FromSeconds(10));
    }

    [Fact]
    public void Waiters_on_a_key_are_served_in_arrival_order_after_the_push()
    {
        var first = CreateTestProbe();
        var second = CreateTestProbe();
        var third = CreateTestProbe();
        Block(first, "BLPOP", "q", "0");
        Block(second, "BRPOP", "other", "q", "0");
        Block(third, "BLPOP", "q", "0");
        first.ExpectNoMsg(TimeSpan.FromMilliseconds(50));
        // One command pushes three: each waiter gets one, in FIFO order, before the next command (LLEN) runs.
        Assert.Equal([":3\r\n", ":0\r\n"], RunOnShard(Cmd("RPUSH", "q", "a", "b", "c"), Cmd("LLEN", "q")));
        Assert.Equal("*2\r\n$1\r\nq\r\n$1\r\na\r\n", Answer(first));
        Assert.Equal("*2\r\n$1\r\nq\r\n$1\r\nc\r\n", Answer(second)); // BRPOP: from the tail
        Assert.Equal("*2\r\n$1\r\nq\r\n$1\r\nb\r\n", Answer(third));
    }

    [Fact]
    public void A_timeout_answers_a_null_array_from_the_shards_timer()
    {
        var session = CreateTestProbe();
        Block(session, "BLPOP", "q", "0.05");
        Assert.Equal("*-1\r\n", Answer(session));
        AwaitParked("q", 0);
        // Nothing is left behind: the next push stays in the list.
        Assert.Equal([":1\r\n", ":1\r\n"], RunOnShard(Cmd("RPUSH", "q", "x"), Cmd("LLEN", "q")));
    }

    [Fact]
    public void A_client_that_leaves_is_removed_from_the_queue()
    {
        var gone = CreateTestProbe();
        var waiting = CreateTestProbe();
        var request = Block(gone, "BLPOP", "q", "0");
        Block(waiting, "BLPOP", "q", "0");
        AwaitParked("q", 2);
        // What the session does when its connection closes (StopBlocking).
        Assert.True(request.TryClaim());
        Server.Keyspace.Shards[request.Shards[0]].Tell(new ForgetBlocked(request));
        AwaitParked("q", 1);
        RunOnShard(Cmd("RPUSH", "q", "x"));
        Assert.Equal("*2\r\n$1\r\nq\r\n$1\r\nx\r\n", Answer(waiting));
        gone.ExpectNoMsg(TimeSpan.FromMilliseconds(100));
    }

    [Fact]
    public void A_push_under_a_hold_serves_the_waiter_when_the_hold_is_released()
    {
        var (source, queue) = KeysOnDifferentShards();
        RunOnShard(Cmd("RPUSH", source, "moved"));
        var session = CreateTestProbe();
        Block(session, "BLPOP", queue, "0");
        AwaitParked(queue, 1);
        // LMOVE across shards runs in the Transaction actor holding both shards.
        Assert.Equal("$5\r\nmoved\r\n", RunTransaction("LMOVE", source, queue, "LEFT", "RIGHT"));
        Assert.Equal($"*2\r\n${queue.Length}\r\n{queue}\r\n$5\r\nmoved\r\n", Answer(session));
        Assert.Equal([":0\r\n"], RunOnShard(Cmd("LLEN", queue)));
    }

    [Fact]
    public void A_request_on_keys_of_every_shard_is_served_by_exactly_one_key()
    {
        var keys = new[] { "a", "b", "c", "d" };
        Assert.Equal(4, keys.Select(k => HashSlot.ShardOf(System.Text.Encoding.UTF8.GetBytes(k), 4)).Distinct().Count());
        var session = CreateTestProbe();
        Block(session, ["BLPOP", .. keys, "0"]);
        foreach (var k in keys) AwaitParked(k, 1);
        // Pushes on the four shards at once: one of them serves the request, the others keep their element.
        foreach (var k in keys)
            Server.Keyspace.Shards[HashSlot.ShardOf(System.Text.Encoding.UTF8.GetBytes(k), 4)].Tell(BatchOf(k, Cmd("RPUSH", k, "v-" + k)), TestActor);
        for (var i = 0; i < 4; i++) ExpectMsg<ShardBatch>();
        var answer = Answer(session);
        session.ExpectNoMsg(TimeSpan.FromMilliseconds(200));
        var left = keys.Sum(k => long.Parse(RunOnShard(Cmd("LLEN", k))[0].Trim(':', '\r', '\n')));
        Assert.Equal(3, left);
        Assert.Contains(keys, k => answer == $"*2\r\n$1\r\n{k}\r\n$3\r\nv-{k}\r\n");
        foreach (var k in keys) AwaitParked(k, 0);
    }

    [Fact]
    public void A_move_to_another_shard_is_served_through_the_transaction_actor()
    {
        var (source, destination) = KeysOnDifferentShards();
        var session = CreateTestProbe();
        Block(session, "BLMOVE", source, destination, "LEFT", "RIGHT", "0");
        AwaitParked(source, 1);
        RunOnShard(Cmd("RPUSH", source, "x", "y"));
        Assert.Equal("$1\r\nx\r\n", Answer(session));
        Assert.Equal(["*1\r\n$1\r\ny\r\n"], RunOnShard(Cmd("LRANGE", source, "0", "-1")));
        Assert.Equal(["*1\r\n$1\r\nx\r\n"], RunOnShard(Cmd("LRANGE", destination, "0", "-1")));
    }

    private ShardBatch BatchOf(string key, byte[][] command)
    {
        var batch = new ShardBatch { ShardIndex = HashSlot.ShardOf(System.Text.Encoding.UTF8.GetBytes(key), Server.Keyspace.Shards.Length) };
        batch.Add(command, Server.Commands.Resolve(command, out _)!, 0);
        return batch;
    }
}
