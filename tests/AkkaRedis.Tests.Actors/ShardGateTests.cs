using AkkaRedis.Actors.Commands;
using AkkaRedis.Actors.Keyspace;
using Xunit;

namespace AkkaRedis.Tests.Actors;

/// <summary>Sessions run a batch on their own thread when its shard is idle (ShardGate); the shard actor and inline runs
/// exclude each other, and a held shard or one with blocked clients takes batches only as messages.</summary>
public sealed class ShardGateTests : KeyspaceTestBase
{
    private readonly ManualResetEventSlim _entered = new();
    private readonly ManualResetEventSlim _release = new();

    public ShardGateTests()
    {
        // A command that stays in its shard until the test lets it go, declared only for this test's table.
        Server.Commands.Add(new CommandDef("linger", 2, CommandFlags.Write, 1, 1, 1, AclCategories.None)
        {
            Handler = ctx =>
            {
                _entered.Set();
                _release.Wait(TimeSpan.FromSeconds(30));
                ctx.Reply.Ok();
            },
        });
    }

    private ShardBatch BatchOf(params byte[][][] commands)
    {
        var batch = new ShardBatch { ShardIndex = HashSlot.ShardOf(commands[0][1], Server.Keyspace.Shards.Length) };
        foreach (var c in commands) batch.Add(c, Server.Commands.Resolve(c, out _)!, batch.Commands.Count);
        return batch;
    }

    private ShardGate GateOf(ShardBatch batch) => Server.Keyspace.ShardData[batch.ShardIndex].Gate;

    private static string ReplyText(ShardBatch batch) =>
        System.Text.Encoding.UTF8.GetString(batch.Writer.Buffer, 0, batch.End);

    [Fact]
    public void An_idle_shard_runs_the_batch_on_the_callers_thread_and_sends_nothing()
    {
        RunOnShard(Cmd("SET", "g", "1")); // the actor has started and attached its gate
        var batch = BatchOf(Cmd("INCR", "g"), Cmd("GET", "g"));
        Assert.True(GateOf(batch).TryRun(batch));
        Assert.Equal(":2\r\n$1\r\n2\r\n", ReplyText(batch));
        ExpectNoMsg(TimeSpan.FromMilliseconds(100));
        // The actor sees what the inline run wrote.
        Assert.Equal(["$1\r\n2\r\n"], RunOnShard(Cmd("GET", "g")));
    }

    [Fact]
    public void A_shard_busy_with_a_message_refuses_inline_runs()
    {
        RunOnShard(Cmd("SET", "b", "1"));
        var slow = BatchOf(Cmd("LINGER", "b"));
        Server.Keyspace.Shards[slow.ShardIndex].Tell(slow, TestActor);
        Assert.True(_entered.Wait(TimeSpan.FromSeconds(10)));
        var batch = BatchOf(Cmd("GET", "b"));
        Assert.False(GateOf(batch).TryRun(batch));
        Assert.Equal(0, batch.Starts.Count); // nothing ran
        _release.Set();
        ExpectMsg<ShardBatch>();
        AwaitAssert(() => Assert.True(GateOf(batch).TryRun(batch)), TimeSpan.FromSeconds(5));
        Assert.Equal("$1\r\n1\r\n", ReplyText(batch));
    }

    [Fact]
    public void The_actor_waits_while_a_batch_runs_inline()
    {
        RunOnShard(Cmd("SET", "w", "1"));
        var slow = BatchOf(Cmd("LINGER", "w"));
        var inline = Task.Run(() => GateOf(slow).TryRun(slow));
        Assert.True(_entered.Wait(TimeSpan.FromSeconds(10)));
        var shard = Server.Keyspace.Shards[slow.ShardIndex];
        var get = BatchOf(Cmd("GET", "w"));
        shard.Tell(get, TestActor);
        ExpectNoMsg(TimeSpan.FromMilliseconds(300)); // the actor cannot enter the shard meanwhile
        _release.Set();
        Assert.True(inline.Wait(TimeSpan.FromSeconds(10)) && inline.Result);
        ExpectMsg<ShardBatch>(b => ReferenceEquals(b, get));
    }

    [Fact]
    public void A_held_shard_takes_batches_only_as_messages_until_released()
    {
        RunOnShard(Cmd("SET", "h", "1"));
        var batch = BatchOf(Cmd("GET", "h"));
        var shard = Server.Keyspace.Shards[batch.ShardIndex];
        shard.Tell(new Hold(7), TestActor);
        ExpectMsg<Held>();
        Assert.False(GateOf(batch).TryRun(batch));
        shard.Tell(new Release(7), TestActor);
        AwaitAssert(() => Assert.True(GateOf(batch).TryRun(batch)), TimeSpan.FromSeconds(5));
        Assert.Equal("$1\r\n1\r\n", ReplyText(batch));
    }

    [Fact]
    public void A_push_run_inline_stops_where_it_readies_a_key_and_the_actor_serves_the_waiter_before_the_rest()
    {
        var waiter = CreateTestProbe();
        var request = Block(waiter, "BLPOP", "q", "0");
        var shard = HashSlot.ShardOf("q"u8, Server.Keyspace.Shards.Length);
        AwaitAssert(() => Assert.Equal(1, Server.Keyspace.ShardData[shard].Blocking.Count), TimeSpan.FromSeconds(5));
        // Blocked clients elsewhere on the shard do not stop inline runs.
        var other = BatchOf(Cmd("LLEN", "q"));
        Assert.True(GateOf(other).TryRun(other));
        Assert.Equal(":0\r\n", ReplyText(other));
        // LPUSH readies q: the inline run stops after it (Redis serves the waiter before the next command)...
        var batch = BatchOf(Cmd("LPUSH", "q", "x"), Cmd("LPOP", "q"));
        Assert.True(GateOf(batch).TryRun(batch));
        Assert.Equal(1, batch.AnsweredEnd);
        Assert.Equal(":1\r\n", ReplyText(batch));
        // ...and the gate stays closed until the actor has served the waiter.
        var meanwhile = BatchOf(Cmd("LLEN", "q"));
        waiter.ExpectMsg<BlockedRequest>(r => ReferenceEquals(r, request));
        AwaitAssert(() => Assert.True(GateOf(meanwhile).TryRun(meanwhile)), TimeSpan.FromSeconds(5));
        Assert.Equal(":0\r\n", ReplyText(meanwhile));
        // The rest, sent to the actor as the session does, finds the element gone to the waiter.
        batch.SegmentStart = batch.AnsweredEnd;
        batch.ContinueAt = -1;
        Server.Keyspace.Shards[shard].Tell(batch, TestActor);
        ExpectMsg<ShardBatch>();
        Assert.Equal(":1\r\n$-1\r\n", ReplyText(batch));
    }

    protected override void Dispose(bool disposing)
    {
        _release.Set();
        base.Dispose(disposing);
    }
}
