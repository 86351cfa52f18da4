using Akka.Actor;
using AkkaRedis.Actors.Commands;
using AkkaRedis.Actors.Keyspace;
using Xunit;

namespace AkkaRedis.Tests.Actors;

public sealed class ShardActorTests : KeyspaceTestBase
{
    [Fact]
    public void Runs_a_batch_in_order_and_replies_once_with_every_reply()
    {
        var replies = RunOnShard(Cmd("SET", "a", "1"), Cmd("GET", "a"), Cmd("SET", "a", "2"), Cmd("GET", "a"));
        Assert.Equal(["+OK\r\n", "$1\r\n1\r\n", "+OK\r\n", "$1\r\n2\r\n"], replies);
    }

    [Fact]
    public void A_throwing_handler_answers_ERR_and_the_shard_keeps_its_data()
    {
        // A command whose handler throws, declared only for this test's table.
        Server.Commands.Add(new CommandDef("explode", 2, CommandFlags.Write, 1, 1, 1, AclCategories.None)
        {
            Handler = _ => throw new InvalidOperationException("boom"),
        });
        RunOnShard(Cmd("SET", "survivor", "still-here"));
        var replies = RunOnShard(Cmd("EXPLODE", "survivor"), Cmd("GET", "survivor"));
        Assert.Equal("-ERR boom\r\n", replies[0]);
        Assert.Equal("$10\r\nstill-here\r\n", replies[1]);
        // And the shard keeps serving later messages.
        Assert.Equal(["$10\r\nstill-here\r\n"], RunOnShard(Cmd("GET", "survivor")));
    }

    [Fact]
    public void An_exception_escaping_the_actor_resumes_it_instead_of_restarting_it()
    {
        Assert.Equal(Directive.Resume, KeyspaceSupervisor.ShardStrategy.Decider.Decide(new InvalidOperationException()));
        RunOnShard(Cmd("SET", "kept", "v"));
        var shard = HashSlot.ShardOf("kept"u8, Server.Keyspace.Shards.Length);
        // A malformed batch makes OnReceive itself throw: the batch still comes back (its session must not hang)
        // and the shard keeps serving afterwards.
        var malformed = new ShardBatch { ShardIndex = shard, SegmentStart = -1 };
        Server.Keyspace.Shards[shard].Tell(malformed, TestActor);
        Assert.Same(malformed, ExpectMsg<ShardBatch>());
        Assert.Equal(["$1\r\nv\r\n"], RunOnShard(Cmd("GET", "kept")));
    }

    [Fact]
    public void A_held_shard_stashes_batches_until_released()
    {
        var shard = HashSlot.ShardOf("held"u8, Server.Keyspace.Shards.Length);
        var shardRef = Server.Keyspace.Shards[shard];
        shardRef.Tell(new Hold(42), TestActor);
        ExpectMsg<Held>(h => h.TransactionId == 42);
        var batch = new ShardBatch { ShardIndex = shard };
        var get = Cmd("GET", "held");
        batch.Add(get, Server.Commands.Resolve(get, out _)!, 0);
        shardRef.Tell(batch, TestActor);
        ExpectNoMsg(TimeSpan.FromMilliseconds(200));
        shardRef.Tell(new Release(42), TestActor);
        ExpectMsg<ShardBatch>();
    }
}
