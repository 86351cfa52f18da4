using Akka.Actor;
using AkkaRedis.Actors.Commands;
using AkkaRedis.Actors.Keyspace;
using AkkaRedis.Actors.Storage;
using Xunit;

namespace AkkaRedis.Tests.Actors;

public sealed class TransactionActorTests : KeyspaceTestBase
{
    public TransactionActorTests()
    {
        // A cross-shard command declared only for these tests: copies key 1's string value to key 2.
        Server.Commands.Add(new CommandDef("xcopy", 3, CommandFlags.Write, 1, 2, 1, AclCategories.None)
        {
            Handler = c =>
            {
                var src = c.Db(c.Args[1]).Lookup(c.Args[1], c.Now);
                if (!src.Exists)
                {
                    c.Reply.Integer(0);
                    return;
                }
                Span<byte> scratch = stackalloc byte[24];
                c.Db(c.Args[2]).SetString(c.Args[2], src.StringBytes(scratch), c.Now);
                c.Reply.Integer(1);
            },
        });
    }

    [Fact]
    public void Runs_a_command_over_keys_of_two_shards()
    {
        var (a, b) = KeysOnDifferentShards();
        RunOnShard(Cmd("SET", a, "payload"));
        Assert.Equal(":1\r\n", RunTransaction("XCOPY", a, b));
        Assert.Equal(["$7\r\npayload\r\n"], RunOnShard(Cmd("GET", b)));
    }

    [Fact]
    public void Holds_every_involved_shard_until_the_command_is_done()
    {
        var (a, b) = KeysOnDifferentShards();
        var shardA = Server.Keyspace.Shards[HashSlot.ShardOf(System.Text.Encoding.UTF8.GetBytes(a), Server.Keyspace.Shards.Length)];
        // Hold shard A ourselves first: the transaction must wait for it, and meanwhile shard B must be held too,
        // so a batch sent to B queues behind the transaction instead of seeing a half-done state.
        shardA.Tell(new Hold(-7), TestActor);
        ExpectMsg<Held>();
        var request = new TransactionRequest { Args = Cmd("XCOPY", a, b) };
        request.Def = Server.Commands.Resolve(request.Args, out _)!;
        request.Shards.AddRange(new[]
        {
            HashSlot.ShardOf(System.Text.Encoding.UTF8.GetBytes(a), Server.Keyspace.Shards.Length),
            HashSlot.ShardOf(System.Text.Encoding.UTF8.GetBytes(b), Server.Keyspace.Shards.Length),
        }.Order());
        Server.Keyspace.Transactions.Tell(request, TestActor);
        ExpectNoMsg(TimeSpan.FromMilliseconds(200));
        shardA.Tell(new Release(-7), TestActor);
        ExpectMsg<TransactionRequest>();
    }

    [Fact]
    public void Whole_keyspace_requests_hold_every_shard()
    {
        Server.Commands.Add(new CommandDef("countall", 1, CommandFlags.ReadOnly, 0, 0, 0, AclCategories.None)
        {
            Execution = Execution.AllShards,
            Handler = c => c.Reply.Integer(Enumerable.Range(0, c.Keyspace.PartCount).Count(p => c.Keyspace.Part(p, 0) != null)),
        });
        var request = new TransactionRequest { Args = Cmd("COUNTALL") };
        request.Def = Server.Commands.Resolve(request.Args, out _)!;
        Server.Keyspace.Transactions.Tell(request, TestActor);
        var reply = ExpectMsg<TransactionRequest>();
        Assert.Equal(":4\r\n", System.Text.Encoding.UTF8.GetString(reply.Writer.Buffer, reply.ReplyStart, reply.ReplyEnd - reply.ReplyStart));
    }
}
